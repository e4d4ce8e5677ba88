package dev.hearth.inference;

/// Receives llama.cpp's log lines (which would otherwise go to stderr). Called from llama.cpp's threads.
@FunctionalInterface
public interface EngineLog {
    enum Level { DEBUG, INFO, WARN, ERROR }

    void line(Level level, String text);

    /// Forwards to the `System.Logger` named `dev.hearth.llama.cpp` at DEBUG (silent unless logging is configured).
    EngineLog SYSTEM_LOGGER = (level, text) ->
            System.getLogger("dev.hearth.llama.cpp").log(System.Logger.Level.DEBUG, level + " " + text);
}
