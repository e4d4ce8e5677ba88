package dev.hearth.inference.llama;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;

/// Turns a `Throwable` from a downcall into the engine's exception.
final class Native {
    private Native() {}

    static EngineException failure(Throwable t) {
        if (t instanceof EngineException e) return e;
        if (t instanceof Error e && !(t instanceof AssertionError)) throw e;
        return new EngineException(Failure.Kind.ENGINE_CRASHED, "native call failed: " + t, t);
    }
}
