package dev.hearth.inference.chat;

import java.time.Clock;

/// How a template is rendered: the clock `strftime_now` reads, and the [RenderLimits].
public record RenderOptions(Clock clock, RenderLimits limits) {
    /// The system clock in the local time zone (as `transformers` uses `datetime.now()`), default limits.
    public static RenderOptions defaults() {
        return new RenderOptions(Clock.systemDefaultZone(), RenderLimits.DEFAULT);
    }

    public RenderOptions withClock(Clock c) {
        return new RenderOptions(c, limits);
    }

    public RenderOptions withLimits(RenderLimits l) {
        return new RenderOptions(clock, l);
    }
}
