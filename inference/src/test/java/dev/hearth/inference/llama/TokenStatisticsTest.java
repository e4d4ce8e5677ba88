package dev.hearth.inference.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenStatisticsTest {
    @Test
    void theFloatExpIsWithinFloatPrecisionOfMathExp() {
        for (float x = 0; x > -87; x -= 0.0137f) {
            double expected = Math.exp(x);
            assertEquals(expected, TokenStatistics.exp(x), expected * 1e-6, "exp(" + x + ")");
        }
        assertEquals(0f, TokenStatistics.exp(-100f));
        assertEquals(0f, TokenStatistics.exp(Float.NEGATIVE_INFINITY));
    }
}
