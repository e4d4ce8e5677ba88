package dev.hearth.ui.engine;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;

/// One plain sentence per engine failure, for the place where it happened. The failure's detail goes to the log.
public final class EngineFailures {
    private EngineFailures() {}

    /// Whether the failure means the engine itself is gone (its worker crashed, was killed or broke the protocol),
    /// so the model must be reloaded before it can answer again.
    public static boolean engineStopped(Failure.Kind kind) {
        return switch (kind) {
            case ENGINE_CRASHED, ENGINE_CLOSED, PROTOCOL_ERROR -> true;
            default -> false;
        };
    }

    public static String sentence(Throwable failure) {
        return failure instanceof EngineException e ? sentence(e.kind())
                : "Something went wrong: " + failure.getMessage();
    }

    public static String sentence(Failure.Kind kind) {
        return switch (kind) {
            case MODEL_FILE_MISSING -> "The model file is missing.";
            case NOT_A_MODEL_FILE -> "This file is not a GGUF model.";
            case MODEL_FILE_CORRUPT -> "The model file is damaged or incomplete.";
            case UNSUPPORTED_ARCHITECTURE -> "This model's architecture is not supported by the engine.";
            case NATIVE_LIBRARY_INVALID -> "The native llama.cpp library is not usable.";
            case NATIVE_LIBRARY_MISSING -> "The native llama.cpp library was not found.";
            case NOT_ENOUGH_MEMORY -> "There is not enough memory to load this model with these options.";
            case LOAD_FAILED -> "The engine could not load this model.";
            case LOAD_CANCELLED -> "Loading was cancelled.";
            case NO_MODEL_LOADED -> "No model is loaded.";
            case CONTEXT_FULL -> "The conversation no longer fits the model's context.";
            case INVALID_REQUEST -> "The engine refused the request.";
            case CANCELLED -> "Stopped.";
            case DECODE_FAILED -> "The engine failed while generating.";
            case ENGINE_CLOSED -> "The engine was shut down.";
            case ENGINE_CRASHED -> "The engine stopped unexpectedly.";
            case PROTOCOL_ERROR -> "The engine stopped answering properly.";
        };
    }
}
