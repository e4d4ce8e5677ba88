package dev.hearth.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/// Model files the OS asks Hearth to open while it runs or starts: on macOS a double-click arrives as an Apple event,
/// possibly before the window exists. Files that come before the window is ready wait; [#ready] hands them over and
/// sends every later one straight to the window (through the given consumer, which must post to the FX thread).
/// Thread-safe.
final class OpenFileRequests {
    private final List<Path> waiting = new ArrayList<>();
    private @Nullable Consumer<Path> open;

    /// A file to show in the Models section, as `hearth FILE.gguf` does.
    synchronized void request(Path file) {
        var target = open;
        if (target == null) {
            waiting.add(file);
        } else {
            target.accept(file);
        }
    }

    /// The window is up: `open` shows a file from now on; files that waited go to it first, in order.
    synchronized void ready(Consumer<Path> open) {
        this.open = open;
        for (var file : waiting) open.accept(file);
        waiting.clear();
    }
}
