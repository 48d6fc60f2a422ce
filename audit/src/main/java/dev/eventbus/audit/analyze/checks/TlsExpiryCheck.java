package dev.eventbus.audit.analyze.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventbus.audit.analyze.ArchiveView;
import dev.eventbus.audit.analyze.Check;
import dev.eventbus.audit.analyze.ConfigItem;
import dev.eventbus.audit.analyze.Examples;
import dev.eventbus.audit.analyze.Outcome;
import dev.eventbus.audit.archive.ArtifactType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** SERVER_008: TLS certificates (client, cluster, gateway, leaf, mqtt, websocket) expired or about to. */
public final class TlsExpiryCheck extends Check {
    private static final String[] SECTIONS = {"", "cluster", "gateway", "leaf", "mqtt", "websocket"};

    public TlsExpiryCheck() {
        super("SERVER_008", "server", "TLS Certificate Expiry", "No TLS certificate expires soon",
                new ConfigItem("tls_expire_critical", "days before expiry at which a certificate fails", 7, "int"),
                new ConfigItem("tls_expire_warning", "days before expiry at which a certificate warns", 30, "int"));
    }

    @Override
    public Outcome run(ArchiveView archive, Examples ex) {
        Outcome o = Outcome.PASS;
        int certs = 0;
        for (ArchiveView.ServerData d : archive.present(ArtifactType.VARIABLES)) {
            JsonNode v = d.first();
            Instant now = time(v.path("now").asText(""));
            if (now == null) now = Instant.now();
            for (String section : SECTIONS) {
                JsonNode node = section.isEmpty() ? v : v.path(section);
                Instant notAfter = time(node.path("tls_cert_not_after").asText(""));
                if (notAfter == null) continue;
                certs++;
                long days = Duration.between(now, notAfter).toDays();
                String which = section.isEmpty() ? "client" : section;
                if (!notAfter.isAfter(now) || days <= threshold("tls_expire_critical")) {
                    ex.add("%s: %s certificate %s", d.ref(), which, notAfter.isAfter(now) ? "expires in " + days + " days" : "has expired");
                    o = Outcome.FAIL;
                } else if (days <= threshold("tls_expire_warning")) {
                    ex.add("%s: %s certificate expires in %d days", d.ref(), which, days);
                    o = o.worst(Outcome.WARN);
                }
            }
        }
        if (certs == 0) return ex.skip("no TLS certificates in the archive");
        return o;
    }

    private static Instant time(String s) {
        if (s.isEmpty()) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
