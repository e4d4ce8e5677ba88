package dev.hearth.ui;

import java.util.Locale;

/// How Hearth writes quantities for people: bytes in binary units as file managers and `ls -h` do, counts with
/// K/M/B suffixes as model cards do ("7.2B parameters").
public final class Units {
    private Units() {}

    /// `1536` → `"1.5 KiB"`; exact bytes below 1 KiB.
    public static String bytes(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        do {
            value /= 1024;
            unit++;
        } while (value >= 1024 && unit < units.length - 1);
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s", value, units[unit]);
    }

    /// `7_241_732_096` → `"7.24B"`, `58_000` → `"58.0K"`.
    public static String count(long n) {
        if (n < 1000) return Long.toString(n);
        String[] suffixes = {"K", "M", "B", "T"};
        double value = n;
        int i = -1;
        do {
            value /= 1000;
            i++;
        } while (value >= 1000 && i < suffixes.length - 1);
        return String.format(Locale.ROOT, value >= 100 ? "%.0f%s" : value >= 10 ? "%.1f%s" : "%.2f%s", value, suffixes[i]);
    }
}
