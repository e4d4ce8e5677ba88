package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/// The per-token Java work over a 32,000-token vocabulary: the fused statistics pass (normaliser, entropy, rank,
/// top-K) against a naive scalar pass (Math.exp, then a full sort for the top-K), both on native memory.
///
/// Run: `java --enable-native-access=ALL-UNNAMED -cp <test classpath> org.openjdk.jmh.Main TokenStatisticsBenchmark`
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenStatisticsBenchmark {
    @Param({"32000"})
    int vocab;

    @Param({"10"})
    int k;

    MemorySegment logits;
    float max;
    int chosen;
    final TokenStatistics stats = new TokenStatistics();

    @Setup
    public void setup() {
        logits = Arena.ofShared().allocate(JAVA_FLOAT, vocab);
        var random = new Random(1);
        max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float x = (float) (random.nextGaussian() * 3);
            logits.setAtIndex(JAVA_FLOAT, i, x);
            max = Math.max(max, x);
        }
        chosen = vocab / 3;
    }

    @Benchmark
    public double fused() {
        stats.compute(logits, vocab, max, chosen, k);
        return stats.entropy + stats.rank + stats.topIds[0];
    }

    @Benchmark
    public double naive() {
        float[] x = logits.toArray(JAVA_FLOAT);
        double m = Double.NEGATIVE_INFINITY;
        for (float v : x) m = Math.max(m, v);
        double sum = 0;
        for (float v : x) sum += Math.exp(v - m);
        double logZ = m + Math.log(sum);
        double h = 0;
        for (float v : x) {
            double lp = v - logZ;
            h -= Math.exp(lp) * lp;
        }
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(x[b], x[a]));
        return h + order[0] + order[k - 1];
    }
}
