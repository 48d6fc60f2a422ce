package dev.eventbus.broker.protocol;

import io.netty.buffer.ByteBuf;

/**
 * What the {@link Parser} calls for each operation it recognises (nats-server's {@code process*} functions). All
 * offsets index the buffer passed in, which is only valid for the duration of the call.
 */
public interface ProtocolHandler {
    void processConnect(ByteBuf buf, int offset, int length);

    void processInfo(ByteBuf buf, int offset, int length);

    /**
     * The control line of a PUB or HPUB, before its payload is buffered. Called again each time more of the payload
     * arrives, so it must have no side effects on success.
     *
     * @return false to stop parsing (the connection is being closed, e.g. for max_payload)
     */
    boolean processPubArgs(ByteBuf buf, PubArgs args);

    /** A whole PUB or HPUB, payload included. */
    void processMsg(ByteBuf buf, PubArgs args);

    /** @param queueLength 0 for a plain subscription */
    void processSub(ByteBuf buf, int subjectOffset, int subjectLength, int queueOffset, int queueLength,
                    int sidOffset, int sidLength);

    /** @param max the auto-unsubscribe count, or -1 when absent or not a valid size */
    void processUnsub(ByteBuf buf, int sidOffset, int sidLength, int max);

    void processPing();

    void processPong();

    void processOk();

    void processErr(ByteBuf buf, int offset, int length);

    /** The input broke the protocol; the parser has stopped. */
    void protocolError(ParseError error, String detail);
}
