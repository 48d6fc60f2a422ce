package dev.eventbus.certs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eventbus.certs.CertChains;
import dev.eventbus.certs.CertInfo;
import dev.eventbus.certs.DevPki;
import dev.eventbus.certs.KeyMatch;
import dev.eventbus.certs.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsMainTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CertsMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A user error is exactly one line on stderr and no stack trace. */
    static void assertOneLineError(Run r, int code, String contains) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(code);
        assertThat(r.err()).startsWith("eventbus certs: ").contains(contains);
        String firstLine = r.err().lines().findFirst().orElseThrow();
        assertThat(firstLine).contains(contains);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        if (code == CertsMain.ERROR) assertThat(r.err().lines().count()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- init

    @Test
    void initCreatesBothCasAndTheLeavesWithPrivateKeysAt0600() throws Exception {
        Path dir = tmp.resolve("pki");
        Run r = run("init", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Created a development PKI", dir.toString(), "EC P-256", "valid 365 days",
                "ca.crt, ca.key", "internal CA", "agent-ca.crt, agent-ca.key", "agent CA",
                "event-service.crt, event-service.key", "agent.crt, agent.key", "0600");
        for (String n : List.of("ca", "agent-ca", "event-service", "event-gateway", "agent")) {
            Path crt = dir.resolve(n + ".crt");
            Path key = dir.resolve(n + ".key");
            assertThat(mode(key)).as(key.toString()).isEqualTo("rw-------");
            assertThat(mode(crt)).as(crt.toString()).isEqualTo("rw-r--r--");
            X509Certificate cert = Pem.readCertificate(crt);
            PrivateKey k = Pem.readPrivateKey(key, null);
            assertThat(KeyMatch.matches(cert.getPublicKey(), k)).as(n).isTrue();
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        }
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(10);
        }
        X509Certificate ca = Pem.readCertificate(dir.resolve("ca.crt"));
        X509Certificate agentCa = Pem.readCertificate(dir.resolve("agent-ca.crt"));
        assertThat(CertInfo.of(ca).subject()).matches("CN=eventbus dev internal CA [0-9a-f]{8},O=eventbus dev");
        assertThat(CertInfo.of(agentCa).subject()).matches("CN=eventbus dev agent CA [0-9a-f]{8},O=eventbus dev");
        for (String n : List.of("event-service", "event-gateway")) {
            CertInfo info = CertInfo.of(Pem.readCertificate(dir.resolve(n + ".crt")));
            assertThat(info.subjectAltNames()).contains("DNS:localhost", "IP:127.0.0.1", "DNS:" + n);
            assertThat(info.subject()).isEqualTo("CN=" + n + ",O=eventbus dev");
            assertThat(info.keyUsage()).containsExactly("digitalSignature");
            assertThat(info.extendedKeyUsage()).containsExactly("serverAuth", "clientAuth");
            assertThat(CertChains.verify(Pem.readCertificates(dir.resolve(n + ".crt")), List.of(ca)).valid()).isTrue();
            assertThat(CertChains.verify(Pem.readCertificates(dir.resolve(n + ".crt")), List.of(agentCa)).valid())
                    .as("a service certificate does not verify against the agent CA").isFalse();
        }
        CertInfo agent = CertInfo.of(Pem.readCertificate(dir.resolve("agent.crt")));
        assertThat(agent.subject()).isEqualTo("CN=agent,O=eventbus dev");
        assertThat(agent.subjectAltNames()).as("an agent is never a server: no host names").containsExactly("DNS:agent");
        assertThat(agent.extendedKeyUsage()).containsExactly("clientAuth");
        assertThat(CertChains.verify(Pem.readCertificates(dir.resolve("agent.crt")), List.of(agentCa)).valid()).isTrue();
        assertThat(CertChains.verify(Pem.readCertificates(dir.resolve("agent.crt")), List.of(ca)).valid())
                .as("an agent certificate does not verify against the internal CA").isFalse();
    }

    @Test
    void moreInternalIdentitiesComeFromTheInternalCa() throws Exception {
        Path dir = tmp.resolve("pki");
        Run r = run("init", "--out", dir.toString(), "--service", "compliance-service", "--service=ingest");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("compliance-service.crt, compliance-service.key", "ingest.crt, ingest.key");
        X509Certificate ca = Pem.readCertificate(dir.resolve("ca.crt"));
        CertInfo info = CertInfo.of(Pem.readCertificate(dir.resolve("compliance-service.crt")));
        assertThat(info.subject()).isEqualTo("CN=compliance-service,O=eventbus dev");
        assertThat(info.subjectAltNames()).contains("DNS:compliance-service");
        assertThat(CertChains.verify(Pem.readCertificates(dir.resolve("compliance-service.crt")), List.of(ca)).valid()).isTrue();
        assertThat(mode(dir.resolve("ingest.key"))).isEqualTo("rw-------");

        assertOneLineError(run("init", "--out", tmp.resolve("x").toString(), "--service", "Not A Name"), CertsMain.USAGE,
                "--service: service name 'Not A Name' is not a lower-case DNS label");
        assertOneLineError(run("init", "--out", tmp.resolve("x").toString(), "--service", "agent-ca"), CertsMain.USAGE,
                "--service: service name 'agent-ca' is taken");
        assertThat(Files.exists(tmp.resolve("x"))).isFalse();
    }

    @Test
    void initRefusesToOverwriteWithoutForce() throws Exception {
        Path dir = tmp.resolve("pki");
        assertThat(run("init", "--out", dir.toString()).code()).isZero();
        Map<Path, byte[]> before = snapshot(dir);

        Run again = run("init", "--out", dir.toString());
        assertOneLineError(again, CertsMain.ERROR, "refusing to overwrite existing ca.crt, ca.key, event-service.crt");
        assertThat(again.err()).contains("--force");
        Map<Path, byte[]> unchanged = snapshot(dir);
        for (Path p : before.keySet()) assertThat(unchanged.get(p)).as(p.toString()).isEqualTo(before.get(p));

        Run forced = run("init", "--out", dir.toString(), "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        Map<Path, byte[]> after = snapshot(dir);
        for (Path p : before.keySet()) assertThat(after.get(p)).as(p.toString()).isNotEqualTo(before.get(p));
        assertThat(mode(dir.resolve("agent.key"))).isEqualTo("rw-------");
    }

    @Test
    void oneExistingFileIsEnoughToRefuseAndNothingIsWritten() throws Exception {
        Path dir = tmp.resolve("pki");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("agent.key"), "mine");
        Run r = run("init", "--out", dir.toString());
        assertOneLineError(r, CertsMain.ERROR, "refusing to overwrite existing agent.key");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("agent.key"));
        }
        assertThat(Files.readString(dir.resolve("agent.key"))).isEqualTo("mine");
    }

    @Test
    void initWithRsaDaysAndExtraSans() throws Exception {
        Path dir = tmp.resolve("rsa");
        Run r = run("init", "--out=" + dir, "--rsa", "--days", "30", "--san", "bus.example.com", "--san=10.0.0.7");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("RSA 2048", "valid 30 days");
        CertInfo info = CertInfo.of(Pem.readCertificate(dir.resolve("event-gateway.crt")));
        assertThat(info.key()).isEqualTo("RSA 2048");
        assertThat(info.subjectAltNames()).contains("DNS:bus.example.com", "IP:10.0.0.7", "DNS:event-gateway");
        assertThat(CertInfo.of(Pem.readCertificate(dir.resolve("agent.crt"))).subjectAltNames()).containsExactly("DNS:agent");
        assertThat(info.notAfter()).isCloseTo(Instant.now().plus(Duration.ofDays(30)), within(2, ChronoUnit.MINUTES));
        assertThat(Files.readString(dir.resolve("agent.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.readPrivateKey(dir.resolve("agent.key"), null).getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void rsaBitsAreOptionalAndChecked() {
        Path dir = tmp.resolve("x");
        Run bad = run("init", "--out", dir.toString(), "--rsa", "1024");
        assertOneLineError(bad, CertsMain.USAGE, "--rsa: RSA key size 1024 is not supported");
        assertThat(Files.exists(dir)).isFalse();
        // "--rsa" followed by a flag, not a number: default bits
        Run ok = run("init", "--rsa", "--out", dir.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("RSA 2048");
    }

    @Test
    void usageErrors() {
        assertOneLineError(run("init"), CertsMain.USAGE, "init: --out DIR is required");
        assertOneLineError(run("init", "--out", tmp.toString(), "--days", "soon"), CertsMain.USAGE, "--days: 'soon' is not a number");
        assertOneLineError(run("init", "--out", tmp.toString(), "--days", "0"), CertsMain.USAGE, "--days 0 is out of range");
        assertOneLineError(run("init", "--out"), CertsMain.USAGE, "--out needs a value");
        assertOneLineError(run("init", "--bogus"), CertsMain.USAGE, "init: unknown flag '--bogus'");
        assertOneLineError(run("init", "somedir"), CertsMain.USAGE, "unexpected argument 'somedir'");
        assertOneLineError(run("init", "--force=yes", "--out", tmp.toString()), CertsMain.USAGE, "--force takes no value");
        assertOneLineError(run("frobnicate"), CertsMain.USAGE, "unknown command 'frobnicate'");
        assertOneLineError(run("show"), CertsMain.USAGE, "show: FILE is required");
        assertThat(run().code()).isEqualTo(CertsMain.USAGE);
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("init --out DIR", "show FILE [--ca CA]");
        assertThat(run("certs", "--help").code()).isZero(); // "certs" passed through by a launcher is tolerated
    }

    @Test
    void initIntoAFileIsAnError() throws IOException {
        Path f = Files.writeString(tmp.resolve("file"), "x");
        assertOneLineError(run("init", "--out", f.toString()), CertsMain.ERROR, "exists and is not a directory");
    }

    // ---------------------------------------------------------------- show

    @Test
    void showPrintsWhatAPersonNeeds() throws Exception {
        Path dir = tmp.resolve("pki");
        run("init", "--out", dir.toString());
        Path crt = dir.resolve("event-service.crt");
        X509Certificate cert = Pem.readCertificate(crt);
        Run r = run("show", crt.toString(), "--ca", dir.resolve("ca.crt").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("Subject:        CN=event-service,O=eventbus dev")
                .contains("SANs:           DNS:localhost, IP:127.0.0.1, IP:::1, DNS:event-service")
                .containsPattern("Issuer: +CN=eventbus dev internal CA [0-9a-f]{8},O=eventbus dev")
                .contains("Not before:     " + cert.getNotBefore().toInstant())
                .contains("Not after:      " + cert.getNotAfter().toInstant())
                .containsPattern("Expired: +no \\(valid for 36[45] days more\\)")
                .contains("Key:            EC P-256")
                .contains("Ext. key usage: serverAuth, clientAuth")
                .contains("SHA-256:        " + CertInfo.fingerprint(cert))
                .containsPattern("Chains to CA: +yes: .*ca\\.crt \\(CN=eventbus dev internal CA");
        assertThat(CertInfo.fingerprint(cert)).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");

        Run noCa = run("show", crt.toString());
        assertThat(noCa.code()).isZero();
        assertThat(noCa.out()).doesNotContain("Chains to CA");
    }

    @Test
    void anAgentCertificateDoesNotChainToTheInternalCa() {
        Path dir = tmp.resolve("pki");
        run("init", "--out", dir.toString());
        Run r = run("show", dir.resolve("agent.crt").toString(), "--ca", dir.resolve("ca.crt").toString());
        assertThat(r.code()).isEqualTo(CertsMain.NOT_TRUSTED);
        assertThat(r.out()).containsPattern("Chains to CA: +NO: not issued by the given CA");
        Run ok = run("show", dir.resolve("agent.crt").toString(), "--ca", dir.resolve("agent-ca.crt").toString());
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).containsPattern("Chains to CA: +yes: .*agent-ca\\.crt \\(CN=eventbus dev agent CA");
    }

    @Test
    void showAgainstAnotherCaSaysNoAndExits3() {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        run("init", "--out", a.toString());
        run("init", "--out", b.toString());
        Run r = run("show", a.resolve("agent.crt").toString(), "--ca=" + b.resolve("ca.crt"));
        assertThat(r.code()).isEqualTo(CertsMain.NOT_TRUSTED);
        assertThat(r.out()).containsPattern("Chains to CA: +NO: not issued by the given CA");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void showOfAChainListsEveryCertificate() throws Exception {
        Path dir = tmp.resolve("pki");
        run("init", "--out", dir.toString());
        Path chain = tmp.resolve("chain.pem");
        Files.writeString(chain, Files.readString(dir.resolve("agent.crt")) + Files.readString(dir.resolve("agent-ca.crt")));
        Run r = run("show", chain.toString(), "--ca", dir.resolve("agent-ca.crt").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Certificate 1 of 2", "Certificate 2 of 2", "(self-signed)", "CA:             yes")
                .containsPattern("Chains to CA: +yes");
    }

    @Test
    void showUserErrorsAreOneLine() throws IOException {
        Path missing = tmp.resolve("missing.crt");
        assertOneLineError(run("show", missing.toString()), CertsMain.ERROR, missing + ": no such file");
        Path text = Files.writeString(tmp.resolve("readme.txt"), "hello\n");
        assertOneLineError(run("show", text.toString()), CertsMain.ERROR, "not a PEM certificate file");
        Path dir = tmp.resolve("pki");
        run("init", "--out", dir.toString());
        assertOneLineError(run("show", dir.resolve("agent.key").toString()), CertsMain.ERROR,
                "no certificate in this PEM file (found PRIVATE KEY)");
        assertOneLineError(run("show", dir.resolve("agent.crt").toString(), "--ca", missing.toString()), CertsMain.ERROR,
                "no such file");
        Path garbage = Files.write(tmp.resolve("garbage.bin"), new byte[] {0x30, 0x03, 1, 2, 3});
        assertOneLineError(run("show", garbage.toString()), CertsMain.ERROR, "not a PEM certificate file");
        assertOneLineError(run("show", dir.toString()), CertsMain.ERROR, "is a directory");
        assertOneLineError(run("show", "a.crt", "b.crt"), CertsMain.USAGE, "one FILE only");
        assertOneLineError(run("show", "a.crt", "--ca"), CertsMain.USAGE, "--ca needs a value");
    }

    // ---------------------------------------------------------------- helpers

    static String mode(Path f) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
    }

    static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> m = new HashMap<>();
        for (Path p : DevPki.files(dir)) m.put(p, Files.readAllBytes(p));
        return m;
    }
}
