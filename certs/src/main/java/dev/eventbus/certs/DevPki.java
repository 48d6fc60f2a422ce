package dev.eventbus.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The development PKI that {@code eventbus certs init} writes: a CA, and leaf certificates for the two services and
 * for an agent.
 *
 * <pre>
 *   ca.crt / ca.key                        the CA (basicConstraints CA:true, pathlen 0)
 *   event-service.crt / event-service.key  server+client (the services do mTLS both ways)
 *   event-gateway.crt / event-gateway.key  server+client
 *   agent.crt / agent.key                  client only (extendedKeyUsage clientAuth)
 * </pre>
 *
 * Every leaf has the SANs {@code localhost}, {@code 127.0.0.1}, {@code ::1} and its own name, plus any extra names
 * given. Keys are PKCS#8 PEM with mode 0600, certificates PEM with mode 0644.
 */
public final class DevPki {
    public static final String CA = "ca";
    public static final List<String> SERVICES = List.of("event-service", "event-gateway");
    public static final String AGENT = "agent";
    public static final List<String> LOCAL_SANS = List.of("localhost", "127.0.0.1", "::1");
    public static final int DEFAULT_DAYS = 365;

    private DevPki() {}

    /**
     * @param keyAlgorithm    for the CA and every leaf
     * @param validity        for the CA and every leaf
     * @param force           replace existing files; without it, any existing file stops {@link #init} before it writes
     * @param extraSans       more host names or IPs for every leaf
     */
    public record Options(KeyAlgorithm keyAlgorithm, Duration validity, boolean force, List<String> extraSans) {
        public Options {
            Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
            Objects.requireNonNull(validity, "validity");
            if (validity.isNegative() || validity.isZero()) throw new IllegalArgumentException("validity must be positive");
            extraSans = List.copyOf(extraSans);
        }

        public static Options defaults() {
            return new Options(KeyAlgorithm.ecP256(), Duration.ofDays(DEFAULT_DAYS), false, List.of());
        }
    }

    /**
     * What {@link #init} made.
     *
     * @param leaves by name ({@code event-service}, {@code event-gateway}, {@code agent}), in that order
     */
    public record Result(Path dir, CertificateAuthority ca, Map<String, IssuedCertificate> leaves, List<Path> files) {}

    /** The names {@link #init} writes, in order: the CA, the services, the agent. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        out.add(CA);
        out.addAll(SERVICES);
        out.add(AGENT);
        return out;
    }

    /** {@code dir/<name>.crt}. */
    public static Path certFile(Path dir, String name) {
        return dir.resolve(name + ".crt");
    }

    /** {@code dir/<name>.key}. */
    public static Path keyFile(Path dir, String name) {
        return dir.resolve(name + ".key");
    }

    /** Every file {@link #init} writes in {@code dir}. */
    public static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
        for (String n : names()) {
            out.add(certFile(dir, n));
            out.add(keyFile(dir, n));
        }
        return out;
    }

    /** The subject alternative names a leaf gets. */
    public static List<String> sans(String name, List<String> extra) {
        List<String> out = new ArrayList<>(LOCAL_SANS);
        out.add(name);
        for (String e : extra) {
            if (!out.contains(e)) out.add(e);
        }
        return out;
    }

    /** Creates the CA and leaves in memory, then writes them all; refuses to replace files unless {@code force}. */
    public static Result init(Path dir, Options options) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new CertsException(dir + ": exists and is not a directory");
        if (!options.force()) {
            List<String> existing = new ArrayList<>();
            for (Path f : files(dir)) {
                if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) existing.add(f.getFileName().toString());
            }
            if (!existing.isEmpty()) {
                throw new CertsException(dir + ": refusing to overwrite existing " + String.join(", ", existing)
                        + " (--force replaces them)");
            }
        }
        CertificateAuthority ca = CertificateAuthority.create(CertificateAuthority.uniqueDevCaName(), options.keyAlgorithm(),
                options.validity());
        Map<String, IssuedCertificate> leaves = new LinkedHashMap<>();
        for (String s : SERVICES) {
            leaves.put(s, ca.issue(new LeafSpec(s, sans(s, options.extraSans()), CertUsage.SERVER_AND_CLIENT,
                    options.keyAlgorithm(), options.validity())));
        }
        leaves.put(AGENT, ca.issue(new LeafSpec(AGENT, sans(AGENT, options.extraSans()), CertUsage.CLIENT,
                options.keyAlgorithm(), options.validity())));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CertsException(dir + ": cannot create directory: " + SecureFiles.reason(e), e);
        }
        // each file is replaced atomically; a server reloading meanwhile may see a new key with the old certificate for
        // a moment, rejects that pair (ReloadingSslContext) and picks up the complete pair on its next check
        Pem.writePrivateKey(keyFile(dir, CA), ca.privateKey(), Pem.KeyFormat.PKCS8);
        Pem.writeCertificates(certFile(dir, CA), ca.certificate());
        for (Map.Entry<String, IssuedCertificate> e : leaves.entrySet()) {
            Pem.writePrivateKey(keyFile(dir, e.getKey()), e.getValue().privateKey(), Pem.KeyFormat.PKCS8);
            Pem.writeCertificates(certFile(dir, e.getKey()), e.getValue().chain());
        }
        return new Result(dir, ca, Collections.unmodifiableMap(leaves), files(dir));
    }
}
