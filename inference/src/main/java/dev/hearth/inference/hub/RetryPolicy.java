package dev.hearth.inference.hub;

import java.time.Duration;

/// How often and how patiently a failed request is tried again: `attempts` tries in all, waiting `initialDelay`,
/// then twice as long each time, at most `maxDelay`. A download that made progress since the last failure
/// starts counting again (a flaky but working connection is not given up on).
public record RetryPolicy(int attempts, Duration initialDelay, Duration maxDelay) {
    /// Five tries, 1 s, 2 s, 4 s, 8 s apart.
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

    public RetryPolicy {
        if (attempts < 1) throw new IllegalArgumentException("attempts < 1: " + attempts);
        if (initialDelay.isNegative() || maxDelay.isNegative()) throw new IllegalArgumentException("negative delay");
    }

    /// The wait before try number `attempt + 1` (attempt counts from 1).
    public Duration delayAfter(int attempt) {
        var delay = initialDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) delay = delay.multipliedBy(2);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
