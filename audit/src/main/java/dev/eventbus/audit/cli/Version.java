package dev.eventbus.audit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this tool, from the build. */
public final class Version {
    private Version() {}

    public static String number() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/eventbus/audit/version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }

    /** What the metadata's {@code version} says, as natscli writes {@code "nats <version>"}. */
    public static String tool() { return "eventbus audit " + number(); }
}
