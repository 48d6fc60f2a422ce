package dev.eventbus.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The development PKI that {@code eventbus certs init} writes: two trust domains, each with its own CA, so that no
 * certificate made for an agent can open an internal door.
 *
 * <pre>
 *   ca.crt / ca.key                        the INTERNAL CA: signs service identities (gateway links, internal bus)
 *   event-service.crt / event-service.key  server+client, identity "event-service" (CN and SAN DNS)
 *   event-gateway.crt / event-gateway.key  server+client, identity "event-gateway"
 *   &lt;service&gt;.crt / &lt;service&gt;.key          more internal identities asked for ({@code --service NAME})
 *   agent-ca.crt / agent-ca.key            the AGENT CA: signs agents' client certificates only
 *   agent.crt / agent.key                  client only (extendedKeyUsage clientAuth), identity "agent"
 * </pre>
 *
 * The file name {@code ca.crt} is the internal CA's, as before the split, so that {@code [tls] root_ca_path = "ca.crt"}
 * keeps meaning "the CA of the services", and agents keep verifying the servers with it. Service certificates have
 * the SANs {@code localhost}, {@code 127.0.0.1}, {@code ::1} and their own name, plus any extra names given; an agent's
 * certificate has only its name (it is never a server). Keys are PKCS#8 PEM with mode 0600, certificates PEM with
 * mode 0644.
 */
public final class DevPki {
    /** The internal CA (file name kept from the single-CA PKI: every {@code root_ca_path = "ca.crt"} still works). */
    public static final String CA = "ca";
    /** The agent CA: event-gateway verifies agents' client certificates against it, and nothing else does. */
    public static final String AGENT_CA = "agent-ca";
    public static final List<String> SERVICES = List.of("event-service", "event-gateway");
    public static final String AGENT = "agent";
    public static final List<String> LOCAL_SANS = List.of("localhost", "127.0.0.1", "::1");
    public static final int DEFAULT_DAYS = 365;
    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private DevPki() {}

    /**
     * @param keyAlgorithm    for the CAs and every leaf
     * @param validity        for the CAs and every leaf
     * @param force           replace existing files; without it, any existing file stops {@link #init} before it writes
     * @param extraSans       more host names or IPs for every service certificate
     * @param extraServices   more internal identities to issue from the internal CA, besides event-service and
     *                        event-gateway (lower-case DNS labels, e.g. {@code compliance-service})
     */
    public record Options(KeyAlgorithm keyAlgorithm, Duration validity, boolean force, List<String> extraSans,
                          List<String> extraServices) {
        public Options {
            Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
            Objects.requireNonNull(validity, "validity");
            if (validity.isNegative() || validity.isZero()) throw new IllegalArgumentException("validity must be positive");
            extraSans = List.copyOf(extraSans);
            extraServices = List.copyOf(new LinkedHashSet<>(extraServices));
            for (String s : extraServices) {
                if (!SERVICE_NAME.matcher(s).matches()) {
                    throw new IllegalArgumentException("service name '" + s + "' is not a lower-case DNS label (a-z, 0-9, '-')");
                }
                if (SERVICES.contains(s) || s.equals(CA) || s.equals(AGENT_CA) || s.equals(AGENT)) {
                    throw new IllegalArgumentException("service name '" + s + "' is taken by a file certs init always writes");
                }
            }
        }

        public Options(KeyAlgorithm keyAlgorithm, Duration validity, boolean force, List<String> extraSans) {
            this(keyAlgorithm, validity, force, extraSans, List.of());
        }

        public static Options defaults() {
            return new Options(KeyAlgorithm.ecP256(), Duration.ofDays(DEFAULT_DAYS), false, List.of(), List.of());
        }

        /** event-service, event-gateway, then the extra services. */
        public List<String> services() {
            List<String> out = new ArrayList<>(SERVICES);
            out.addAll(extraServices);
            return out;
        }
    }

