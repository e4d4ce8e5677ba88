package dev.hearth.ui.engine;

import dev.hearth.inference.Engine;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.worker.EngineClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// How much memory an engine holds: a worker's resident set size (Linux `/proc`), otherwise the model's size.
final class ProcessMemory {
    private ProcessMemory() {}

    static long of(Engine engine, ModelSummary summary) {
        if (engine instanceof EngineClient client) {
            long rss = residentBytes(client.pid());
            if (rss > 0) return rss;
        }
        return summary.sizeBytes();
    }

    /// VmRSS of a process in bytes, or 0 when unknown.
    static long residentBytes(long pid) {
        var status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (var line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    var parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
