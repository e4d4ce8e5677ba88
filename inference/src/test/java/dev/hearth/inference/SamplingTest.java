package dev.hearth.inference;

import dev.hearth.inference.gguf.KvCacheType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplingTest {
    private static String rejection(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void invalidValuesAreRejectedWithAClearMessage() {
        assertEquals("temperature must be >= 0, got -0.5", rejection(() -> Sampling.DEFAULT.withTemperature(-0.5)));
        assertEquals("top-p must be in (0, 1], got 1.5", rejection(() -> Sampling.DEFAULT.withTopP(1.5)));
        assertEquals("top-logprobs must be 0..20, got 21", rejection(() -> Sampling.DEFAULT.withTopLogprobs(21)));
        assertEquals("top-k must be >= 0, got -1", rejection(() -> Sampling.DEFAULT.withTopK(-1)));
        assertEquals("min-p must be in [0, 1], got 2.0", rejection(() -> Sampling.DEFAULT.withMinP(2)));
        assertEquals("max tokens must be >= 1, got 0", rejection(() -> Sampling.DEFAULT.withMaxTokens(0)));
        assertEquals("a stop string must not be empty", rejection(() -> Sampling.DEFAULT.withStop(List.of(""))));
        assertEquals("temperature must be >= 0, got NaN", rejection(() -> Sampling.DEFAULT.withTemperature(Double.NaN)));
    }

    @Test
    void loadOptionsRejectAQuantizedCacheWithoutFlashAttention() {
        assertEquals("a quantized KV cache (Q8_0) needs flash attention",
                rejection(() -> LoadOptions.DEFAULT.withFlashAttention(false, KvCacheType.Q8_0)));
        assertEquals("GPU layers must be 0..999, got -1", rejection(() -> LoadOptions.DEFAULT.withGpuLayers(-1)));
    }

    @Test
    void theDefaultContextIsTheTrainingContextCappedAt8192() {
        assertEquals(8192, LoadOptions.DEFAULT.effectiveContextSize(131072));
        assertEquals(2048, LoadOptions.DEFAULT.effectiveContextSize(2048));
        assertEquals(100, LoadOptions.DEFAULT.withContextSize(100).effectiveContextSize(2048));
    }
}
