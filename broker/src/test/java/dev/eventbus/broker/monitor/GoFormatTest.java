package dev.eventbus.broker.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected strings are what Go 1.19 prints for the same values. */
class GoFormatTest {

    @ParameterizedTest
    @CsvSource({
            "2023-01-10T15:04:05.123450000Z, 2023-01-10T15:04:05.12345Z",
            "2023-01-10T15:04:05Z,           2023-01-10T15:04:05Z",
            "2023-01-10T15:04:05.000000001Z, 2023-01-10T15:04:05.000000001Z",
            "2026-11-22T03:09:24.791658569Z, 2026-11-22T03:09:24.791658569Z",
            "2023-01-10T15:04:05.100Z,       2023-01-10T15:04:05.1Z",
            "0099-03-04T05:06:07Z,           0099-03-04T05:06:07Z",
            "1970-01-01T00:00:00Z,           1970-01-01T00:00:00Z",
    })
    void rfc3339NanoTrimsTrailingZerosAndAlwaysSaysZ(String instant, String expected) {
        assertThat(GoFormat.rfc3339Nano(Instant.parse(instant))).isEqualTo(expected);
    }

    @Test
    void rfc3339NanoOfNullIsGosZeroTime() {
        assertThat(GoFormat.rfc3339Nano(null)).isEqualTo("0001-01-01T00:00:00Z");
    }

    @ParameterizedTest
    @CsvSource({
            "0,            0s",
            "999999999,    0s",
            "1000000000,   1s",
            "59999999999,  59s",
            "60000000000,  1m0s",
            "3599000000000, 59m59s",
            "3600000000000, 1h0m0s",
            "3661000000000, 1h1m1s",
            "86400000000000, 1d0h0m0s",
            "90061000000000, 1d1h1m1s",
            "31535999000000000, 364d23h59m59s",
            "31536000000000000, 1y0d0h0m0s",
            "31626061000000000, 1y1d1h1m1s",
            "-1500000000,  -1s",
    })
    void uptimeIsNatsServersMyUptime(long nanos, String expected) {
        assertThat(GoFormat.uptime(Duration.ofNanos(nanos))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "0,             0s",
            "1,             1ns",
            "999,           999ns",
            "1000,          1\u00b5s",
            "512000,        512\u00b5s",
            "1500,          1.5\u00b5s",
            "1000000,       1ms",
            "1234567,       1.234567ms",
            "1500000,       1.5ms",
            "999999999,     999.999999ms",
            "1000000000,    1s",
            "1500000000,    1.5s",
            "59000000001,   59.000000001s",
            "120000000000,  2m0s",
            "3600000000000, 1h0m0s",
            "3723004000000, 1h2m3.004s",
            "90000000000000, 25h0m0s",
            "-1500000000,   -1.5s",
            "-512000,       -512\u00b5s",
            "9223372036854775807,  2562047h47m16.854775807s",
            "-9223372036854775808, -2562047h47m16.854775808s",
    })
    void durationIsGosDurationString(long nanos, String expected) {
        assertThat(GoFormat.duration(Duration.ofNanos(nanos))).isEqualTo(expected);
    }

    @Test
    void durationUsesTheMicroSignNotGreekMu() {
        assertThat(GoFormat.duration(Duration.ofNanos(250_000))).isEqualTo("250\u00b5s").doesNotContain("\u03bc");
    }

    @Test
    void durationBeyondGosRangeSaturates() {
        assertThat(GoFormat.duration(Duration.ofDays(365L * 1000))).isEqualTo("2562047h47m16.854775807s");
        assertThat(GoFormat.duration(Duration.ofDays(-365L * 1000))).isEqualTo("-2562047h47m16.854775808s");
    }
}
