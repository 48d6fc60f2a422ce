package dev.eventbus.gateway.demo;

import com.nimbusds.jwt.SignedJWT;
import dev.eventbus.certs.JdkSslContexts;
import dev.eventbus.gateway.auth.AgentInbox;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The demo's agent: connects to event-gateway over TLS with a token and publishes one event of each seed type in
 * turn, once a second, printing each acknowledgement. {@code SampleAgent URL CA_FILE TOKEN}.
 */
public final class SampleAgent {
    private static final List<String> TYPES = List.of("compliance_ingest", "cfgingest", "nodeTerminated", "event_feed",
            "scanJobCreated", "scanJobUpdated", "scanJobDeleted", "profileCreated", "profileUpdate", "profileDeleted");

    private SampleAgent() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SampleAgent URL CA_FILE TOKEN");
            System.exit(2);
        }
        // the gateway lets an agent receive replies only under its own inbox prefix, derived from the token's sub
        String sub = SignedJWT.parse(args[2]).getJWTClaimsSet().getSubject();
        Options o = new Options.Builder().server(args[0]).sslContext(JdkSslContexts.client(Path.of(args[1]), null, null))
                .token(args[2].toCharArray()).inboxPrefix(AgentInbox.prefix(sub))
                .maxReconnects(-1).reconnectWait(Duration.ofSeconds(1)).build();
        try (Connection nc = Nats.connect(o)) {
            System.out.println("[agent] connected to " + args[0] + " as a token holder");
            for (long i = 0; ; i++) {
                String type = TYPES.get((int) (i % TYPES.size()));
                String id = UUID.randomUUID().toString();
                String event = "{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\",\"producer\":{\"id\":\"demo-agent\",\"name\":\"Demo agent\","
                        + "\"type\":\"agent\",\"tags\":[\"demo\"]},\"tags\":[\"demo\"],\"published\":\"" + Instant.now() + "\","
                        + "\"verb\":\"create\",\"data\":{\"n\":" + i + "}}";
                try {
                    Message ack = nc.request("events." + type, event.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
                    System.out.println("[agent] events." + type + " -> " + (ack == null ? "no answer" : new String(ack.getData(), StandardCharsets.UTF_8)));
                } catch (Exception e) {
                    System.out.println("[agent] events." + type + " -> " + e.getMessage());
                }
                Thread.sleep(1000); // the demo's pace, one event a second
            }
        }
    }
}
