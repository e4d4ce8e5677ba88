package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// Throughput of one model (and parameter set) in one time bucket. Percentiles are nearest-rank over the
/// generations of the group that have the figure; a percentile is `NaN` when none has it.
///
/// @param sampling     the parameter set as JSON, or `null` when not grouped by it
/// @param bucketStart  start of the time bucket (the epoch for `ALL`)
/// @param generations  number of generations in the group
public record ThroughputRow(
        String modelName,
        @Nullable String sampling,
        Instant bucketStart,
        int generations,
        double tokensPerSecondMedian,
        double tokensPerSecondP90,
        double promptTokensPerSecondMedian,
        double promptTokensPerSecondP90,
        double ttftMsMedian,
        double ttftMsP90) {}
