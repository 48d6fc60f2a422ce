package dev.eventbus.certs;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to put in a leaf certificate.
 *
 * @param commonName      the subject's CN, e.g. {@code event-service}
 * @param subjectAltNames host names and IP literals ({@code localhost}, {@code 127.0.0.1}, {@code ::1}); IP literals
 *                        become iPAddress entries, everything else dNSName entries (wildcards like {@code *.example.com}
 *                        are allowed)
 * @param usage           server, client or both
 * @param keyAlgorithm    the leaf's own key pair
 * @param validity        from now (less five minutes of clock-skew allowance) to now + validity
 */
public record LeafSpec(String commonName, List<String> subjectAltNames, CertUsage usage, KeyAlgorithm keyAlgorithm, Duration validity) {
    public LeafSpec {
        Objects.requireNonNull(commonName, "commonName");
        if (commonName.isBlank()) throw new IllegalArgumentException("commonName is blank");
        subjectAltNames = List.copyOf(subjectAltNames);
        for (String san : subjectAltNames) {
            if (san.isBlank()) throw new IllegalArgumentException("a subject alternative name is blank");
        }
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) throw new IllegalArgumentException("validity must be positive, got " + validity);
    }

    /** EC P-256, valid for a year. */
    public static LeafSpec of(String commonName, CertUsage usage, String... subjectAltNames) {
        return new LeafSpec(commonName, List.of(subjectAltNames), usage, KeyAlgorithm.ecP256(), Duration.ofDays(365));
    }

    public LeafSpec withKeyAlgorithm(KeyAlgorithm alg) {
        return new LeafSpec(commonName, subjectAltNames, usage, alg, validity);
    }

    public LeafSpec withValidity(Duration d) {
        return new LeafSpec(commonName, subjectAltNames, usage, keyAlgorithm, d);
    }
}
