package dev.eventbus.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PemTest {
    private static final char[] PASSWORD = "correct horse".toCharArray();
    private static KeyPair rsa;
    private static KeyPair ec;
    private static CertificateAuthority ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        rsa = KeyAlgorithm.rsa(2048).generate();
        ec = KeyAlgorithm.ecP256().generate();
        ca = CertificateAuthority.create("pem test CA", KeyAlgorithm.ecP256(), java.time.Duration.ofDays(10));
    }

    // ---------------------------------------------------------------- key round trips

    @Test
    void rsaPkcs1RoundTrip() {
        String pem = Pem.toPem(rsa.getPrivate(), Pem.KeyFormat.PKCS1);
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----\n").contains("-----END RSA PRIVATE KEY-----");
        assertSameKey(Pem.parsePrivateKey(pem, null), rsa);
    }

    @Test
    void rsaPkcs8RoundTrip() {
        String pem = Pem.toPem(rsa.getPrivate(), Pem.KeyFormat.PKCS8);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertSameKey(Pem.parsePrivateKey(pem, null), rsa);
    }

    @Test
    void ecSec1RoundTripCarriesCurveAndPublicKey() {
        String pem = Pem.toPem(ec.getPrivate(), Pem.KeyFormat.SEC1);
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
        assertSameKey(Pem.parsePrivateKey(pem, null), ec);
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(Base64.getDecoder().decode(b64));
        assertThat(sec1.getParametersObject()).isEqualTo(SECObjectIdentifiers.secp256r1);
        assertThat(sec1.getPublicKey()).isNotNull();
        // the public point is the real one: it equals the X.509 encoding's point
        byte[] spki = ec.getPublic().getEncoded();
        byte[] point = sec1.getPublicKey().getBytes();
        assertThat(java.util.Arrays.copyOfRange(spki, spki.length - point.length, spki.length)).isEqualTo(point);
    }

    @Test
    void ecPkcs8RoundTrip() {
        String pem = Pem.toPem(ec.getPrivate(), Pem.KeyFormat.PKCS8);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertSameKey(Pem.parsePrivateKey(pem, null), ec);
    }

    @Test
    void encryptedPkcs8RoundTripWithTheRightPassword() {
        for (KeyPair kp : List.of(rsa, ec)) {
            String pem = Pem.toEncryptedPem(kp.getPrivate(), PASSWORD);
            assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
            assertSameKey(Pem.parsePrivateKey(pem, PASSWORD), kp);
        }
    }

    @Test
    void encryptedPkcs8WithAWrongPasswordIsAClearError() {
        String pem = Pem.toEncryptedPem(ec.getPrivate(), PASSWORD);
        assertThatThrownBy(() -> Pem.parsePrivateKey(pem, "wrong".toCharArray()))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("cannot decrypt the private key: wrong password");
        assertThatThrownBy(() -> Pem.parsePrivateKey(pem, null))
                .isInstanceOf(CertsException.class)
                .hasMessageContaining("the private key is encrypted")
                .hasMessageContaining("a password is needed");
    }

    @Test
    void encryptedKeyFileRoundTripHasMode0600() throws IOException {
        Path f = dir.resolve("enc.key");
        Pem.writeEncryptedPrivateKey(f, rsa.getPrivate(), PASSWORD);
        assertThat(mode(f)).isEqualTo("rw-------");
        assertSameKey(Pem.readPrivateKey(f, PASSWORD), rsa);
        assertThatThrownBy(() -> Pem.readPrivateKey(f, "nope".toCharArray()))
                .hasMessageStartingWith(f + ": cannot decrypt");
    }

    @Test
    void wrongFormatForTheKeyTypeIsRefused() {
        assertThatThrownBy(() -> Pem.toPem(ec.getPrivate(), Pem.KeyFormat.PKCS1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RSA keys");
        assertThatThrownBy(() -> Pem.toPem(rsa.getPrivate(), Pem.KeyFormat.SEC1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EC keys");
    }

    @Test
    void keyFilesAre0600AndCertificateFiles0644EvenWhenReplacingOthers() throws IOException {
        Path key = dir.resolve("k.pem");
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
        Pem.writePrivateKey(key, ec.getPrivate(), Pem.KeyFormat.SEC1);
        assertThat(mode(key)).isEqualTo("rw-------");
        assertSameKey(Pem.readPrivateKey(key, null), ec);

        Path crt = dir.resolve("c.pem");
        Pem.writeCertificates(crt, ca.certificate());
        assertThat(mode(crt)).isEqualTo("rw-r--r--");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("k.pem", "c.pem"); // no temp files left
        }
    }

    // ---------------------------------------------------------------- what OpenSSL writes

    @ParameterizedTest
    @ValueSource(strings = {"ec-sec1.key", "ec-sec1-with-params.key", "ec-pkcs8.key", "ec-pkcs8-encrypted.key"})
    void readsOpensslEcKeys(String name) throws Exception {
        PrivateKey k = Pem.readPrivateKey(fixture(name), "s3cret".toCharArray());
        assertThat(k).isInstanceOf(ECPrivateKey.class);
        X509Certificate cert = Pem.readCertificate(fixture("ec-selfsigned.crt"));
        assertThat(KeyMatch.matches(cert.getPublicKey(), k)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1.key", "rsa-pkcs8.key", "rsa-pkcs8-encrypted.key", "rsa-pkcs1-legacy-encrypted.key"})
    void readsOpensslRsaKeys(String name) throws Exception {
        PrivateKey k = Pem.readPrivateKey(fixture(name), "s3cret".toCharArray());
        assertThat(k).isInstanceOf(RSAPrivateCrtKey.class);
        PrivateKey plain = Pem.readPrivateKey(fixture("rsa-pkcs1.key"), null);
        assertThat(((RSAPrivateCrtKey) k).getPrivateExponent()).isEqualTo(((RSAPrivateCrtKey) plain).getPrivateExponent());
    }

    @Test
    void legacyEncryptedKeyWithWrongPassword() throws Exception {
        Path f = fixture("rsa-pkcs1-legacy-encrypted.key");
        assertThatThrownBy(() -> Pem.readPrivateKey(f, "bad".toCharArray())).isInstanceOf(CertsException.class)
                .hasMessageContaining("wrong password");
        assertThatThrownBy(() -> Pem.readPrivateKey(f, null)).hasMessageContaining("Proc-Type: 4,ENCRYPTED")
                .hasMessageContaining("a password is needed");
    }

    @Test
    void readsAnOpensslCertificate() throws Exception {
        CertInfo info = CertInfo.of(Pem.readCertificate(fixture("ec-selfsigned.crt")));
        assertThat(info.subject()).isEqualTo("CN=openssl-selfsigned");
        assertThat(info.subjectAltNames()).containsExactly("DNS:example.test", "IP:10.1.2.3");
        assertThat(info.key()).isEqualTo("EC P-256");
    }

    /** The other direction: OpenSSL reads every form we write (skipped where there is no openssl binary). */
    @Test
    void opensslReadsWhatWeWrite() throws Exception {
        assumeTrue(opensslAvailable(), "no openssl on PATH");
        record Case(String name, String pem, boolean encrypted) {}
        List<Case> cases = List.of(
                new Case("rsa-pkcs1", Pem.toPem(rsa.getPrivate(), Pem.KeyFormat.PKCS1), false),
                new Case("rsa-pkcs8", Pem.toPem(rsa.getPrivate(), Pem.KeyFormat.PKCS8), false),
                new Case("ec-sec1", Pem.toPem(ec.getPrivate(), Pem.KeyFormat.SEC1), false),
                new Case("ec-pkcs8", Pem.toPem(ec.getPrivate(), Pem.KeyFormat.PKCS8), false),
                new Case("ec-enc", Pem.toEncryptedPem(ec.getPrivate(), PASSWORD), true));
        for (Case c : cases) {
            Path f = dir.resolve(c.name + ".pem");
            Files.writeString(f, c.pem);
            List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "pkey", "-in", f.toString(), "-noout"));
            if (c.encrypted) cmd.addAll(List.of("-passin", "pass:" + new String(PASSWORD)));
            assertThat(runOpenssl(cmd)).as("openssl pkey on %s", c.name).isZero();
        }
        Path crt = dir.resolve("ca.crt");
        Pem.writeCertificates(crt, ca.certificate());
        assertThat(runOpenssl(List.of("openssl", "x509", "-in", crt.toString(), "-noout"))).isZero();
    }

    // ---------------------------------------------------------------- certificates

    @Test
    void certificatesRoundTripInOrder() {
        X509Certificate leaf = ca.issue(LeafSpec.of("leaf", CertUsage.SERVER, "localhost")).certificate();
        Path f = dir.resolve("chain.pem");
        Pem.writeCertificates(f, leaf, ca.certificate());
        assertThat(Pem.readCertificates(f)).containsExactly(leaf, ca.certificate());
        assertThat(Pem.readCertificate(f)).isEqualTo(leaf);
        assertThat(Pem.parseCertificates(Pem.toPem(leaf))).containsExactly(leaf);
    }

    @Test
    void textAroundPemBlocksIsIgnored() {
        String pem = "Bag Attributes\n    friendlyName: x\nsubject=CN = x\n" + Pem.toPem(ca.certificate()) + "trailing words\n";
        assertThat(Pem.parseCertificates(pem)).containsExactly(ca.certificate());
    }

    @Test
    void derCertificateIsReadToo() throws Exception {
        Path f = dir.resolve("ca.der");
        Files.write(f, ca.certificate().getEncoded());
        assertThat(Pem.readCertificates(f)).containsExactly(ca.certificate());
    }

    // ---------------------------------------------------------------- errors a user makes

    @Test
    void missingFile() {
        Path f = dir.resolve("nope.crt");
        assertThatThrownBy(() -> Pem.readCertificates(f)).isInstanceOf(CertsException.class).hasMessage(f + ": no such file");
        assertThatThrownBy(() -> Pem.readPrivateKey(f, null)).isInstanceOf(CertsException.class).hasMessage(f + ": no such file");
    }

    @Test
    void notPem() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "just some text\n");
        assertThatThrownBy(() -> Pem.readCertificates(f)).isInstanceOf(CertsException.class)
                .hasMessage(f + ": not a PEM certificate file (no -----BEGIN CERTIFICATE----- line)");
        assertThatThrownBy(() -> Pem.readPrivateKey(f, null)).isInstanceOf(CertsException.class)
                .hasMessageStartingWith(f + ": not a PEM private key file");
        Path dirAsFile = dir;
        assertThatThrownBy(() -> Pem.readCertificates(dirAsFile)).hasMessageContaining("is a directory");
    }

    @Test
    void keyWhereACertificateIsExpectedAndTheOtherWayRound() {
        Path key = dir.resolve("x.key");
        Pem.writePrivateKey(key, ec.getPrivate(), Pem.KeyFormat.PKCS8);
        assertThatThrownBy(() -> Pem.readCertificates(key)).isInstanceOf(CertsException.class)
                .hasMessage(key + ": no certificate in this PEM file (found PRIVATE KEY)");
        Path crt = dir.resolve("x.crt");
        Pem.writeCertificates(crt, ca.certificate());
        assertThatThrownBy(() -> Pem.readPrivateKey(crt, null)).isInstanceOf(CertsException.class)
                .hasMessageStartingWith(crt + ": no private key in this PEM file (found CERTIFICATE;");
    }

    @Test
    void damagedPem() throws IOException {
        Path f = dir.resolve("bad.crt");
        Files.writeString(f, "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Pem.readCertificates(f)).isInstanceOf(CertsException.class)
                .hasMessageStartingWith(f + ": certificate 1 is damaged");
        Path g = dir.resolve("unterminated.key");
        Files.writeString(g, "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        assertThatThrownBy(() -> Pem.readPrivateKey(g, null)).isInstanceOf(CertsException.class)
                .hasMessageStartingWith(g + ": malformed PEM");
        Path h = dir.resolve("garbage.key");
        Files.writeString(h, "-----BEGIN PRIVATE KEY-----\nTm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Pem.readPrivateKey(h, null)).isInstanceOf(CertsException.class)
                .hasMessageStartingWith(h + ":").message().doesNotContain("\n");
    }

    // ---------------------------------------------------------------- helpers

    static void assertSameKey(PrivateKey actual, KeyPair expected) {
        assertThat(actual.getAlgorithm()).isEqualTo(expected.getPrivate().getAlgorithm());
        if (actual instanceof RSAPrivateCrtKey a) {
            RSAPrivateCrtKey e = (RSAPrivateCrtKey) expected.getPrivate();
            assertThat(a.getModulus()).isEqualTo(e.getModulus());
            assertThat(a.getPrivateExponent()).isEqualTo(e.getPrivateExponent());
        } else {
            assertThat(((ECPrivateKey) actual).getS()).isEqualTo(((ECPrivateKey) expected.getPrivate()).getS());
        }
        assertThat(KeyMatch.matches(expected.getPublic(), actual)).isTrue();
    }

    static String mode(Path f) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(PemTest.class.getResource("/openssl/" + name).toURI());
    }

    static boolean opensslAvailable() {
        try {
            return runOpenssl(List.of("openssl", "version")) == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static int runOpenssl(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) System.err.println(String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8));
        return p.exitValue();
    }
}
