package dev.eventbus.service.delivery;

import dev.eventbus.service.queue.QueuedEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * POSTs the event JSON unchanged to a URL with {@code Content-Type: application/json} and the headers
 * {@code X-Eventbus-Event-Id}, {@code X-Eventbus-Event-Type}, {@code X-Eventbus-Seq} (the event_seq) and
 * {@code X-Eventbus-Attempt} (so the target can deduplicate on the id), plus {@code X-Eventbus-Replay: true} on an
 * event re-delivered from history by {@code service replay}. 2xx is success; 408, 425, 429, 502, 503, 504, timeouts and connection errors mean
 * "unavailable"; any other status is a rejection of this event.
 */
public final class HttpDelivery implements Delivery {
    private static final Set<Integer> UNAVAILABLE = Set.of(408, 425, 429, 502, 503, 504);
    /** Marks a replayed event, on HTTP and on NATS targets alike. */
    public static final String REPLAY_HEADER = "X-Eventbus-Replay";
    /** The event's event_seq, on HTTP and on NATS targets alike. */
    public static final String SEQ_HEADER = "X-Eventbus-Seq";

    private final URI uri;
    private final HttpClient client;
    private final Duration requestTimeout;

    public HttpDelivery(URI uri, HttpClient client, Duration requestTimeout) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.client = Objects.requireNonNull(client, "client");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** An HTTP/1.1 client (with {@code sslContext} for https when not null) suitable for this delivery. */
    public static HttpClient newClient(SSLContext sslContext, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) b.sslContext(sslContext);
        return b.build();
    }

    @Override
    public DeliveryResult deliver(QueuedEvent event, int attempt) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("X-Eventbus-Event-Id", ascii(event.eventId()))
                .header("X-Eventbus-Event-Type", ascii(event.type()))
                .header(SEQ_HEADER, Long.toString(event.seq()))
                .header("X-Eventbus-Attempt", Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.payload()));
        if (event.replay()) b.header(REPLAY_HEADER, "true");
        HttpRequest req = b.build();
        HttpResponse<byte[]> rsp;
        try {
            rsp = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return DeliveryResult.unavailable("POST " + uri + ": timed out after " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            return DeliveryResult.unavailable("POST " + uri + ": " + describe(e));
        }
        int status = rsp.statusCode();
        if (status >= 200 && status < 300) return DeliveryResult.delivered();
        String detail = "POST " + uri + ": HTTP " + status + bodySnippet(rsp.body());
        return UNAVAILABLE.contains(status) ? DeliveryResult.unavailable(detail) : DeliveryResult.rejected(detail);
    }

    @Override
    public String describe() { return uri.toString(); }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String name = e.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            Throwable c = e.getCause();
            return c == null ? name : name + " (" + describe(c) + ")";
        }
        return name + ": " + m;
    }

    private static String bodySnippet(byte[] body) {
        if (body == null || body.length == 0) return "";
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? "" : " " + s.replaceAll("\\s+", " ");
    }

    /** Header values must be visible ASCII; anything else is percent-escaped. */
    static String ascii(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 0x20 && c < 0x7f && c != '%';
            if (!ok && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) {
                if (ok) {
                    b.append(c);
                } else {
                    for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) b.append('%').append(String.format("%02X", x));
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
