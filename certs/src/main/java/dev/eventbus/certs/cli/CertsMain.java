package dev.eventbus.certs.cli;

import dev.eventbus.certs.CertChains;
import dev.eventbus.certs.CertInfo;
import dev.eventbus.certs.CertificateAuthority;
import dev.eventbus.certs.CertsException;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.IssuedCertificate;
import dev.eventbus.certs.KeyAlgorithm;
import dev.eventbus.certs.Pem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code eventbus certs init|show}: the development PKI on the command line.
 *
 * <p>Exit codes: 0 done; 1 an error (a missing file, a file that is not PEM, files that exist without --force);
 * 2 a usage error; 3 {@code show --ca}: the certificate does not chain to the CA. Errors are one line on stderr,
 * never a stack trace.
 */
public final class CertsMain {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int NOT_TRUSTED = 3;

    static final String USAGE_TEXT = """
            Usage: eventbus certs <command> [flags]

            Commands:
              init --out DIR [--days N] [--rsa [BITS]] [--san NAME]... [--service NAME]... [--force]
                  Create a development PKI in DIR with two separate trust domains:
                    ca.crt, ca.key                        the internal CA (signs services only)
                    event-service.crt, event-service.key  server+client, identity event-service
                    event-gateway.crt, event-gateway.key  server+client, identity event-gateway
                    agent-ca.crt, agent-ca.key            the agent CA (signs agents only)
                    agent.crt, agent.key                  client only (extendedKeyUsage clientAuth), identity agent
                  [tls] root_ca_path is ca.crt; event-gateway's service.agent_ca_path is agent-ca.crt. A certificate
                  from one CA opens no door that trusts the other.
                  Service certificates have the SANs localhost, 127.0.0.1, ::1 and their own name (also their CN).
                  --days N        validity of the CAs and the certificates (default 365)
                  --rsa [BITS]    RSA keys (default 2048 bits) instead of EC P-256
                  --san NAME      one more host name or IP for every service certificate (repeatable)
                  --service NAME  one more internal identity from the internal CA, NAME.crt/NAME.key (repeatable)
                  --force         replace existing files (without it, nothing is written if any exists)
                  Keys are written with mode 0600.

              show FILE [--ca CA]
                  Print subject, SANs, issuer, validity, key and SHA-256 fingerprint of each certificate in FILE;
                  with --ca, whether FILE chains to the CA certificate in CA (exit 3 if not).

            Exit codes: 0 ok, 1 error, 2 usage error, 3 show --ca: does not chain to the CA.
            """;

