package dev.eventbus.audit.analyze.checks;

/** Byte counts for people: {@code 1.5 GiB}. */
final class Bytes {
    private Bytes() {}

    static String human(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (bytes >= 1024 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        return u == 0 ? String.format("%.0f B", bytes) : String.format("%.1f %s", bytes, units[u]);
    }
}
