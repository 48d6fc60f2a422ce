package dev.eventbus.broker.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Syntax check of an HPUB header block, for servers that must not pass on what a client library cannot parse
 * ({@code BrokerOptions.strictHeaders}). nats-server 2.9.10 forwards header bytes verbatim; jnats, nats.go and
 * nats.js then reject a block that does not start with {@code NATS/1.0} or has a line without a colon, and jnats
 * loses its reader thread doing so. So a server in front of such subscribers checks, once per message with headers,
 * a subset of what those parsers accept (the contract: a block this check passes never makes jnats 2.26's
 * {@code IncomingHeadersProcessor} throw; {@code HeaderBlockJnatsTest} holds it to that against the real parser):
 *
 * <pre>
 * NATS/1.0[ SP 3DIGIT[ SP VCHAR *text]] CRLF
 * (name ":" *text CRLF)*
 * CRLF
 * </pre>
 *
 * where a name is one or more VCHAR (visible ASCII, 0x21-0x7E) other than {@code :}, and text is VCHAR, SP or HTAB.
 * Stricter than jnats where being exact would mean copying its quirks; refused although jnats copes:
 * <ul>
 *   <li>any byte other than VCHAR, SP or HTAB in a value or status description: jnats throws on bytes 0x80 and up
 *       (a value must be ASCII) and on CR or LF; other controls it would pass, but no client sends them;</li>
 *   <li>a status description that is empty or starts with a space ({@code "NATS/1.0 503 \r\n"}): jnats takes it
 *       only when no header line follows, and throws {@code Invalid header composition} when one does;</li>
 *   <li>more than one space before the status code, a name with leading control characters (jnats trims them),
 *       and bytes after the empty line (jnats ignores them).</li>
 * </ul>
 * One pass over the bytes where they were read, on the publisher's event loop; allocates nothing.
 */
public final class HeaderBlock {
    private static final byte[] VERSION = {'N', 'A', 'T', 'S', '/', '1', '.', '0'};
    private static final String BAD_STATUS =
            "bad status line (expected NATS/1.0 or NATS/1.0 <3-digit status>[ <description>])";
    private static final String BARE_IN_STATUS = "bare CR or LF in the status line";
    private static final String BARE_IN_HEADER = "bare CR or LF in a header line";
    private static final String BAD_VALUE = "header value with a byte other than printable ASCII or tab";

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
        // the block ends in CRLF CRLF, so every index read below that is < end - 2 has a successor inside the block
        int pos = off + VERSION.length;
        if (buf.getByte(pos) == ' ') {
            // " 503" or " 503 description": jnats refuses a status that is not a number
            if (!digit(buf, pos + 1) || !digit(buf, pos + 2) || !digit(buf, pos + 3)) {
                return BAD_STATUS;
            }
            pos += 4;
            if (buf.getByte(pos) == ' ') {
                byte c = buf.getByte(pos + 1);
                // an empty description ("503 " CRLF) breaks jnats as soon as a header line follows
                if (c <= ' ' || c > '~') return BAD_STATUS;
                pos = skipText(buf, pos + 2, end);
            }
        }
        String bad = lineEnd(buf, pos, BARE_IN_STATUS, BAD_STATUS);
        if (bad != null) return bad;
        pos += 2;
        while (pos < end - 2) {
            int name = pos;
            byte c;
            while ((c = buf.getByte(pos)) != ':') {
                if (c == '\r' || c == '\n') {
                    if (c == '\n' || buf.getByte(pos + 1) != '\n') return BARE_IN_HEADER;
                    return pos == name ? "bytes after the empty line ending the header block"
                            : "header line without a colon";
                }
                if (c <= ' ' || c > '~') return "header name with a space or control character";
                pos++;
            }
            if (pos == name) return "empty header name";
            pos = skipText(buf, pos + 1, end);
            bad = lineEnd(buf, pos, BARE_IN_HEADER, BAD_VALUE);
            if (bad != null) return bad;
            pos += 2;
        }
        return pos == end - 2 ? null : "header block does not end with an empty line";
    }

    private static boolean digit(ByteBuf buf, int i) {
        byte c = buf.getByte(i);
        return c >= '0' && c <= '9';
    }

    /** @return the index of the first byte from {@code pos} on that is not VCHAR, SP or HTAB (at most end - 2) */
    private static int skipText(ByteBuf buf, int pos, int end) {
        while (pos < end - 2) {
            byte c = buf.getByte(pos);
            if ((c < ' ' && c != '\t') || c > '~') return pos;
            pos++;
        }
        return pos;
    }

    /** @return null when a CRLF starts at {@code pos} (below end - 2), else why not: a bare CR or LF, or a bad byte */
    private static String lineEnd(ByteBuf buf, int pos, String bareCrLf, String badByte) {
        byte c = buf.getByte(pos);
        if (c == '\r' && buf.getByte(pos + 1) == '\n') return null;
        return c == '\r' || c == '\n' ? bareCrLf : badByte;
    }
}
