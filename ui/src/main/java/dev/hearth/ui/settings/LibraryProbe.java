package dev.hearth.ui.settings;

import dev.hearth.inference.EngineCapabilities;
import java.nio.file.Path;

/// Loads a llama.cpp library file in a short-lived engine and reports what it found (blocking). The app starts an
/// engine worker process for it, so a library that crashes takes only the worker down.
@FunctionalInterface
public interface LibraryProbe {
    EngineCapabilities probe(Path library) throws Exception;
}
