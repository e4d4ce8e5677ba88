package dev.hearth.app.cli;

import dev.hearth.inference.EngineLog;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/// llama.cpp's log for CLI commands: appended to `logs/engine.log`. If the file cannot be written, lines are dropped
/// (the engine still keeps its last lines for failure messages).
final class EngineLogFile {
    private static final java.util.Map<Path, EngineLog> OPEN = new java.util.concurrent.ConcurrentHashMap<>();

    private EngineLogFile() {}

    /// One writer per folder and process.
    static EngineLog open(Path logs) {
        return OPEN.computeIfAbsent(logs.toAbsolutePath().normalize(), EngineLogFile::create);
    }

    private static EngineLog create(Path logs) {
        Writer writer;
        try {
            Files.createDirectories(logs);
            writer = Files.newBufferedWriter(logs.resolve("engine.log"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            return (_, _) -> {};
        }
        var out = writer;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to do at exit
            }
        }));
        return (level, text) -> {
            try {
                synchronized (out) {
                    out.write(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " " + text + "\n");
                    if (level == EngineLog.Level.ERROR) out.flush();
                }
            } catch (IOException ignored) {
                // a full disk must not stop generation
            }
        };
    }
}
