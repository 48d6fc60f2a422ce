package dev.eventbus.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventbus.service.SyncPolicy;
import dev.eventbus.service.queue.DurableQueue;
import dev.eventbus.service.queue.QueuedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code service verify}: what a data directory holds, damage with exit code 1, and never a byte written. */
class VerifyMainTest {
    @TempDir Path dir;

    record Run(int code, String out, String err) {}

    static Run verify(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VerifyMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private DurableQueue open() throws IOException {
        return DurableQueue.open(new DurableQueue.Options(dir, Set.of("a", "b"), SyncPolicy.always(), DurableQueue.DEFAULT_SEGMENT_BYTES), null);
    }

    /** 10 events for a, 5 for b (seq 1..15), the first 3 of a delivered; returns where event 8 (for a) starts. */
    private long fill(DurableQueue q) throws Exception {
        long pos8 = 0;
        for (int i = 1; i <= 15; i++) {
            long before = q.durableEnd();
            DurableQueue.Appended a = q.append("id-" + i, "t", List.of(i <= 10 ? "a" : "b"),
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), 0);
            assertThat(q.awaitDurable(a.end(), 5, TimeUnit.SECONDS)).isTrue();
            if (i == 8) pos8 = before;
        }
        for (int i = 0; i < 3; i++) {
            QueuedEvent e = q.next("a", 5, TimeUnit.SECONDS);
            q.ack("a", e);
        }
        return pos8;
    }

    private Map<Path, String> snapshot() throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                files.put(dir.relativize(p), Files.isDirectory(p) ? "dir" : Arrays.toString(Files.readAllBytes(p)) + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    @Test
    void aHealthyDirectoryIsDescribedAndExitsZero() throws Exception {
        try (DurableQueue q = open()) {
            fill(q);
        }
        Run r = verify("verify", "--data-dir", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("segments: 1").contains("00000000000000000000.log")
                .contains("records: 15 intact, seq 1..15").containsPattern("a +ack offset +\\d+ +pending 7")
                .containsPattern("b +ack offset +0 +pending 5").contains("findings: 0").endsWith("result: OK\n");
    }

    @Test
    void damageIsListedWithExitOneAndNothingIsWritten() throws Exception {
        long pos8;
        try (DurableQueue q = open()) {
            pos8 = fill(q);
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("log/00000000000000000000.log"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0}), pos8 + 4);        // event 8's length field
        }
        Map<Path, String> before = snapshot();
        Run r = verify("verify", "--data-dir", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("records: 14 intact, seq 1..15").containsPattern("a +ack offset +\\d+ +pending 6")
                .contains("findings: 1").contains("damaged_records: segment 00000000000000000000.log: ")
                .contains("at offset " + pos8).contains("1 records lost after seq 7").contains("not quarantined yet")
                .endsWith("result: DAMAGED (1 finding)\n");
        assertThat(snapshot()).isEqualTo(before);           // no quarantine, no truncation, no journal, no lock taken
        assertThat(dir.resolve("quarantine")).doesNotExist();
    }

    @Test
    void itReadsTheDirectoryOfARunningQueueWithoutDisturbingIt() throws Exception {
        try (DurableQueue q = open()) {
            fill(q);
            Run r = verify("verify", "--data-dir", dir.toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("records: 15 intact");
            DurableQueue.Appended a = q.append("id-16", "t", List.of("b"), "{}".getBytes(StandardCharsets.UTF_8), 0);
            assertThat(a.seq()).isEqualTo(16);
            assertThat(q.awaitDurable(a.end(), 5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void badUsageAndAnOldFormatDirectoryExitTwo() throws Exception {
        assertThat(verify("verify").code()).isEqualTo(2);
        assertThat(verify("verify", "--data-dir", dir.resolve("nope").toString()).err()).contains("is not a directory");
        Files.createDirectories(dir.resolve("log"));
        byte[] body = {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 'a', 0, 1, 'x', 0, 1, 't', 0, 0, 0, 2, '{', '}'};
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        Files.write(dir.resolve("log/00000000000000000000.log"),
                ByteBuffer.allocate(8 + body.length).putInt(body.length).putInt((int) crc.getValue()).put(body).array());
        Run r = verify("verify", "--data-dir", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("format v1");
    }
}
