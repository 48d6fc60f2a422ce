package dev.eventbus.service.queue;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of the event log (format v2). Every segment file starts with a 32-byte header, then records back to back:
 * <pre>
 * segment header  u64 magic "EBSEGv02", u64 basePosition, u64 firstSeq, u32 reserved 0, u32 crc32c(bytes 0..28)
 * record header   u32 magic 0xEB5EC0DE, u32 bodyLength, u64 seq, u32 crc32c(body), u32 crc32c(bytes 0..20)
 * record body     u8 version=2, u64 acceptedAtMillis, u8 handlerCount, (u8 len, ascii name)*, u16 len, utf8 event_id,
 *                 u16 len, utf8 type, u32 len, payload
 * </pre>
 * The magic plus the CRC over the header make a record findable again after damage: a scan can test every byte
 * offset, and a false match needs two CRCs to agree by chance. The header CRC also means a damaged length field is
 * recognised as damage instead of sending the reader somewhere else in the file.
 */
final class RecordFormat {
    static final int SEGMENT_HEADER = 32;
    static final int RECORD_HEADER = 24;
    static final int RECORD_MAGIC = 0xEB5EC0DE;
    /** The smallest record: one handler with a one-letter name, empty event_id, type and payload. */
    static final int MIN_RECORD = RECORD_HEADER + 1 + 8 + 1 + 2 + 2 + 2 + 4;
    static final long SEGMENT_MAGIC = ByteBuffer.wrap("EBSEGv02".getBytes(StandardCharsets.US_ASCII)).getLong();
    static final byte BODY_VERSION = 2;
    static final int MAX_BODY = 256 * 1024 * 1024;

    private RecordFormat() {}

    /** A record header that passed its magic and CRC checks. */
    record Header(int bodyLength, long seq, int bodyCrc) {}

    /** A segment header that passed its magic and CRC checks. */
    record SegmentHeader(long base, long firstSeq) {}

    /** A record body, parsed. */
    record Body(long acceptedAtMillis, List<String> handlers, String eventId, String type, ByteBuffer bytes,
                int payloadOffset, int payloadLength) {
        byte[] payload() {
            byte[] p = new byte[payloadLength];
            bytes.get(payloadOffset, p);
            return p;
        }
    }

    static ByteBuffer segmentHeader(long base, long firstSeq) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER);
        b.putLong(SEGMENT_MAGIC).putLong(base).putLong(firstSeq).putInt(0);
        b.putInt(crc32c(b.array(), 0, 28));
        return b.flip();
    }

    /** @return the header, or null when the 32 bytes at {@code b}'s position are not a valid segment header */
    static SegmentHeader parseSegmentHeader(ByteBuffer b) {
        if (b.remaining() < SEGMENT_HEADER) return null;
        int at = b.position();
        if (b.getLong(at) != SEGMENT_MAGIC || b.getInt(at + 24) != 0) return null;
        if (crc32c(b, at, 28) != b.getInt(at + 28)) return null;
        return new SegmentHeader(b.getLong(at + 8), b.getLong(at + 16));
    }

    /**
     * Whether a segment file that lacks the v2 header starts with a record of the first format ({@code u32 length,
     * u32 crc32c(body), body with version byte 1}): then it is an old data directory, not a damaged one.
     */
    static boolean looksLikeV1(ByteBuffer start, long fileSize) {
        if (start.remaining() < 9) return false;
        int at = start.position();
        int len = start.getInt(at);
        if (len <= 0 || len > MAX_BODY || 8L + len > fileSize || start.get(at + 8) != 1) return false;
        if (start.remaining() < 8 + len) return true;           // caller read only a prefix: version byte suffices
        return crc32c(start, at + 8, len) == start.getInt(at + 4);
    }

    /**
     * Encodes a record with seq 0 and no header CRC: {@link #seal} fills them in under the append lock, so the
     * (larger) body work happens outside it.
     */
    static ByteBuffer encode(long acceptedAtMillis, List<String> handlers, String eventId, String type, byte[] payload) {
        if (handlers.size() > 255) throw new IllegalArgumentException("too many handlers");
        byte[][] hs = new byte[handlers.size()][];
        int body = 1 + 8 + 1;
        for (int i = 0; i < hs.length; i++) {
            hs[i] = handlers.get(i).getBytes(StandardCharsets.US_ASCII);
            if (hs[i].length > 255) throw new IllegalArgumentException("handler name too long");
            body += 1 + hs[i].length;
        }
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        byte[] ty = type.getBytes(StandardCharsets.UTF_8);
        if (id.length > 65535 || ty.length > 65535) throw new IllegalArgumentException("event_id or type too long");
        body += 2 + id.length + 2 + ty.length + 4 + payload.length;
        if (body > MAX_BODY) throw new IllegalArgumentException("record too large: " + body);
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER + body);
        b.putInt(RECORD_MAGIC).putInt(body).putLong(0).putInt(0).putInt(0);
        b.put(BODY_VERSION).putLong(acceptedAtMillis).put((byte) hs.length);
        for (byte[] h : hs) b.put((byte) h.length).put(h);
        b.putShort((short) id.length).put(id).putShort((short) ty.length).put(ty).putInt(payload.length).put(payload);
        b.putInt(16, crc32c(b.array(), RECORD_HEADER, body));
        return b.flip();
    }

    /** Stamps the sequence number into a record from {@link #encode} and seals its header with the header CRC. */
    static void seal(ByteBuffer record, long seq) {
        record.putLong(8, seq);
        record.putInt(20, crc32c(record.array(), 0, 20));
    }

    /** @return the header at {@code at} in {@code b}, or null unless magic and header CRC verify */
    static Header parseHeader(ByteBuffer b, int at) {
        if (b.limit() - at < RECORD_HEADER || b.getInt(at) != RECORD_MAGIC) return null;
        if (crc32c(b, at, 20) != b.getInt(at + 20)) return null;
        int len = b.getInt(at + 4);
        if (len <= 0 || len > MAX_BODY) return null;
        return new Header(len, b.getLong(at + 8), b.getInt(at + 16));
    }

    static boolean bodyIntact(Header h, ByteBuffer body) {
        return body.remaining() == h.bodyLength() && crc32c(body, body.position(), h.bodyLength()) == h.bodyCrc();
    }

    /** Parses a body whose CRC matched. */
    static Body decode(ByteBuffer body) throws DurableQueue.CorruptRecordException {
        try {
            ByteBuffer b = body.slice();
            byte v = b.get();
            if (v != BODY_VERSION) throw new DurableQueue.CorruptRecordException("unknown record version " + v);
            long acceptedAt = b.getLong();
            int n = b.get() & 0xff;
            if (n == 0) throw new DurableQueue.CorruptRecordException("record without handlers");
            List<String> handlers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) handlers.add(string(b, b.get() & 0xff, StandardCharsets.US_ASCII));
            String id = string(b, b.getShort() & 0xffff, StandardCharsets.UTF_8);
            String type = string(b, b.getShort() & 0xffff, StandardCharsets.UTF_8);
            int plen = b.getInt();
            if (plen < 0 || plen != b.remaining()) throw new DurableQueue.CorruptRecordException("payload length mismatch");
            return new Body(acceptedAt, List.copyOf(handlers), id, type, b, b.position(), plen);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new DurableQueue.CorruptRecordException("malformed record body");
        }
    }

    private static String string(ByteBuffer b, int len, Charset cs) {
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, cs);
    }

    static int crc32c(byte[] a, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(a, off, len);
        return (int) c.getValue();
    }

    static int crc32c(ByteBuffer b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b.slice(off, len));
        return (int) c.getValue();
    }
}
