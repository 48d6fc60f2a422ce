package dev.eventbus.gateway.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.eventbus.certs.Pem;
import dev.eventbus.gateway.auth.AgentInbox;
import dev.eventbus.gateway.auth.CertificateBinding;
import dev.eventbus.gateway.auth.JwtAuthOptions;
import dev.eventbus.gateway.auth.JwtAuthenticator;
import dev.eventbus.gateway.auth.KeyFiles;
import dev.eventbus.gateway.auth.SubjectPermissions;
import dev.eventbus.gateway.auth.TokenVerification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code token issue} and {@code token verify}: mint and check gateway JWTs.
 *
 * <pre>
 * token issue --sub AGENT --key KEYFILE [--ttl 24h] [--alg HS256|RS256|ES256|EdDSA|…] [--iss X] [--aud Y…]
 *             [--pub SUBJ…] [--pub-deny SUBJ…] [--sub-allow SUBJ…] [--sub-deny SUBJ…] [--kid KID] [--jti ID]
 *             [--bind-cert CERTFILE]
 * token verify TOKEN|- --key KEYFILE [--iss X…] [--aud Y…] [--skew 60s] [--revocations FILE] [--cert CERTFILE]
 * </pre>
 *
 * Exit codes: 0 done (token printed, or token valid); 1 the token is refused; 2 usage or key-file error. Errors are
 * one line on stderr, never a stack trace.
 */
