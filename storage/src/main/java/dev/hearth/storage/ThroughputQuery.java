package dev.hearth.storage;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/// What the Metrics view asks: finished generations grouped by model (and, when `bySampling`, by parameter set),
/// in time buckets.
public record ThroughputQuery(
        @Nullable String modelName, @Nullable Instant from, @Nullable Instant to, Bucket bucket, boolean bySampling) {

    /// Width of a time bucket; `ALL` puts everything in one.
    public enum Bucket {
        HOUR(3_600_000L), DAY(86_400_000L), WEEK(604_800_000L), ALL(0L);

        final long millis;

        Bucket(long millis) {
            this.millis = millis;
        }
    }

    public static ThroughputQuery perModel() {
        return new ThroughputQuery(null, null, null, Bucket.ALL, false);
    }
}
