package dev.hearth.inference.llama;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// A loaded `llama_model` and its vocabulary. Owns an arena for its native buffers; [#close()] frees the model
/// and is idempotent; use after close is refused with `ENGINE_CLOSED`.
final class ModelHandle implements AutoCloseable {
    private final LlamaLibrary lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment model;
    private final MemorySegment vocab;
    private boolean closed;

    ModelHandle(LlamaLibrary lib, MemorySegment model) {
        this.lib = lib;
        this.model = model;
        try {
            this.vocab = (MemorySegment) lib.modelGetVocab.invokeExact(model);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    MemorySegment model() {
        check();
        return model;
    }

    MemorySegment vocab() {
        check();
        return vocab;
    }

    Arena arena() {
        check();
        return arena;
    }

    boolean isClosed() {
        return closed;
    }

    private void check() {
        if (closed) throw new EngineException(Failure.Kind.ENGINE_CLOSED, "the model was unloaded");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            lib.modelFree.invokeExact(model);
        } catch (Throwable t) {
            throw Native.failure(t);
        } finally {
            arena.close();
        }
    }
}
