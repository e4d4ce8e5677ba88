package dev.hearth.ui.engine;

import dev.hearth.inference.Engine;
import org.jspecify.annotations.Nullable;

/// Starts a new engine (in the app: a worker process) on a named engine, or on the app's default library when the
/// name is `null`. Blocking; called off the UI thread.
@FunctionalInterface
public interface EngineStarter {
    Engine start(@Nullable String engineName);

    /// Starts the engine a load request names.
    default Engine start(LoadRequest request) {
        return start(request.engine());
    }
}
