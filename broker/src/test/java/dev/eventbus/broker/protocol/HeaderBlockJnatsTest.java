package dev.eventbus.broker.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.support.IncomingHeadersProcessor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HeaderBlock#check} against the parser it protects: jnats's {@link IncomingHeadersProcessor}, which event-service's
 * intake runs on its reader thread for every HMSG and which kills that thread when it throws. The contract: a block
 * the check passes never makes jnats throw (the converse need not hold; the check may refuse what jnats copes with).
 * Blocks are given as ISO-8859-1 strings, one char per byte, and checked where they sit inside a larger buffer, as
 * the broker checks them inside the HPUB it read.
 */
class HeaderBlockJnatsTest {
    private static final String PREFIX = "HPUB x 99 99\r\n";

    @ParameterizedTest
    @ValueSource(strings = {
            "NATS/1.0\r\n\r\n",
            "NATS/1.0 503\r\n\r\n",
            "NATS/1.0 503 No Responders\r\n\r\n",
            "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 12\r\n\r\n",
            "NATS/1.0\r\nA: b\r\nA: c\r\n\r\n",
            "NATS/1.0\r\nKey: value: with colon\r\nX-Empty:\r\n\r\n",
            "NATS/1.0\r\nTabbed:\tb\tc \t\r\nURL:http://h:1/p?q=a:b\r\n\r\n",
            "NATS/1.0 503 No Responders\r\nK: v\r\n\r\n",
    })
    void wellFormedBlocksPassAndJnatsParsesThem(String block) {
        assertThat(check(block)).as(block).isNull();
        jnats(block);
    }

    @Test
    void jnatsReadsWhatTheCheckPassedAsTheSenderMeantIt() {
        IncomingHeadersProcessor p = jnats("NATS/1.0 503 No Responders\r\nA: b\r\nA:  c \r\nB:x:y\r\n\r\n");
        assertThat(p.getStatus().getCode()).isEqualTo(503);
        assertThat(p.getHeaders().get("A")).containsExactly("b", "c");
        assertThat(p.getHeaders().get("B")).containsExactly("x:y");
    }

    /** The reviewer's blocks: the old check passed both and jnats throws on both. */
    @ParameterizedTest
    @ValueSource(strings = {
            "NATS/1.0 503 \r\nK: v\r\n\r\n",        // empty description followed by a header line
            "NATS/1.0\r\nK: caf\u00c3\u00a9\r\n\r\n", // UTF-8 in a value: jnats wants ASCII
            "NATS/1.0\r\nK: \u0080\r\n\r\n",
            "NATS/1.0\r\nK: a\u00ffb\r\n\r\n",
    })
    void blocksJnatsThrowsOnAreRefused(String block) {
        assertThatThrownBy(() -> jnats(block)).as(block).isInstanceOf(IllegalArgumentException.class);
        assertThat(check(block)).as(block).isNotNull();
    }

    @Test
    void refusalsSayWhatIsWrong() {
        assertThat(check("NATS/1.0 503 \r\nK: v\r\n\r\n")).startsWith("bad status line");
        assertThat(check("NATS/1.0\r\nK: caf\u00c3\u00a9\r\n\r\n"))
                .isEqualTo("header value with a byte other than printable ASCII or tab");
        assertThat(check("NATS/1.0\r\nK: a\nb\r\n\r\n")).isEqualTo("bare CR or LF in a header line");
        assertThat(check("NATS/1.0\r\nno-colon\r\n\r\n")).isEqualTo("header line without a colon");
        assertThat(check("NATS/1.0\r\n\r\nK: v\r\n\r\n")).isEqualTo("bytes after the empty line ending the header block");
    }

    /**
     * 200,000 blocks from a seeded generator over the bytes that matter to either parser; every one the check passes
     * must parse in jnats. Half are shaped like blocks (version, lines, empty line) so that many pass the check.
     */
    @Test
    void noBlockTheCheckPassesMakesJnatsThrow() {
        SplittableRandom random = new SplittableRandom(20261202L);
        int passed = 0;
        int refusedJnatsThrows = 0;
        for (int n = 0; n < 200_000; n++) {
            String block = random.nextBoolean() ? shaped(random) : noise(random, 1 + random.nextInt(30));
            boolean jnatsThrows;
            try {
                jnats(block);
                jnatsThrows = false;
            } catch (RuntimeException e) {
                jnatsThrows = true;
            }
            if (check(block) == null) {
                passed++;
                assertThat(jnatsThrows).as("check passed %s but jnats throws", printable(block)).isFalse();
            } else if (jnatsThrows) {
                refusedJnatsThrows++;
            }
        }
        // the generator must reach both sides of the line, or the property says nothing
        assertThat(passed).isGreaterThan(10_000);
        assertThat(refusedJnatsThrows).isGreaterThan(10_000);
    }

    private static final List<String> PIECES = List.of(
            "NATS/1.0", " ", " ", "0", "5", "9", "503", "A", "k", "Nats-", "E", ":", ":", "\r", "\n", "\r\n", "\r\n",
            "\t", "\u007f", "\u0000", "\u00c3\u00a9", "\u0080", "\u00ff");

    private static String shaped(SplittableRandom random) {
        StringBuilder b = new StringBuilder("NATS/1.0");
        switch (random.nextInt(4)) {
            case 0 -> b.append(' ').append(noise(random, random.nextInt(5)));
            case 1 -> b.append(" 503");
            case 2 -> b.append(" 503 ").append(noise(random, random.nextInt(4)));
            default -> { }
        }
        b.append("\r\n");
        for (int lines = random.nextInt(4); lines > 0; lines--) {
            b.append(noise(random, random.nextInt(3))).append(':').append(noise(random, random.nextInt(5))).append("\r\n");
        }
        return b.append(random.nextInt(8) == 0 ? noise(random, 2) : "\r\n").toString();
    }

    private static String noise(SplittableRandom random, int pieces) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pieces; i++) b.append(PIECES.get(random.nextInt(PIECES.size())));
        return b.toString();
    }

    /** The check over the block where it sits inside a larger buffer, with bytes on both sides. */
    private static String check(String block) {
        ByteBuf buf = Unpooled.wrappedBuffer((PREFIX + block + "payload\r\n").getBytes(ISO_8859_1));
        try {
            return HeaderBlock.check(buf, PREFIX.length(), block.length());
        } finally {
            buf.release();
        }
    }

    private static IncomingHeadersProcessor jnats(String block) {
        return new IncomingHeadersProcessor(block.getBytes(ISO_8859_1));
    }

    private static String printable(String block) {
        StringBuilder b = new StringBuilder();
        for (char c : block.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) b.append(c);
            else b.append(String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }
}
