package dev.hearth.ui.engine;

import dev.hearth.inference.LoadOptions;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/// What the user asked to load: a GGUF file, the engine's load options and the engine to run it on. The load dialog
/// (Models section or chat) produces it; the chat's engine manager carries it out. Requests with different engines
/// never share a worker process.
///
/// @param engine the engine's name (`hearth engines list`), or `null` for the app's default library
public record LoadRequest(Path model, LoadOptions options, @Nullable String engine) {
    /// A load on the app's default library.
    public LoadRequest(Path model, LoadOptions options) {
        this(model, options, null);
    }

    /// The same load with other options (the engine stays).
    public LoadRequest withOptions(LoadOptions other) {
        return new LoadRequest(model, other, engine);
    }

    /// How the run record names the engine: `worker:NAME`, or `worker` without a named engine.
    public String engineLabel() {
        return engine == null ? "worker" : "worker:" + engine;
    }
}
