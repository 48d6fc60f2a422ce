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

    // ---- gateway links only (the parser offers these ops when built for a gateway) ----

    /** {@code RS+ <acc> <subject> [<queue> <weight>]} or {@code RS- <acc> <subject> [<queue>]}; args raw. */
    default void processRemoteSub(boolean add, ByteBuf buf, int offset, int length) {
        throw new UnsupportedOperationException("RS on a client connection");
    }

    /** {@code A+ <acc>} / {@code A- <acc>}. */
    default void processAccountInterest(boolean add, ByteBuf buf, int offset, int length) {
        throw new UnsupportedOperationException("A+/A- on a client connection");
    }

    /** The control line of an RMSG or HMSG; same contract as {@link #processPubArgs}. */
    default boolean processRoutedMsgArgs(ByteBuf buf, PubArgs args) { return true; }

    /** A whole RMSG or HMSG, payload included; {@code args} has the account and the queue list. */
    default void processRoutedMsg(ByteBuf buf, PubArgs args) {
        throw new UnsupportedOperationException("RMSG on a client connection");
    }
}
