package dev.eventbus.audit.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Go gather's {@code user_name}: {@code "<login> (<full name>)"}, or {@code "?"} when the login is unknown. */
public final class UserName {
    private UserName() {}

    public static String current() {
        String login = System.getProperty("user.name", "");
        if (login.isEmpty() || login.equals("?")) return "?";
        return login + " (" + fullName(login) + ")";
    }

    /** The GECOS name from /etc/passwd (up to the first comma); empty where there is none. */
    static String fullName(String login) {
        Path passwd = Path.of("/etc/passwd");
        if (!Files.isReadable(passwd)) return "";
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] f = line.split(":", -1);
                if (f.length >= 5 && f[0].equals(login)) {
                    int comma = f[4].indexOf(',');
                    return comma < 0 ? f[4] : f[4].substring(0, comma);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }
}
