package dev.hearth.ui.inspector;

import java.util.Locale;

/// How the inspector writes probabilities, log-probabilities and entropies.
final class TokenFormat {
    private TokenFormat() {}

    /// `exp(logprob)` as a percentage: "23.4 %", "< 0.1 %", "?" when unknown.
    static String percent(double logprob) {
        if (Double.isNaN(logprob)) return "?";
        double p = Math.exp(logprob) * 100;
        if (p > 0 && p < 0.1) return "< 0.1 %";
        return String.format(Locale.ROOT, "%.1f %%", p);
    }

    /// A natural-log probability with three decimals, with a real minus sign: "−1.452".
    static String logprob(double logprob) {
        if (Double.isNaN(logprob)) return "?";
        return String.format(Locale.ROOT, "%.3f", logprob).replace('-', '−');
    }

    /// An entropy in nats: "2.31 nats".
    static String entropy(double entropy) {
        if (Double.isNaN(entropy)) return "? nats";
        return String.format(Locale.ROOT, "%.2f nats", entropy);
    }

    /// A 0-based rank as people count it: 0 → "#1"; -1 (unknown) → "#?".
    static String rank(int rank) {
        return rank < 0 ? "#?" : "#" + (rank + 1);
    }

    /// A token in quotes with its whitespace visible: “␣world”.
    static String quoted(String piece) {
        return "“" + VisibleText.label(piece) + "”";
    }
}
