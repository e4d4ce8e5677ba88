package dev.hearth.ui.metrics;

import dev.hearth.storage.Token;
import java.util.List;

/// The per-token latency of one generation: milliseconds between a token and the one before it (the first
/// token's from the start of the generation). The stored `ms` of a token is cumulative.
public record TokenLatency(List<Double> millis) {
    public TokenLatency {
        millis = List.copyOf(millis);
    }

    public static TokenLatency of(List<Token> tokens) {
        var out = new java.util.ArrayList<Double>(tokens.size());
        double previous = 0;
        for (var t : tokens) {
            double ms = t.ms();
            out.add(Double.isFinite(ms) ? Math.max(0, ms - previous) : Double.NaN);
            if (Double.isFinite(ms)) previous = ms;
        }
        return new TokenLatency(out);
    }

    /// Nearest-rank percentile (0 < p ≤ 100) of the known latencies; `NaN` when there are none.
    public double percentile(double p) {
        var known = millis.stream().filter(Double::isFinite).sorted().toList();
        if (known.isEmpty()) return Double.NaN;
        int rank = (int) Math.ceil(p / 100 * known.size());
        return known.get(Math.max(0, Math.min(known.size() - 1, rank - 1)));
    }
}
