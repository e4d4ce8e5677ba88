package dev.hearth.ui.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.storage.Token;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeatmapModeTest {
    private static Token token(double probability, double entropy) {
        return new Token(0, 5, "x", (float) Math.log(probability), 0, (float) entropy, 1, List.of());
    }

    @Test
    void probabilityBucketsRunFromSureToUnsureAtTheLegendsEdges() {
        var mode = HeatmapMode.PROBABILITY;
        assertEquals(0, mode.bucketOf(token(1.0, 0)));
        assertEquals(0, mode.bucketOf(token(0.9, 0)));
        assertEquals(1, mode.bucketOf(token(0.89, 0)));
        assertEquals(1, mode.bucketOf(token(0.7, 0)));
        assertEquals(2, mode.bucketOf(token(0.55, 0)));
        assertEquals(3, mode.bucketOf(token(0.3, 0)));
        assertEquals(4, mode.bucketOf(token(0.29, 0)));
        assertEquals(4, mode.bucketOf(token(0.1, 0)));
        assertEquals(5, mode.bucketOf(token(0.099, 0)));
        assertEquals(5, mode.bucketOf(token(1e-30, 0)));
    }

    @Test
    void aLogprobOfMinusInfinityIsTheLeastLikelyBucket() {
        assertEquals(5, HeatmapMode.probabilityBucket(Double.NEGATIVE_INFINITY));
    }

    @Test
    void entropyBucketsRiseWithTheEntropyInNats() {
        var mode = HeatmapMode.ENTROPY;
        assertEquals(0, mode.bucketOf(token(0.5, 0)));
        assertEquals(0, mode.bucketOf(token(0.5, 0.2)));
        assertEquals(1, mode.bucketOf(token(0.5, 0.25)));
        assertEquals(2, mode.bucketOf(token(0.5, 1.0)));
        assertEquals(3, mode.bucketOf(token(0.5, 2.0)));
        assertEquals(4, mode.bucketOf(token(0.5, 3.0)));
        assertEquals(5, mode.bucketOf(token(0.5, 3.5)));
        assertEquals(5, mode.bucketOf(token(0.5, Math.log(32_000))));
    }

    @Test
    void unknownValuesHaveNoBucketAndTheirOwnStyleClass() {
        var unknown = new Token(3, 7, "y", Float.NaN, -1, Float.NaN, 2, List.of());
        assertEquals(HeatmapMode.UNKNOWN, HeatmapMode.PROBABILITY.bucketOf(unknown));
        assertEquals(HeatmapMode.UNKNOWN, HeatmapMode.ENTROPY.bucketOf(unknown));
        assertEquals("heat-unknown", HeatmapMode.styleClass(HeatmapMode.UNKNOWN));
        assertEquals("heat-3", HeatmapMode.styleClass(3));
    }

    @Test
    void theTwoModesColourTheSameTokenIndependently() {
        var sureButSpread = token(0.95, 3.0);
        assertEquals(0, HeatmapMode.PROBABILITY.bucketOf(sureButSpread));
        assertEquals(4, HeatmapMode.ENTROPY.bucketOf(sureButSpread));
    }

    @Test
    void everyBucketHasALegendLabel() {
        for (var mode : HeatmapMode.values()) assertEquals(HeatmapMode.BUCKETS, mode.bucketLabels().size(), mode.name());
    }
}