    private CertsMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Returns the exit code; never throws for user errors and never prints a stack trace. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.isEmpty() && a.get(0).equals("certs")) a.remove(0); // tolerate "eventbus certs ..." passed whole
        if (a.isEmpty()) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String cmd = a.remove(0);
        try {
            switch (cmd) {
                case "-h", "--help", "help":
                    out.print(USAGE_TEXT);
                    return OK;
                case "init":
                    return init(a, out, err);
                case "show":
                    return show(a, out, err);
                default:
                    throw new UsageException("unknown command '" + cmd + "' (expected init or show)");
            }
        } catch (UsageException e) {
            err.println("eventbus certs: " + e.getMessage());
            err.println("Run 'eventbus certs --help' for usage.");
            return USAGE;
        } catch (CertsException e) {
            err.println("eventbus certs: " + e.getMessage());
            return ERROR;
        } catch (RuntimeException e) {
            err.println("eventbus certs: unexpected error: " + e);
            return ERROR;
        }
    }

    // ---------------------------------------------------------------- init

    private static int init(List<String> args, PrintStream out, PrintStream err) {
        Path dir = null;
        int days = DevPki.DEFAULT_DAYS;
        KeyAlgorithm alg = KeyAlgorithm.ecP256();
        boolean force = false;
        List<String> sans = new ArrayList<>();
        List<String> services = new ArrayList<>();
        Args it = new Args(args);
        while (it.hasNext()) {
            String f = it.next();
            switch (it.flag(f)) {
                case "-h", "--help" -> {
                    out.print(USAGE_TEXT);
                    return OK;
                }
                case "--out", "-o" -> dir = Path.of(it.value(f));
                case "--days" -> {
                    days = it.intValue(f);
                    if (days < 1 || days > 36500) throw new UsageException("--days " + days + " is out of range (1 to 36500)");
                }
                case "--rsa" -> {
                    int bits = KeyAlgorithm.DEFAULT_RSA_BITS;
                    if (it.inlineValue() != null || it.peekIsNumber()) bits = it.intValue(f);
                    try {
                        alg = KeyAlgorithm.rsa(bits);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--rsa: " + e.getMessage());
                    }
                }
                case "--ec" -> alg = KeyAlgorithm.ecP256();
                case "--san" -> sans.add(it.value(f));
                case "--service" -> services.add(it.value(f));
                case "--force", "-f" -> force = true;
                default -> throw new UsageException(f.startsWith("-")
                        ? "init: unknown flag '" + f + "'" : "init: unexpected argument '" + f + "' (the directory goes after --out)");
            }
            it.noInlineValueLeft(f);
        }
        if (dir == null) throw new UsageException("init: --out DIR is required");
        Duration validity = Duration.ofDays(days);
        DevPki.Options options;
        try {
            options = new DevPki.Options(alg, validity, force, sans, services);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--service: " + e.getMessage());
        }
        DevPki.Result r = DevPki.init(dir, options);

        Instant until = r.ca().certificate().getNotAfter().toInstant();
        out.printf("Created a development PKI in %s (%s, valid %d days, until %s):%n",
                dir.toAbsolutePath().normalize(), alg, days, until.truncatedTo(ChronoUnit.SECONDS));
        List<String[]> rows = new ArrayList<>();
        rows.add(caRow(DevPki.CA, "internal CA", r.ca()));
        for (Map.Entry<String, IssuedCertificate> e : r.leaves().entrySet()) {
            if (e.getKey().equals(DevPki.AGENT)) rows.add(caRow(DevPki.AGENT_CA, "agent CA", r.agentCa()));
            CertInfo info = CertInfo.of(e.getValue().certificate());
            String usage = e.getKey().equals(DevPki.AGENT) ? "client" : "server+client";
            rows.add(new String[] {e.getKey() + ".crt, " + e.getKey() + ".key", usage, String.join(", ", info.subjectAltNames())});
        }
        int w0 = rows.stream().mapToInt(x -> x[0].length()).max().orElse(0);
        int w1 = rows.stream().mapToInt(x -> x[1].length()).max().orElse(0);
        for (String[] row : rows) out.printf("  %-" + w0 + "s  %-" + w1 + "s  %s%n", row[0], row[1], row[2]);
        out.println("Services trust ca.crt (root_ca_path) for each other; event-gateway trusts agent-ca.crt for agents'");
        out.println("certificates (service.agent_ca_path). Private keys have mode 0600. For development only: whoever holds");
        out.println("ca.key or agent-ca.key can mint certificates in that trust domain.");
        return OK;
    }

    private static String[] caRow(String name, String role, CertificateAuthority ca) {
        return new String[] {name + ".crt, " + name + ".key", role, ca.certificate().getSubjectX500Principal().getName()};
    }

    // ---------------------------------------------------------------- show

    private static int show(List<String> args, PrintStream out, PrintStream err) {
        Path file = null;
        Path caFile = null;
        Args it = new Args(args);
        while (it.hasNext()) {
            String f = it.next();
            switch (it.flag(f)) {
                case "-h", "--help" -> {
                    out.print(USAGE_TEXT);
                    return OK;
                }
                case "--ca" -> caFile = Path.of(it.value(f));
                default -> {
                    if (f.startsWith("-") && f.length() > 1) throw new UsageException("show: unknown flag '" + f + "'");
                    if (file != null) throw new UsageException("show: one FILE only (got " + file + " and " + f + ")");
                    file = Path.of(f);
                }
            }
            it.noInlineValueLeft(f);
        }
        if (file == null) throw new UsageException("show: FILE is required");
        List<X509Certificate> chain = Pem.readCertificates(file);
        List<X509Certificate> cas = caFile == null ? null : Pem.readCertificates(caFile);
        Instant now = Instant.now();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chain.size(); i++) {
            CertInfo c = CertInfo.of(chain.get(i));
            if (chain.size() > 1) sb.append(i == 0 ? "" : "\n").append("Certificate ").append(i + 1).append(" of ").append(chain.size()).append('\n');
            line(sb, "File", file.toString());
            line(sb, "Subject", c.subject());
            line(sb, "SANs", c.subjectAltNames().isEmpty() ? "(none)" : String.join(", ", c.subjectAltNames()));
            line(sb, "Issuer", c.issuer() + (c.selfSigned() ? " (self-signed)" : ""));
            line(sb, "Serial", c.serialHex());
            line(sb, "Not before", c.notBefore().toString());
            line(sb, "Not after", c.notAfter().toString());
            line(sb, "Expired", c.validityStatus(now));
            line(sb, "Key", c.key());
            line(sb, "CA", c.ca() ? "yes" : "no");
            if (!c.keyUsage().isEmpty()) line(sb, "Key usage", String.join(", ", c.keyUsage()));
            if (!c.extendedKeyUsage().isEmpty()) line(sb, "Ext. key usage", String.join(", ", c.extendedKeyUsage()));
            line(sb, "SHA-256", c.sha256Fingerprint());
        }
        int code = OK;
        if (cas != null) {
            CertChains.Result r = CertChains.verify(chain, cas, now);
            String ca = caFile + " (" + cas.get(0).getSubjectX500Principal().getName() + ")";
            if (r.valid()) {
                line(sb, "Chains to CA", "yes: " + ca);
            } else {
                line(sb, "Chains to CA", "NO: " + r.reason() + "; CA " + ca);
                code = NOT_TRUSTED;
            }
        }
        out.print(sb);
        return code;
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format("%-15s %s%n", label + ":", value));
    }

    // ---------------------------------------------------------------- arguments

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    /** Flags as {@code --flag value} or {@code --flag=value}. */
    private static final class Args {
        private final List<String> args;
        private int pos;
        private String inline;

        Args(List<String> args) {
            this.args = args;
        }

        boolean hasNext() {
            return pos < args.size();
        }

        String next() {
            return args.get(pos++);
        }

        /** The flag name; remembers an inline {@code =value}. */
        String flag(String arg) {
            inline = null;
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    inline = arg.substring(eq + 1);
                    return arg.substring(0, eq);
                }
            }
            return arg;
        }

        String inlineValue() {
            return inline;
        }

        String value(String flag) {
            if (inline != null) {
                String v = inline;
                inline = null;
                return v;
            }
            if (!hasNext()) throw new UsageException(name(flag) + " needs a value");
            return next();
        }

        int intValue(String flag) {
            String v = value(flag);
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new UsageException(name(flag) + ": '" + v + "' is not a number");
            }
        }

        boolean peekIsNumber() {
            return hasNext() && args.get(pos).matches("\\d+");
        }

        void noInlineValueLeft(String flag) {
            if (inline != null) throw new UsageException(name(flag) + " takes no value");
        }

        private static String name(String flag) {
            int eq = flag.indexOf('=');
            return eq > 0 ? flag.substring(0, eq) : flag;
        }
    }
}
