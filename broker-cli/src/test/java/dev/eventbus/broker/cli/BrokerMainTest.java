package dev.eventbus.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a user of {@code bin/eventbus broker} sees for bad input: one clear line and an exit code, no stack trace. */
class BrokerMainTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void anUnknownFlagIsNamedAndExitsWith2() {
        assertThat(BrokerMain.run(new String[] {"--bogus"})).isEqualTo(2);
        assertThat(err()).startsWith("eventbus broker: unknown flag: --bogus").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aBadValueIsNamedWithWhatWasExpected() {
        assertThat(BrokerMain.run(new String[] {"-p", "70000"})).isEqualTo(2);
        assertThat(err()).contains("invalid value \"70000\" for flag -p: expected a port 0..65535");
        err.reset();
        assertThat(BrokerMain.run(new String[] {"--user", "alice"})).isEqualTo(2);
        assertThat(err()).contains("--user and --pass must be given together");
        err.reset();
        assertThat(BrokerMain.run(new String[] {"--tlsverify", "--tlscert", "a", "--tlskey", "b"})).isEqualTo(2);
        assertThat(err()).contains("--tlsverify needs --tlscacert");
    }

    @Test
    void aPortInUseIsAClearErrorAndExit1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int code = BrokerMain.run(new String[] {"-a", "127.0.0.1", "-p", String.valueOf(taken.getLocalPort())});
            assertThat(code).isEqualTo(1);
            assertThat(err()).contains("cannot listen for client connections on 127.0.0.1:" + taken.getLocalPort() + ": address already in use")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void theLimitFlagsAreCheckedAndReachTheOptions() {
        assertThat(BrokerMain.run(new String[] {"--max_subscriptions", "-1"})).isEqualTo(2);
        assertThat(err()).contains("invalid value \"-1\" for flag --max_subscriptions: expected a whole number >= 0 (0 = unlimited)");
        err.reset();
        assertThat(BrokerMain.run(new String[] {"--max_pending_auth=0"})).isEqualTo(2);
        assertThat(err()).contains("invalid value \"0\" for flag --max_pending_auth: expected a whole number >= 1");
        assertThat(BrokerFlags.parse(new String[] {"--max_subscriptions", "0", "--max_connections=10", "--max_pending_auth", "3"})
                .limits()).isEqualTo(new BrokerFlags.Limits(10, 0, 3));
        assertThat(BrokerMain.run(new String[] {"-h"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--max_subscriptions <n>").contains("--max_pending_auth <n>");
    }

    @Test
    void helpAndVersionPrintAndExit0() {
        assertThat(BrokerMain.run(new String[] {"-h"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: eventbus broker [options]").contains("--gateway_remote");
        out.reset();
        assertThat(BrokerMain.run(new String[] {"-v"})).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("nats-server protocol 2.9.10");
    }
}
