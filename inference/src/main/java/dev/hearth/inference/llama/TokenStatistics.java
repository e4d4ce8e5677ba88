package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/// Statistics of one position's raw distribution, computed in ONE pass over the logits in native memory
/// (the maximum comes for free from filling the sampler's candidate array): the normaliser, the entropy, the
/// chosen token's rank, and the top K tokens through a K-slot min-heap that almost every logit skips with one
/// comparison. exp() is a float polynomial (relative error < 1e-6) instead of `Math.exp`, which costs ~4× more.
///
/// Reused across tokens; not thread-safe.
final class TokenStatistics {
    private static final float LOG2E = 1.4426950408889634f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.428606765330187e-6f;

    private final int[] heapId = new int[20];
    private final float[] heapLogit = new float[20];
    private int heapSize;

    /// log Σ exp(x - max).
    double logSumExp;
    /// Entropy in nats.
    double entropy;
    /// 1-based rank of the chosen token.
    int rank;
    /// Top ids and logits, best first, after [#compute].
    final int[] topIds = new int[20];
    final float[] topLogits = new float[20];
    int topCount;

    /// One fused pass. Ties rank by lower id first.
    void compute(MemorySegment logits, int n, float max, int chosen, int k) {
        float chosenLogit = logits.getAtIndex(JAVA_FLOAT, chosen);
        double sum = 0, weighted = 0;
        int above = 0;
        heapSize = 0;
        float threshold = k > 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float x = logits.getAtIndex(JAVA_FLOAT, i);
            float d = x - max;
            float e = exp(d);
            sum += e;
            weighted += e * d;
            if (x > chosenLogit || (x == chosenLogit && i < chosen)) above++;
            if (x > threshold) threshold = offer(i, x, k);
        }
        logSumExp = Math.log(sum);
        // H = -Σ p log p with p = e/S and log p = d - log S  →  H = log S - Σ e d / S
        entropy = Math.max(0, logSumExp - weighted / sum);
        rank = above + 1;
        drainHeap();
    }

    /// The chosen token's log-probability: x - max - log S.
    double logprob(float logit, float max) {
        return (logit - max) - logSumExp;
    }

    // ---- K-slot min-heap keyed on logit (the worst of the best K at the root) ----

    private float offer(int id, float logit, int k) {
        if (heapSize < k) {
            int i = heapSize++;
            heapId[i] = id;
            heapLogit[i] = logit;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!worse(i, parent)) break;
                swap(i, parent);
                i = parent;
            }
        } else {
            heapId[0] = id;
            heapLogit[0] = logit;
            siftDown(0, heapSize);
        }
        return heapSize < k ? Float.NEGATIVE_INFINITY : heapLogit[0];
    }

    /// Whether slot a ranks below slot b (lower logit, or equal logit and higher id).
    private boolean worse(int a, int b) {
        return heapLogit[a] < heapLogit[b] || (heapLogit[a] == heapLogit[b] && heapId[a] > heapId[b]);
    }

    private void siftDown(int i, int size) {
        while (true) {
            int l = 2 * i + 1, r = l + 1, m = i;
            if (l < size && worse(l, m)) m = l;
            if (r < size && worse(r, m)) m = r;
            if (m == i) return;
            swap(i, m);
            i = m;
        }
    }

    private void swap(int a, int b) {
        int id = heapId[a];
        heapId[a] = heapId[b];
        heapId[b] = id;
        float l = heapLogit[a];
        heapLogit[a] = heapLogit[b];
        heapLogit[b] = l;
    }

    private void drainHeap() {
        topCount = heapSize;
        for (int out = heapSize - 1; out >= 0; out--) {
            topIds[out] = heapId[0];
            topLogits[out] = heapLogit[0];
            heapSize--;
            heapId[0] = heapId[heapSize];
            heapLogit[0] = heapLogit[heapSize];
            siftDown(0, heapSize);
        }
    }

    /// e^x for x <= 0 in float: 2^(x·log2 e) split into an integer power (exponent bits) and 2^f for
    /// f in [-0.5, 0.5] (degree-6 Taylor polynomial). 0 below -87.
    static float exp(float x) {
        if (x < -87f) return 0f;
        float fi = (float) Math.floor(x * LOG2E + 0.5f);
        float f = (x - fi * LN2_HI) - fi * LN2_LO; // Cody-Waite: exact range reduction in float
        float p = 1f + f * (1f + f * (0.5f + f * (0.16666667f + f * (0.041666668f + f * (0.008333334f
                + f * 0.0013888889f)))));
        return Float.intBitsToFloat(((int) fi + 127) << 23) * p;
    }
}
