package dev.hearth.ui.inspector;

import dev.hearth.storage.Token;
import java.util.List;

/// What the heatmap colours a token by. Both scales have the same six buckets, from 0 (the model was sure) to 5
/// (it was not); a token whose value is unknown has no bucket (-1) and is drawn uncoloured.
public enum HeatmapMode {
    /// The chosen token's probability, `exp(logprob)`: bucket 0 is 90 % or more, bucket 5 less than 10 %.
    PROBABILITY("Probability", new double[] {0.9, 0.7, 0.5, 0.3, 0.1},
            List.of("≥ 90 %", "70–90 %", "50–70 %", "30–50 %", "10–30 %", "< 10 %")),
    /// The entropy of the whole distribution at the position, in nats: bucket 0 is below 0.25, bucket 5 is 3.5 or more.
    ENTROPY("Entropy", new double[] {0.25, 0.75, 1.5, 2.5, 3.5},
            List.of("< 0.25", "0.25–0.75", "0.75–1.5", "1.5–2.5", "2.5–3.5", "≥ 3.5 nats"));

    /// How many buckets each scale has.
    public static final int BUCKETS = 6;
    /// The bucket of a token whose value is unknown.
    public static final int UNKNOWN = -1;

    private final String label;
    private final double[] edges;
    private final List<String> bucketLabels;

    HeatmapMode(String label, double[] edges, List<String> bucketLabels) {
        this.label = label;
        this.edges = edges;
        this.bucketLabels = bucketLabels;
    }

    /// The mode's name as the legend shows it.
    public String label() {
        return label;
    }

    /// The legend's text for each bucket, bucket 0 first.
    public List<String> bucketLabels() {
        return bucketLabels;
    }

    /// The token's bucket, 0 to 5, or [#UNKNOWN] when its log-probability (or entropy) is unknown.
    public int bucketOf(Token token) {
        return switch (this) {
            case PROBABILITY -> probabilityBucket(token.logprob());
            case ENTROPY -> entropyBucket(token.entropy());
        };
    }

    /// The bucket of a probability given as a natural log: 0 for 90 % or more, 5 for less than 10 %.
    static int probabilityBucket(double logprob) {
        if (Double.isNaN(logprob) || logprob > 1e-6) return UNKNOWN;
        double p = Math.exp(logprob);
        double[] edges = PROBABILITY.edges;
        for (int i = 0; i < edges.length; i++) {
            if (p >= edges[i] - 1e-6) return i; // a float logprob of exactly 30 % is 30 %, not 29.99999
        }
        return edges.length;
    }

    /// The bucket of an entropy in nats: 0 below 0.25, 5 for 3.5 or more.
    static int entropyBucket(double entropy) {
        if (Double.isNaN(entropy) || entropy < 0) return UNKNOWN;
        double[] edges = ENTROPY.edges;
        for (int i = 0; i < edges.length; i++) {
            if (entropy < edges[i]) return i;
        }
        return edges.length;
    }

    /// The CSS style class of a bucket: `heat-0` … `heat-5`, or `heat-unknown`.
    public static String styleClass(int bucket) {
        return bucket == UNKNOWN ? "heat-unknown" : "heat-" + bucket;
    }
}
