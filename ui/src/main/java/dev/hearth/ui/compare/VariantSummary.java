package dev.hearth.ui.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/// One variant's figures over its finished outputs (done or stopped, with figures). Figures over no outputs are NaN.
///
/// @param outputs      how many outputs count
/// @param meanTokens   mean output length in tokens
/// @param meanLogprob  mean natural-log probability of the output tokens, over all its outputs' tokens
/// @param perplexity   the perplexity of its own output, `exp(-meanLogprob)`
public record VariantSummary(String label, int outputs, double meanTokens, double meanLogprob, double perplexity,
        double tokensPerSecondMedian, double tokensPerSecondMin, double tokensPerSecondMax, double ttftMedianMs,
        int thumbsUp, int thumbsDown) {

    static VariantSummary of(String label, List<CompareCell> cells) {
        var tps = new ArrayList<Double>();
        var ttft = new ArrayList<Double>();
        double tokens = 0;
        double logprobSum = 0;
        int logprobCount = 0;
        int up = 0;
        int down = 0;
        for (var c : cells) {
            var r = c.ratingProperty().get();
            if (r != null && r > 0) up++;
            if (r != null && r < 0) down++;
            var f = c.figures();
            if (f == null || (c.state() != CompareCell.State.DONE && c.state() != CompareCell.State.STOPPED)) continue;
            tps.add(f.tokensPerSecond());
            ttft.add(f.ttftMs());
            tokens += f.tokens();
            for (var t : c.tokens()) {
                logprobSum += t.logprob();
                logprobCount++;
            }
        }
        int n = tps.size();
        double mean = logprobCount == 0 ? Double.NaN : logprobSum / logprobCount;
        return new VariantSummary(label, n, n == 0 ? Double.NaN : tokens / n, mean, Math.exp(-mean), median(tps),
                n == 0 ? Double.NaN : Collections.min(tps), n == 0 ? Double.NaN : Collections.max(tps), median(ttft),
                up, down);
    }

    /// The median (the mean of the middle two for an even count); NaN for none.
    static double median(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        var sorted = values.stream().sorted().toList();
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }
}
