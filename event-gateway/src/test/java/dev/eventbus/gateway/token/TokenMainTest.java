package dev.eventbus.gateway.token;

import static dev.eventbus.gateway.auth.TestKeys.CLOCK;
import static dev.eventbus.gateway.auth.TestKeys.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.eventbus.gateway.auth.JwtAuthOptions;
import dev.eventbus.gateway.auth.JwtAuthenticator;
import dev.eventbus.gateway.auth.Reason;
import dev.eventbus.gateway.auth.TestKeys;
import dev.eventbus.gateway.auth.TokenVerification;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenMainTest {
    @TempDir Path dir;
    private Path secret;

    record Run(int code, String out, String err) {
        String token() { return out.strip(); }
    }

    @BeforeEach
    void keys() {
        secret = TestKeys.write(dir.resolve("hmac.secret"), TestKeys.random(48));
        TestKeys.writePrivatePem(dir, "rsa.pem", TestKeys.RSA);
        TestKeys.writePublicPem(dir, "rsa.pub.pem", TestKeys.RSA);
        TestKeys.writePrivatePem(dir, "ec.pem", TestKeys.EC);
        TestKeys.writePublicPem(dir, "ec.pub.pem", TestKeys.EC);
        TestKeys.writePrivatePem(dir, "ed.pem", TestKeys.ED25519);
        TestKeys.writePublicPem(dir, "ed.pub.pem", TestKeys.ED25519);
    }

    private Run run(String stdin, Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TokenMain.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                clock);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) { return run("", CLOCK, args); }

    private String p(String name) { return dir.resolve(name).toString(); }

    /** A one-line error on stderr, nothing on stdout, no stack trace. */
    private static void assertOneLineError(Run r, int code, String fragment) {
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: ").contains(fragment).endsWith("\n");
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("\tat ").doesNotContain("Exception");
    }

    @ParameterizedTest
    @CsvSource({"hmac.secret, hmac.secret, HS256, ''", "rsa.pem, rsa.pub.pem, RS256, ''", "ec.pem, ec.pub.pem, ES256, ''",
            "ed.pem, ed.pub.pem, EdDSA, ''", "rsa.pem, rsa.pub.pem, PS256, PS256", "ed.pem, ed.pub.pem, EdDSA, EdDSA",
            "hmac.secret, hmac.secret, HS384, HS384"})
    void issueThenVerifyWithEachKeyType(String key, String pub, String expectedAlg, String alg) throws Exception {
        List<String> args = new ArrayList<>(List.of("token", "issue", "--sub", "agent-7", "--key", p(key),
                "--iss", "https://automate.example.test", "--aud", "event-gateway"));
        if (!alg.isEmpty()) args.addAll(List.of("--alg", alg));
        Run issued = run(args.toArray(String[]::new));
        assertThat(issued.err()).isEqualTo("inbox prefix: _INBOX.agent-7\n"); // stdout stays the bare token
        assertThat(issued.code()).isZero();
        SignedJWT jwt = SignedJWT.parse(issued.token());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(expectedAlg);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("agent-7");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(jwt.getJWTClaimsSet().getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
        assertThat(jwt.getJWTClaimsSet().getClaim("nats")).isNull();

        Run verified = run("token", "verify", issued.token(), "--key", p(pub), "--iss", "https://automate.example.test",
                "--aud", "event-gateway");
        assertThat(verified.err()).isEmpty();
        assertThat(verified.code()).isZero();
        assertThat(verified.out()).startsWith("valid: token of agent-7")
                .contains("\"sub\":\"agent-7\"")
                .contains("publish:   allow [events.>] deny []")
                .contains("subscribe: allow [_INBOX.agent-7.>] deny []")
                .contains("replies:   allow [_INBOX.agent-7.>]")
                .contains("inbox prefix: _INBOX.agent-7");

        // and the gateway's authenticator, configured from the same public file, agrees
        JwtAuthOptions.Builder opts = JwtAuthOptions.builder().clock(CLOCK).audience("event-gateway");
        if (pub.equals("hmac.secret")) opts.hmacSecretFile(dir.resolve(pub));
        else opts.publicKeyFile(dir.resolve(pub));
        assertThat(new JwtAuthenticator(opts.build()).verify(issued.token()).ok()).isTrue();
    }

    @Test
    void permissionsOptionsBecomeTheNatsClaim() throws Exception {
        Run issued = run("issue", "--sub", "agent-1", "--key", secret.toString(), "--ttl", "15m",
                "--pub", "events.agent-1.>", "_INBOX.>", "--pub-deny", "events.agent-1.secret", "--sub-allow", "events.>",
                "--kid", "hmac-2026");
        assertThat(issued.code()).as(issued.err()).isZero();
        SignedJWT jwt = SignedJWT.parse(issued.token());
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("hmac-2026");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(jwt.getJWTClaimsSet().getJSONObjectClaim("nats")).isEqualTo(Map.of(
                "pub", Map.of("allow", List.of("events.agent-1.>", "_INBOX.>"), "deny", List.of("events.agent-1.secret")),
                "sub", Map.of("allow", List.of("events.>"))));

        Run verified = run("verify", issued.token(), "--key", secret.toString());
        assertThat(verified.code()).isZero();
        assertThat(verified.out()).contains("publish:   allow [events.agent-1.>, _INBOX.>] deny [events.agent-1.secret]")
                .contains("subscribe: allow [events.>] deny []");
    }

    @Test
    void verifyPrintsTheRefusalReasonAndExitsOne() {
        String token = run("issue", "--sub", "agent-1", "--key", p("rsa.pem"), "--ttl", "1h", "--aud", "x").token();
        Clock later = Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneOffset.UTC);

        Run expired = run("", later, "verify", token, "--key", p("rsa.pub.pem"));
        assertThat(expired.code()).isEqualTo(TokenMain.REFUSED);
        assertThat(expired.out()).startsWith("refused: EXPIRED: token of agent-1 expired at 2026-11-22T13:00:00Z");
        assertThat(expired.err()).isEmpty();

        assertThat(run("verify", token, "--key", p("ec.pub.pem")).out()).startsWith("refused: ALG_NOT_ALLOWED: ");
        TestKeys.writePublicPem(dir, "other.pub.pem", TestKeys.RSA_OTHER);
        assertThat(run("verify", token, "--key", p("other.pub.pem")).out()).startsWith("refused: BAD_SIGNATURE: ");
        assertThat(run("verify", token, "--key", p("rsa.pub.pem"), "--aud", "event-gateway").out())
                .startsWith("refused: WRONG_AUDIENCE: ");
        assertThat(run("verify", "garbage", "--key", p("rsa.pub.pem")).out()).startsWith("refused: MALFORMED: ");
        String jti = run("verify", token, "--key", p("rsa.pub.pem")).out().replaceAll("(?s).*\"jti\":\"([^\"]+)\".*", "$1");
        TestKeys.write(dir.resolve("revoked.txt"), jti + "\n");
        assertThat(run("verify", token, "--key", p("rsa.pub.pem"), "--revocations", p("revoked.txt")).out())
                .startsWith("refused: REVOKED: ");
        // a private key may stand in for its public half when verifying by hand
        assertThat(run("verify", token, "--key", p("rsa.pem")).code()).isZero();
    }

    @Test
    void verifyReadsTheTokenFromStdin() {
        String token = run("issue", "--sub", "agent-1", "--key", p("ed.pem")).token();
        Run r = run(token + "\n", CLOCK, "verify", "-", "--key", p("ed.pub.pem"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("valid: token of agent-1");
    }

    @Test
    void theIssuedTokenIsCheckedByTheGatewayWithTheSkew() {
        String token = run("issue", "--sub", "a", "--key", secret.toString(), "--ttl", "90s").token();
        JwtAuthenticator auth = new JwtAuthenticator(JwtAuthOptions.builder().hmacSecretFile(secret)
                .clock(Clock.fixed(NOW.plusSeconds(149), ZoneOffset.UTC)).build());
        assertThat(auth.verify(token).ok()).isTrue();
        JwtAuthenticator later = new JwtAuthenticator(JwtAuthOptions.builder().hmacSecretFile(secret)
                .clock(Clock.fixed(NOW.plusSeconds(150), ZoneOffset.UTC)).build());
        TokenVerification v = later.verify(token);
        assertThat(v.reason()).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void usageErrorsAreOneLine() {
        assertOneLineError(run("issue", "--key", secret.toString()), TokenMain.USAGE, "missing --sub");
        assertOneLineError(run("issue", "--sub", "a"), TokenMain.USAGE, "missing --key");
        assertOneLineError(run("issue", "--sub", "a", "--key", p("nope.pem")), TokenMain.USAGE, "nope.pem: no such file");
        assertOneLineError(run("issue", "--sub", "a", "--key", p("rsa.pub.pem")), TokenMain.USAGE,
                "rsa.pub.pem: not a private key");
        assertOneLineError(run("issue", "--sub", "a", "--key", p("rsa.pem"), "--alg", "HS256"), TokenMain.USAGE,
                "algorithm HS256 does not fit this RSA key (use one of PS256, PS384, PS512, RS256, RS384, RS512)");
        assertOneLineError(run("issue", "--sub", "a", "--key", p("ec.pem"), "--alg", "ES384"), TokenMain.USAGE,
                "does not fit this EC key (use one of ES256)");
        assertOneLineError(run("issue", "--sub", "a", "--key", secret.toString(), "--alg", "XX1"), TokenMain.USAGE,
                "unknown --alg 'XX1'");
        assertOneLineError(run("issue", "--sub", "a", "--key", secret.toString(), "--ttl", "soon"), TokenMain.USAGE,
                "invalid --ttl 'soon'");
        assertOneLineError(run("issue", "--sub", "a", "--key", secret.toString(), "--ttl", "0s"), TokenMain.USAGE,
                "--ttl must be positive");
        assertOneLineError(run("issue", "--sub", "a", "--key", secret.toString(), "--pub", "a..b"), TokenMain.USAGE,
                "invalid subject \"a..b\" in nats.pub.allow");
        assertOneLineError(run("issue", "--sub", "a", "--key", secret.toString(), "--pub"), TokenMain.USAGE,
                "--pub needs at least one value");
        assertOneLineError(run("issue", "--sub", "a", "--key", secret.toString(), "--frobnicate"), TokenMain.USAGE,
                "unknown option --frobnicate");
        TestKeys.write(dir.resolve("short.secret"), "too short\n");
        assertOneLineError(run("issue", "--sub", "a", "--key", p("short.secret")), TokenMain.USAGE,
                "HMAC secret too short: 9 bytes");
        TestKeys.write(dir.resolve("broken.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertOneLineError(run("issue", "--sub", "a", "--key", p("broken.pem")), TokenMain.USAGE, "broken.pem: ");
        assertOneLineError(run("verify", "--key", secret.toString()), TokenMain.USAGE, "missing TOKEN");
        assertOneLineError(run("verify", "t", "--key", secret.toString(), "--skew", "-5"), TokenMain.USAGE, "invalid --skew");
        assertOneLineError(run("rotate"), TokenMain.USAGE, "unknown command 'rotate'");

        Run none = run();
        assertThat(none.code()).isEqualTo(TokenMain.USAGE);
        assertThat(none.err()).startsWith("usage: token issue");
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("usage: token issue");
    }

    @Test
    void anEncryptedPrivateKeyIsExplained() {
        TestKeys.write(dir.resolve("enc.pem"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + "MIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI8p7Ww1GbGEwCAggA\n"
                + "-----END ENCRYPTED PRIVATE KEY-----\n");
        Run r = run("issue", "--sub", "a", "--key", p("enc.pem"));
        assertThat(r.code()).isEqualTo(TokenMain.USAGE);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ");
    }

    @Test
    void pkcs1AndSec1PemKeysAreRead() throws Exception {
        // the formats `openssl genrsa -traditional` and `openssl ecparam -genkey` write
        KeyPair rsa = TestKeys.RSA;
        var pkcs1 = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded()).parsePrivateKey();
        TestKeys.write(dir.resolve("rsa1.pem"), TestKeys.pem("RSA PRIVATE KEY", pkcs1.toASN1Primitive().getEncoded()));
        var p256 = new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                ((java.security.interfaces.ECPrivateKey) TestKeys.EC.getPrivate()).getS(),
                new org.bouncycastle.asn1.x9.X962Parameters(p256));
        TestKeys.write(dir.resolve("ec1.pem"), TestKeys.pem("EC PARAMETERS", p256.getEncoded())
                + TestKeys.pem("EC PRIVATE KEY", sec1.getEncoded()));
        for (String[] kp : new String[][] {{"rsa1.pem", "rsa.pub.pem"}, {"ec1.pem", "ec.pub.pem"}}) {
            Run issued = run("issue", "--sub", "a", "--key", p(kp[0]));
            assertThat(issued.code()).as(issued.err()).isZero();
            assertThat(run("verify", issued.token(), "--key", p(kp[1])).code()).isZero();
        }
    }

    @Test
    void bindCertAddsTheThumbprintAndVerifyChecksItAgainstCert() throws Exception {
        var ca = dev.eventbus.certs.CertificateAuthority.create("token-main-test",
                new dev.eventbus.certs.KeyAlgorithm("EC", 256), Duration.ofDays(1));
        var agent = ca.issue(dev.eventbus.certs.LeafSpec.of("agent", dev.eventbus.certs.CertUsage.CLIENT, "agent"));
        var other = ca.issue(dev.eventbus.certs.LeafSpec.of("other", dev.eventbus.certs.CertUsage.CLIENT, "other"));
        agent.write(dir.resolve("agent.crt"), dir.resolve("agent.key"));
        other.write(dir.resolve("other.crt"), dir.resolve("other.key"));

        Run issued = run("issue", "--sub", "agent-1", "--key", p("ec.pem"), "--bind-cert", p("agent.crt"));
        assertThat(issued.code()).as(issued.err()).isZero();
        assertThat(SignedJWT.parse(issued.token()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .containsEntry("x5t#S256", dev.eventbus.gateway.auth.CertificateBinding.thumbprint(agent.certificate()));

        assertThat(run("verify", issued.token(), "--key", p("ec.pub.pem"), "--cert", p("agent.crt")).out())
                .startsWith("valid: token of agent-1").contains("certificate-bound");
        Run wrong = run("verify", issued.token(), "--key", p("ec.pub.pem"), "--cert", p("other.crt"));
        assertThat(wrong.code()).isEqualTo(TokenMain.REFUSED);
        assertThat(wrong.out()).startsWith("refused: CERT_MISMATCH: token of agent-1 is bound to certificate ");
        assertThat(run("verify", issued.token(), "--key", p("ec.pub.pem")).out())
                .startsWith("refused: CERT_MISMATCH: token of agent-1 is bound to a client certificate, none was presented");

        assertOneLineError(run("issue", "--sub", "a", "--key", p("ec.pem"), "--bind-cert", p("missing.crt")), TokenMain.USAGE,
                "missing.crt");
    }
}
