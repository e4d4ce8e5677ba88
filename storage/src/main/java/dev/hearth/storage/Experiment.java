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

    /// The latest revision (1 for an experiment never edited; 0 when it has no variants).
    public int latestRevision() {
        return variants.stream().mapToInt(Variant::revision).max().orElse(0);
    }

    /// The variants of one revision, in the order they were added.
    public List<Variant> variants(int revision) {
        return variants.stream().filter(v -> v.revision() == revision).toList();
    }

    /// One arm of an experiment; `settings` says what differs; `generationIds` are its runs, oldest first;
    /// `revision` is the edit of the experiment it belongs to (1, 2, …).
    public record Variant(long id, String label, Map<String, Object> settings, List<Long> generationIds, int revision) {
        public Variant {
            settings = Map.copyOf(settings);
            generationIds = List.copyOf(generationIds);
            if (revision < 1) throw new IllegalArgumentException("revision < 1: " + revision);
        }
    }
}
