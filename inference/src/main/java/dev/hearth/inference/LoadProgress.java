package dev.hearth.inference;

/// Receives load progress from llama.cpp. Returning false cancels the load.
@FunctionalInterface
public interface LoadProgress {
    LoadProgress NONE = _ -> true;

    /// @param fraction 0..1
    /// @return true to go on, false to cancel
    boolean onProgress(float fraction);
}
