package dev.hearth.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// A side-by-side comparison: variants (different models or settings) and the generations each produced.
public record Experiment(long id, String name, @Nullable Long sessionId, Instant createdAt, List<Variant> variants) {
    public Experiment {
        variants = List.copyOf(variants);
    }

    /// One arm of an experiment; `settings` says what differs; `generationIds` are its runs, oldest first.
    public record Variant(long id, String label, Map<String, Object> settings, List<Long> generationIds) {
        public Variant {
            settings = Map.copyOf(settings);
            generationIds = List.copyOf(generationIds);
        }
    }
}