public final class TokenMain {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "usage: token issue --sub AGENT --key KEYFILE [--ttl 24h] [--alg HS256|RS256|ES256|EdDSA]",
            "                   [--iss ISSUER] [--aud AUDIENCE...] [--pub SUBJ...] [--pub-deny SUBJ...]",
            "                   [--sub-allow SUBJ...] [--sub-deny SUBJ...] [--kid KID] [--jti ID]",
            "                   [--bind-cert CERTFILE]",
            "       token verify TOKEN|- --key KEYFILE [--iss ISSUER...] [--aud AUDIENCE...] [--skew 60s]",
            "                   [--revocations FILE] [--cert CERTFILE]",
            "KEYFILE: a PEM private key (issue) or public key/certificate (verify), a JWK/JWKS JSON file,",
            "         or an HMAC secret file (raw bytes, at least 32). TOKEN '-' reads the token from stdin.",
            "Without --pub/--pub-deny/--sub-allow/--sub-deny the token carries no nats claim and gets the",
            "gateway defaults (publish events.>, subscribe the agent's own inbox _INBOX.<agent>.>).",
            "issue prints the token on stdout and the agent's inbox prefix on stderr: the agent sets it as",
            "its client's inbox prefix. --bind-cert binds the token to a client certificate (RFC 8705 cnf",
            "x5t#S256): the agent must then present that certificate over TLS. verify --cert checks such a",
            "token as if the client had presented CERTFILE.");

    private static final Set<String> ISSUE_SINGLE = Set.of("sub", "key", "ttl", "alg", "iss", "kid", "jti", "bind-cert");
    private static final Set<String> ISSUE_MULTI = Set.of("aud", "pub", "pub-deny", "sub-allow", "sub-deny");
    private static final Set<String> VERIFY_SINGLE = Set.of("key", "skew", "revocations", "cert");
    private static final Set<String> VERIFY_MULTI = Set.of("iss", "aud");

    private TokenMain() {}

    public static void main(String[] args) {
        // a CLI prints results, not logs: silence slf4j unless the caller chose a provider
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        System.exit(run(args, System.in, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, Clock.systemUTC());
    }

    /** @param clock the time tokens are issued at and checked against (tests) */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Clock clock) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.isEmpty() && a.get(0).equals("token")) a.remove(0);
        if (a.isEmpty()) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String command = a.remove(0);
        try {
            switch (command) {
                case "issue":
                    return issue(Args.parse(a, ISSUE_SINGLE, ISSUE_MULTI), out, err, clock);
                case "verify":
                    return verify(Args.parse(a, VERIFY_SINGLE, VERIFY_MULTI), in, out, clock);
                case "help": case "-h": case "--help":
                    out.println(USAGE_TEXT);
                    return OK;
                default:
                    err.println("error: unknown command '" + command + "' (expected issue or verify; try --help)");
                    return USAGE;
            }
        } catch (UsageException | IllegalArgumentException e) {
            err.println("error: " + oneLine(e.getMessage()));
            return USAGE;
        } catch (RuntimeException e) { // a bug, but still no stack trace for the operator
            err.println("error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
            return USAGE;
        }
    }

    private static int issue(Args args, PrintStream out, PrintStream err, Clock clock) {
        if (!args.positional.isEmpty()) throw new UsageException("unexpected argument '" + args.positional.get(0) + "'");
        String sub = args.required("sub");
        if (sub.isBlank()) throw new UsageException("--sub must not be blank");
        JWK key = KeyFiles.readSigningKey(Path.of(args.required("key")));
        JWSAlgorithm alg = args.single("alg") == null ? null : algorithm(args.single("alg"));
        Duration ttl = duration("ttl", args.single("ttl") == null ? "24h" : args.single("ttl"));
        if (ttl.isZero() || ttl.isNegative()) throw new UsageException("--ttl must be positive");

        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(sub)
                .issueTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plus(ttl)))
                .jwtID(args.single("jti") != null ? args.single("jti") : UUID.randomUUID().toString());
        if (args.single("iss") != null) claims.issuer(args.single("iss"));
        List<String> aud = args.multi("aud");
        if (aud != null) claims.audience(aud.size() == 1 ? List.of(aud.get(0)) : aud);
        Map<String, Object> nats = natsClaim(args);
        if (nats != null) claims.claim(SubjectPermissions.CLAIM, nats);
        if (args.single("bind-cert") != null) {
            claims.claim(CertificateBinding.CLAIM, CertificateBinding.claim(leaf(args.single("bind-cert"))));
        }

        out.println(TokenSigner.sign(key, alg, args.single("kid"), claims.build()));
        err.println("inbox prefix: " + AgentInbox.prefix(sub));
        return OK;
    }

    /** Only the lists given on the command line: the others keep the gateway's defaults. */
    private static Map<String, Object> natsClaim(Args args) {
        Map<String, Object> pub = new LinkedHashMap<>();
        Map<String, Object> subs = new LinkedHashMap<>();
        if (args.multi("pub") != null) pub.put("allow", args.multi("pub"));
        if (args.multi("pub-deny") != null) pub.put("deny", args.multi("pub-deny"));
        if (args.multi("sub-allow") != null) subs.put("allow", args.multi("sub-allow"));
        if (args.multi("sub-deny") != null) subs.put("deny", args.multi("sub-deny"));
        if (pub.isEmpty() && subs.isEmpty()) return null;
        Map<String, Object> nats = new LinkedHashMap<>();
        if (!pub.isEmpty()) nats.put("pub", pub);
        if (!subs.isEmpty()) nats.put("sub", subs);
        SubjectPermissions.fromClaim(nats, SubjectPermissions.DEFAULT); // the subjects' syntax, before signing
        return nats;
    }

    private static int verify(Args args, InputStream in, PrintStream out, Clock clock) {
        if (args.positional.size() != 1) {
            throw new UsageException(args.positional.isEmpty() ? "missing TOKEN (or - to read it from stdin)"
                    : "unexpected argument '" + args.positional.get(1) + "'");
        }
        String token = args.positional.get(0);
        if (token.equals("-")) token = readToken(in);
        token = token.strip();
        JwtAuthOptions.Builder opts = JwtAuthOptions.builder().clock(clock);
        for (JWK k : KeyFiles.readVerificationKeys(Path.of(args.required("key")), true)) opts.key(k);
        if (args.multi("iss") != null) opts.issuer(args.multi("iss").toArray(String[]::new));
        if (args.multi("aud") != null) opts.audience(args.multi("aud").toArray(String[]::new));
        if (args.single("skew") != null) opts.clockSkew(duration("skew", args.single("skew")));
        if (args.single("revocations") != null) opts.revocationFile(Path.of(args.single("revocations")));
        List<X509Certificate> presented = args.single("cert") == null ? List.of() : List.of(leaf(args.single("cert")));
        TokenVerification v = new JwtAuthenticator(opts.build()).verify(token, presented);
        if (!v.ok()) {
            out.println("refused: " + v.describe());
            return REFUSED;
        }
        JWTClaimsSet claims = v.claims();
        SubjectPermissions p = SubjectPermissions.fromClaim(claims.getClaim(SubjectPermissions.CLAIM),
                SubjectPermissions.DEFAULT).forAgent(claims.getSubject());
        out.println("valid: " + v.detail());
        out.println("claims: " + claims.toString());
        out.println("publish:   allow " + p.publishAllow() + " deny " + p.publishDeny());
        out.println("subscribe: allow " + p.subscribeAllow() + " deny " + p.subscribeDeny());
        out.println("replies:   allow " + p.replyAllow());
        out.println("inbox prefix: " + AgentInbox.prefix(claims.getSubject()));
        return OK;
    }

    /** The first certificate of a PEM file (a client certificate, leaf first). */
    private static X509Certificate leaf(String file) {
        List<X509Certificate> certs;
        try {
            certs = Pem.readCertificates(Path.of(file));
        } catch (RuntimeException e) {
            throw new UsageException(file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
        if (certs.isEmpty()) throw new UsageException(file + ": no certificate in it");
        return certs.get(0);
    }

    private static String readToken(InputStream in) {
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
            if (line == null) throw new UsageException("no token on stdin");
            return line;
        } catch (IOException e) {
            throw new UsageException("cannot read stdin: " + e.getMessage());
        }
    }

    private static JWSAlgorithm algorithm(String name) {
        for (JWSAlgorithm a : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512,
                JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
                JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA,
                JWSAlgorithm.Ed25519)) {
            if (a.getName().equalsIgnoreCase(name)) return a;
        }
        throw new UsageException("unknown --alg '" + name + "' (HS256, RS256, ES256, EdDSA, …)");
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    /** {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d}, a bare number of seconds, or ISO-8601 {@code PT24H}. */
    static Duration duration(String flag, String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text.strip());
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new UsageException("invalid --" + flag + " '" + text + "' (e.g. 90s, 15m, 24h, 7d)");
        }
    }

    private static String oneLine(String s) {
        if (s == null) return "(no message)";
        return s.replaceAll("(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ?", "")
                .replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) { super(message, null, false, false); }
    }

    /** {@code --flag value}, {@code --flag=value}; a multi-valued flag takes every following non-flag argument. */
    static final class Args {
        final Map<String, String> singles = new LinkedHashMap<>();
        final Map<String, List<String>> multis = new LinkedHashMap<>();
        final List<String> positional = new ArrayList<>();

        static Args parse(List<String> args, Set<String> single, Set<String> multi) {
            Args r = new Args();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!arg.startsWith("--") || arg.equals("--")) {
                    r.positional.add(arg);
                    continue;
                }
                String name = arg.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (single.contains(name)) {
                    String v = inline;
                    if (v == null) {
                        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        v = args.get(++i);
                    }
                    if (r.singles.put(name, v) != null) throw new UsageException("--" + name + " given twice");
                } else if (multi.contains(name)) {
                    List<String> values = r.multis.computeIfAbsent(name, k -> new ArrayList<>());
                    int before = values.size();
                    if (inline != null) values.add(inline);
                    while (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) values.add(args.get(++i));
                    if (values.size() == before) throw new UsageException("--" + name + " needs at least one value");
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            }
            return r;
        }

        String single(String name) { return singles.get(name); }

        List<String> multi(String name) { return multis.get(name); }

        String required(String name) {
            String v = singles.get(name);
            if (v == null) throw new UsageException("missing --" + name);
            return v;
        }
    }
}
