package dev.eventbus.certs;

/** What a leaf certificate may be used for in TLS (its extendedKeyUsage). */
public enum CertUsage {
    /** A TLS server only ({@code serverAuth}). */
    SERVER,
    /** A TLS client only ({@code clientAuth}), e.g. an agent. */
    CLIENT,
    /** Both ({@code serverAuth, clientAuth}): services that accept mTLS connections and also make them. */
    SERVER_AND_CLIENT;

    public boolean server() {
        return this != CLIENT;
    }

    public boolean client() {
        return this != SERVER;
    }

    /** "server", "client" or "server+client". */
    public String label() {
        return switch (this) {
            case SERVER -> "server";
            case CLIENT -> "client";
            case SERVER_AND_CLIENT -> "server+client";
        };
    }
}
