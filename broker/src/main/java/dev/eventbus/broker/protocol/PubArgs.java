package dev.eventbus.broker.protocol;

/**
 * The parsed arguments of one PUB or HPUB, as offsets into the buffer the parser was given. One instance per parser,
 * reused for every message, so the hot path allocates nothing; valid only during the handler call.
 */
public final class PubArgs {
    public int subjectOffset;
    public int subjectLength;
    /** 0 when the publish has no reply subject. */
    public int replyOffset;
    public int replyLength;
    /** Header block length for HPUB; -1 for PUB. */
    public int headerSize;
    /** Total size: payload for PUB, header block plus payload for HPUB. */
    public int totalSize;
    /** The size tokens as the client wrote them; nats-server echoes them verbatim in MSG/HMSG. */
    public int headerTokenOffset;
    public int headerTokenLength;
    public int totalTokenOffset;
    public int totalTokenLength;
    /** Where the header block (HPUB) or payload (PUB) starts; set once the whole message is buffered. */
    public int payloadOffset;

    /** RMSG/HMSG from a gateway: the account, and the queue groups the receiver should serve. */
    public int accountOffset;
    public int accountLength;
    public int queueCount;
    public int[] queueOffsets = new int[0];
    public int[] queueLengths = new int[0];

    public boolean hasReply() { return replyLength > 0; }

    public boolean hasHeaders() { return headerSize > 0; }
}
