package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class TokenStatisticsTest {
    @Test
    void theVectorizableExpIsWithin1e5OfMathExp() {
        for (float x = 0; x >= -30; x -= 0.0137f) {
            double expected = Math.exp(x);
            assertEquals(expected, TokenStatistics.exp(x), expected * 1e-5, "exp(" + x + ")");
        }
        assertEquals(Math.exp(-30), TokenStatistics.exp(-100f), 1e-18);
        assertEquals(1.0, TokenStatistics.exp(0f));
    }

    @Test
    void statisticsOfAKnownDistribution() {
        // logits ln(4), ln(2), ln(1), ln(1): probabilities 1/2, 1/4, 1/8, 1/8
        float[] logits = {(float) Math.log(1), (float) Math.log(4), (float) Math.log(1), (float) Math.log(2)};
        try (var arena = Arena.ofConfined()) {
            var seg = arena.allocateFrom(JAVA_FLOAT, logits);
            var s = new TokenStatistics();
            float max = (float) Math.log(4);
            s.compute(seg, 4, max, 2, 3);
            assertEquals(Math.log(1 / 8.0), s.logprob(logits[2], max), 1e-6);
            double h = -(0.5 * Math.log(0.5) + 0.25 * Math.log(0.25) + 2 * 0.125 * Math.log(0.125));
            assertEquals(h, s.entropy, 1e-6);
            assertEquals(4, s.rank, "ties rank by lower id: token 0 ranks before token 2");
            assertEquals(3, s.topCount);
            assertEquals(java.util.List.of(1, 3, 0), java.util.List.of(s.topIds[0], s.topIds[1], s.topIds[2]));
        }
    }
}
