package dev.eventbus.broker.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Syntax check of an HPUB header block, for servers that must not pass on what a client library cannot parse
 * ({@code BrokerOptions.strictHeaders}). nats-server 2.9.10 forwards header bytes verbatim; jnats, nats.go and
 * nats.js then reject a block that does not start with {@code NATS/1.0} or has a line without a colon, and jnats
 * loses its reader thread doing so. So a server in front of such subscribers checks, once per message with headers,
 * what those parsers require:
 *
 * <pre>
 * NATS/1.0[ SP 3DIGIT[ SP description]] CRLF
 * (name ":" value CRLF)*
 * CRLF
 * </pre>
 *
 * where a name is one or more visible ASCII characters other than {@code :}, and a value holds no CR or LF.
 * Runs on the publisher's event loop over the bytes where they were read; allocates nothing unless it refuses.
 */
public final class HeaderBlock {
    private static final byte[] VERSION = {'N', 'A', 'T', 'S', '/', '1', '.', '0'};

    private HeaderBlock() {}

    /** @return null when the block is well formed, else what is wrong with it (for the -ERR text and logs) */
    public static String check(ByteBuf buf, int off, int len) {
        int end = off + len;
        if (len < VERSION.length + 4) return "header block too short";
        for (int i = 0; i < VERSION.length; i++) {
            if (buf.getByte(off + i) != VERSION[i]) return "header block does not start with NATS/1.0";
        }
        if (buf.getByte(end - 4) != '\r' || buf.getByte(end - 3) != '\n' || buf.getByte(end - 2) != '\r'
                || buf.getByte(end - 1) != '\n') {
            return "header block does not end with an empty line";
        }
        int pos = off + VERSION.length;
        int eol = lineEnd(buf, pos, end);
        if (eol < 0) return "bare CR or LF in the status line";
        if (eol > pos) {
            // " 503" or " 503 description": jnats refuses a status that is not a number
            if (eol - pos < 4 || buf.getByte(pos) != ' ' || !digit(buf, pos + 1) || !digit(buf, pos + 2)
                    || !digit(buf, pos + 3) || (eol - pos > 4 && buf.getByte(pos + 4) != ' ')) {
                return "bad status line (expected NATS/1.0 or NATS/1.0 <3-digit status>[ <description>])";
            }
        }
        pos = eol + 2;
        while (pos < end - 2) {
            eol = lineEnd(buf, pos, end);
            if (eol < 0) return "bare CR or LF in a header line";
            int colon = -1;
            for (int i = pos; i < eol; i++) {
                byte c = buf.getByte(i);
                if (c == ':') {
                    colon = i;
                    break;
                }
                if (c <= ' ' || c > '~') return "header name with a space or control character";
            }
            if (colon < 0) return "header line without a colon";
            if (colon == pos) return "empty header name";
            pos = eol + 2;
        }
        return pos == end - 2 ? null : "header block does not end with an empty line";
    }

    private static boolean digit(ByteBuf buf, int i) {
        byte c = buf.getByte(i);
        return c >= '0' && c <= '9';
    }

    /** The index of the CR of the CRLF ending the line that starts at {@code pos}, or -1 on a bare CR or LF. */
    private static int lineEnd(ByteBuf buf, int pos, int end) {
        for (int i = pos; i < end - 1; i++) {
            byte c = buf.getByte(i);
            if (c == '\r') return buf.getByte(i + 1) == '\n' ? i : -1;
            if (c == '\n') return -1;
        }
        return -1;
    }
}
