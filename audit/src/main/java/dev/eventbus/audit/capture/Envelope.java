package dev.eventbus.audit.capture;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The reply envelope gather stores for every server and account endpoint: {@code {"server":{…},"data":{…}}} (spec
 * §1.7). Over HTTP there is no envelope, so it is built around the endpoint's body, which is kept byte for byte; the
 * archive writer then re-indents the whole as Go's {@code json.Indent} would.
 */
public final class Envelope {
    private Envelope() {}

    public static byte[] wrap(byte[] serverJson, byte[] dataJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(serverJson.length + dataJson.length + 32);
        out.writeBytes("{\"server\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(serverJson);
        out.writeBytes(",\"data\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(dataJson);
        out.write('}');
        return out.toByteArray();
    }
}
