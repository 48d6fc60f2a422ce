package dev.eventbus.certs;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Whether a certificate chain leads to a trusted CA: PKIX validation as a TLS peer does it, without revocation checks. */
public final class CertChains {
    private CertChains() {}

    /**
     * The outcome.
     *
     * @param valid  whether the chain validates
     * @param reason empty when valid; otherwise one line, e.g. "not signed by the given CA"
     */
    public record Result(boolean valid, String reason) {
        static Result ok() {
            return new Result(true, "");
        }

        static Result fail(String reason) {
            return new Result(false, reason);
        }
    }

    /** Validates now. */
    public static Result verify(List<X509Certificate> chain, Collection<X509Certificate> trustedCas) {
        return verify(chain, trustedCas, Instant.now());
    }

    /**
     * @param chain      leaf first, then intermediates (a copy of a trusted root at the end is ignored)
     * @param trustedCas the only trust anchors
     * @param at         the time to check validity periods against
     */
    public static Result verify(List<X509Certificate> chain, Collection<X509Certificate> trustedCas, Instant at) {
        if (chain.isEmpty()) return Result.fail("no certificate");
        if (trustedCas.isEmpty()) return Result.fail("no CA certificate to check against");
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : trustedCas) anchors.add(new TrustAnchor(ca, null));
        List<X509Certificate> path = new ArrayList<>(chain);
        // PKIX wants the path without the anchor; people often append the root to their chain files
        while (path.size() > 1 && trustedCas.contains(path.get(path.size() - 1))) path.remove(path.size() - 1);
        if (path.size() == 1 && trustedCas.contains(path.get(0))) {
            X509Certificate ca = path.get(0);
            if (at.isAfter(ca.getNotAfter().toInstant())) return Result.fail("it is the CA certificate itself, and it has expired");
            return Result.ok();
        }
        try {
            CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(cp, params);
            return Result.ok();
        } catch (CertPathValidatorException e) {
            return Result.fail(explain(e, chain));
        } catch (GeneralSecurityException e) {
            return Result.fail(e.getMessage());
        }
    }

    private static String explain(CertPathValidatorException e, List<X509Certificate> chain) {
        CertPathValidatorException.Reason r = e.getReason();
        int idx = e.getIndex();
        String which = idx >= 0 && idx < chain.size() && chain.size() > 1 ? " (certificate " + (idx + 1) + " of the chain)" : "";
        if (r == CertPathValidatorException.BasicReason.EXPIRED) return "a certificate has expired" + which;
        if (r == CertPathValidatorException.BasicReason.NOT_YET_VALID) return "a certificate is not yet valid" + which;
        if (r == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) return "not signed by the given CA" + which;
        String m = e.getMessage() == null ? String.valueOf(r) : e.getMessage();
        if (m.contains("anchor") || m.contains("issuer")) {
            X509Certificate last = chain.get(chain.size() - 1);
            return "not issued by the given CA (issuer is " + last.getIssuerX500Principal().getName() + ")";
        }
        return m + which;
    }
}