    /**
     * What {@link #init} made.
     *
     * @param ca      the internal CA ({@code ca.crt})
     * @param agentCa the agent CA ({@code agent-ca.crt})
     * @param leaves  by name: the services ({@code event-service}, {@code event-gateway}, extra ones), then {@code agent}
     */
    public record Result(Path dir, CertificateAuthority ca, CertificateAuthority agentCa, Map<String, IssuedCertificate> leaves,
                         List<Path> files) {}

    /** The names {@link #init} writes by default, in order: the internal CA and its services, the agent CA and its agent. */
    public static List<String> names() {
        return names(Options.defaults());
    }

    private static List<String> names(Options options) {
        List<String> out = new ArrayList<>();
        out.add(CA);
        out.addAll(options.services());
        out.add(AGENT_CA);
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

    /** Every file {@link #init} writes in {@code dir} by default. */
    public static List<Path> files(Path dir) {
        return files(dir, Options.defaults());
    }

    /** Every file {@link #init} writes in {@code dir} with these options. */
    public static List<Path> files(Path dir, Options options) {
        List<Path> out = new ArrayList<>();
        for (String n : names(options)) {
            out.add(certFile(dir, n));
            out.add(keyFile(dir, n));
        }
        return out;
    }

    /** The subject alternative names a service certificate gets. */
    public static List<String> sans(String name, List<String> extra) {
        List<String> out = new ArrayList<>(LOCAL_SANS);
        out.add(name);
        for (String e : extra) {
            if (!out.contains(e)) out.add(e);
        }
        return out;
    }

    /** Creates both CAs and the leaves in memory, then writes them all; refuses to replace files unless {@code force}. */
    public static Result init(Path dir, Options options) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new CertsException(dir + ": exists and is not a directory");
        List<Path> files = files(dir, options);
        if (!options.force()) {
            List<String> existing = new ArrayList<>();
            for (Path f : files) {
                if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) existing.add(f.getFileName().toString());
            }
            if (!existing.isEmpty()) {
                throw new CertsException(dir + ": refusing to overwrite existing " + String.join(", ", existing)
                        + " (--force replaces them)");
            }
        }
        CertificateAuthority ca = CertificateAuthority.create(CertificateAuthority.uniqueDevCaName("internal"),
                options.keyAlgorithm(), options.validity());
        CertificateAuthority agentCa = CertificateAuthority.create(CertificateAuthority.uniqueDevCaName("agent"),
                options.keyAlgorithm(), options.validity());
        Map<String, IssuedCertificate> leaves = new LinkedHashMap<>();
        for (String s : options.services()) {
            // services accept connections (serverAuth) and open them to each other (clientAuth): gateway links go both ways
            leaves.put(s, ca.issue(new LeafSpec(s, sans(s, options.extraSans()), CertUsage.SERVER_AND_CLIENT,
                    options.keyAlgorithm(), options.validity())));
        }
        // an agent is only ever a client: no host names, clientAuth only, and signed by a CA no internal port trusts
        leaves.put(AGENT, agentCa.issue(new LeafSpec(AGENT, List.of(AGENT), CertUsage.CLIENT, options.keyAlgorithm(),
                options.validity())));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CertsException(dir + ": cannot create directory: " + SecureFiles.reason(e), e);
        }
        // each file is replaced atomically; a server reloading meanwhile may see a new key with the old certificate for
        // a moment, rejects that pair (ReloadingSslContext) and picks up the complete pair on its next check
        Pem.writePrivateKey(keyFile(dir, CA), ca.privateKey(), Pem.KeyFormat.PKCS8);
        Pem.writeCertificates(certFile(dir, CA), ca.certificate());
        Pem.writePrivateKey(keyFile(dir, AGENT_CA), agentCa.privateKey(), Pem.KeyFormat.PKCS8);
        Pem.writeCertificates(certFile(dir, AGENT_CA), agentCa.certificate());
        for (Map.Entry<String, IssuedCertificate> e : leaves.entrySet()) {
            Pem.writePrivateKey(keyFile(dir, e.getKey()), e.getValue().privateKey(), Pem.KeyFormat.PKCS8);
            Pem.writeCertificates(certFile(dir, e.getKey()), e.getValue().chain());
        }
        return new Result(dir, ca, agentCa, Collections.unmodifiableMap(leaves), files);
    }
}
