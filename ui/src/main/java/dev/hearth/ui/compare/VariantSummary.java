package dev.hearth.ui.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/// One variant's figures over its finished outputs (done or stopped, with figures), for the Compare section and
/// `hearth compare` alike. Figures over no outputs are NaN.
///
/// @param outputs      how many outputs count
/// @param meanTokens   mean output length in tokens
/// @param meanLogprob  mean natural-log probability of the output tokens, over all its outputs' tokens
/// @param perplexity   the perplexity of its own output, `exp(-meanLogprob)`
/// @param stopReasons  how many outputs stopped for each reason
public record VariantSummary(String label, int outputs, double meanTokens, double meanLogprob, double perplexity,
        double tokensPerSecondMedian, double tokensPerSecondMin, double tokensPerSecondMax, double ttftMedianMs,
        int thumbsUp, int thumbsDown, double tokensMedian, double tokensMin, double tokensMax, double ttftMinMs,
        double ttftMaxMs, Map<String, Integer> stopReasons) {

    public VariantSummary {
        stopReasons = Map.copyOf(stopReasons);
    }

    /// One output as the summary counts it.
    ///
    /// @param finished     whether it ended (done or stopped) with figures; others count only their rating
    /// @param logprobSum   the sum of its tokens' natural-log probabilities
    /// @param logprobCount how many tokens that sum covers
    /// @param rating       -1, 1 (or 1–5), or null when not rated
    public record Output(boolean finished, int tokens, double tokensPerSecond, double ttftMs, String stopReason,
            double logprobSum, int logprobCount, @Nullable Integer rating) {
        /// The mean natural-log probability of its tokens; NaN for none.
        public double meanLogprob() {
            return logprobCount == 0 ? Double.NaN : logprobSum / logprobCount;
        }

        /// The perplexity of its own tokens, `exp(-meanLogprob)`.
        public double perplexity() {
            return Math.exp(-meanLogprob());
        }
    }

    /// The summary of `outputs`.
    public static VariantSummary of(String label, List<Output> outputs) {
        var tps = new ArrayList<Double>();
        var ttft = new ArrayList<Double>();
        var tokens = new ArrayList<Double>();
        var stops = new TreeMap<String, Integer>();
        double logprobSum = 0;
        int logprobCount = 0;
        int up = 0;
        int down = 0;
        for (var o : outputs) {
            var r = o.rating();
            if (r != null && r > 0) up++;
            if (r != null && r < 0) down++;
            if (!o.finished()) continue;
            tps.add(o.tokensPerSecond());
            ttft.add(o.ttftMs());
            tokens.add((double) o.tokens());
            stops.merge(o.stopReason(), 1, Integer::sum);
            logprobSum += o.logprobSum();
            logprobCount += o.logprobCount();
        }
        int n = tps.size();
        double mean = logprobCount == 0 ? Double.NaN : logprobSum / logprobCount;
        double tokenSum = tokens.stream().mapToDouble(Double::doubleValue).sum();
        return new VariantSummary(label, n, n == 0 ? Double.NaN : tokenSum / n, mean, Math.exp(-mean), median(tps),
                min(tps), max(tps), median(ttft), up, down, median(tokens), min(tokens), max(tokens), min(ttft),
                max(ttft), stops);
    }

    /// The summary of a column's cells.
    static VariantSummary ofCells(String label, List<CompareCell> cells) {
        return of(label, cells.stream().map(CompareCell::output).toList());
    }

    /// The median (the mean of the middle two for an even count); NaN for none.
    public static double median(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        var sorted = values.stream().sorted().toList();
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    private static double min(List<Double> values) {
        return values.isEmpty() ? Double.NaN : Collections.min(values);
    }

    private static double max(List<Double> values) {
        return values.isEmpty() ? Double.NaN : Collections.max(values);
    }
}
