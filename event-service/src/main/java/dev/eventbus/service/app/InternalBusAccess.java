package dev.eventbus.service.app;

import dev.eventbus.broker.auth.CertificateAuthenticator;
import dev.eventbus.broker.auth.CertificateIdentities;
import dev.eventbus.broker.auth.Permissions;
import dev.eventbus.certs.CertInfo;
import dev.eventbus.certs.Pem;
import dev.eventbus.config.ConfigTable;
import dev.eventbus.config.EffectiveConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use event-service's internal NATS port, and with which rights: the internal bus authenticates its clients
 * by the identity of their certificate (nats-server's {@code verify_and_map}), instead of letting every certificate
 * the internal CA signed in with full rights.
 *
 * <ul>
 *   <li>event-service's own identity (the common name of [tls] cert_path) has every right: its intake and its
 *       publishers connect with that certificate;</li>
 *   <li>each {@code [[internal_messaging.clients]]} entry admits one more identity with exactly its publish and
 *       subscribe lists (empty: nothing), never in the intake's queue group;</li>
 *   <li>any other certificate is refused with {@code Authorization Violation}.</li>
 * </ul>
 */
final class InternalBusAccess {
    static final String CLIENTS = "internal_messaging.clients";

    private InternalBusAccess() {}

    /** The identity event-service claims for itself: the CN of its certificate (certs init: {@code event-service}). */
    static String ownIdentity(Path certFile) {
        CertInfo info = CertInfo.of(Pem.readCertificate(certFile));
        return info.commonName().filter(cn -> !cn.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "tls.cert_path: " + certFile + " has no subject common name; event-service takes its identity on the internal bus from it"));
    }

    /** Builds the authenticator; a bad entry stops the start with a message naming it. */
    static CertificateAuthenticator authenticator(EffectiveConfig cfg, Path certFile) {
        String own = ownIdentity(certFile);
        CertificateAuthenticator.Builder b = CertificateAuthenticator.builder().identity(own, Permissions.ALLOW_ALL);
        String ownNormalized = CertificateIdentities.normalize(own);
        Set<String> seen = new HashSet<>();
        for (ConfigTable t : cfg.getTables(CLIENTS)) {
            String id = t.getString("identity");
            String normalized = CertificateIdentities.normalize(id);
            if (normalized.equalsIgnoreCase(ownNormalized)) {
                throw new IllegalArgumentException(t.name() + ".identity: \"" + id
                        + "\" is event-service's own identity, which always has every right; give the client its own certificate");
            }
            if (!seen.add(normalized.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(t.name() + ".identity: \"" + id + "\" is listed twice in " + CLIENTS);
            }
            b.identity(id, permissions(t.getList("publish", String.class), t.getList("subscribe", String.class)));
        }
        return b.build();
    }

    /**
     * An allow list on both sides, always: an empty list allows nothing (Permissions treats "no list" as everything).
     * The intake's queue group is reserved: a client allowed to read events may watch them, never join the group
     * and take events (and their acknowledgements) away from event-service.
     */
    private static Permissions permissions(List<String> publish, List<String> subscribe) {
        return Permissions.builder().publishAllow(publish.toArray(new String[0])).subscribeAllow(subscribe.toArray(new String[0]))
                .subscribeDeny(Intake.SUBJECTS + " " + Intake.QUEUE).build();
    }
}
