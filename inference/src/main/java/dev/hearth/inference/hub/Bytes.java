package dev.hearth.inference.hub;

import java.util.Locale;

/// Byte counts for people: `1.2 GB`, `640 MB`, `12 kB` (SI units, as the Hub shows sizes).
public final class Bytes {
    private Bytes() {}

    public static String format(long bytes) {
        if (bytes < 1000) return bytes + " B";
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }
}
