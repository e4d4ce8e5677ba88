package dev.hearth.inference.chat;

import java.time.Duration;

/// Bounds that turn a hostile or broken template into a [TemplateException] instead of a hang or an
/// out-of-memory error.
///
/// @param maxOutputChars longest output, and longest string or list the template may build
/// @param maxLoopIterations most loop iterations (and list items processed by filters) in one rendering
/// @param maxCallDepth deepest nesting of macro calls (recursion)
/// @param timeout longest rendering time, checked as the interpreter runs
public record RenderLimits(int maxOutputChars, long maxLoopIterations, int maxCallDepth, Duration timeout) {
    /// 4 Mi characters, 1 M iterations, 64 nested calls, 2 seconds: far above what a real chat template needs
    /// for a conversation that fits any context window.
    public static final RenderLimits DEFAULT = new RenderLimits(4 * 1024 * 1024, 1_000_000, 64, Duration.ofSeconds(2));

    public RenderLimits {
        if (maxOutputChars <= 0) throw new IllegalArgumentException("maxOutputChars <= 0: " + maxOutputChars);
        if (maxLoopIterations <= 0) throw new IllegalArgumentException("maxLoopIterations <= 0: " + maxLoopIterations);
        if (maxCallDepth <= 0) throw new IllegalArgumentException("maxCallDepth <= 0: " + maxCallDepth);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout <= 0: " + timeout);
    }

    public RenderLimits withTimeout(Duration t) {
        return new RenderLimits(maxOutputChars, maxLoopIterations, maxCallDepth, t);
    }

    public RenderLimits withMaxOutputChars(int n) {
        return new RenderLimits(n, maxLoopIterations, maxCallDepth, timeout);
    }

    public RenderLimits withMaxLoopIterations(long n) {
        return new RenderLimits(maxOutputChars, n, maxCallDepth, timeout);
    }

    public RenderLimits withMaxCallDepth(int n) {
        return new RenderLimits(maxOutputChars, maxLoopIterations, n, timeout);
    }
}
