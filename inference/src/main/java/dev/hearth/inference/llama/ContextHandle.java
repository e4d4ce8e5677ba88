package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// A `llama_context` with the native buffers one generation needs (a batch, the candidate array for the
/// sampler chain). Closes idempotently; use after close is refused.
final class ContextHandle implements AutoCloseable {
    private final LlamaLibrary lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctx;
    private final int nCtx;
    private final int batchSize;
    private final MemorySegment batch;
    private final MemorySegment batchTokens;
    final MemorySegment candidates;
    final MemorySegment candidateArray;
    private boolean closed;
    private MemorySegment threadpool = MemorySegment.NULL;
    private MemorySegment batchThreadpool = MemorySegment.NULL;

    ContextHandle(LlamaLibrary lib, MemorySegment ctx, int nVocab, int batchSize) {
        this.lib = lib;
        this.ctx = ctx;
        this.batchSize = batchSize;
        try {
            this.nCtx = (int) lib.nCtx.invokeExact(ctx);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
        this.batch = arena.allocate(LlamaLibrary.BATCH);
        this.batchTokens = arena.allocate(JAVA_INT, batchSize);
        this.candidates = arena.allocate(LlamaLibrary.TOKEN_DATA, nVocab);
        this.candidateArray = arena.allocate(LlamaLibrary.TOKEN_DATA_ARRAY);
    }

    /// Gives the context persistent CPU thread pools. Without them ggml creates and joins a new pool of threads
    /// for every `llama_decode` call (a disposable pool), which costs most on a busy machine.
    void attachThreadpools(int threads, int batchThreads) {
        check();
        if (lib.threadpoolNew == null) return; // the pack's CPU backend offers no thread pool functions
        try {
            threadpool = newThreadpool(threads);
            batchThreadpool = batchThreads == threads ? threadpool : newThreadpool(batchThreads);
            lib.attachThreadpool.invokeExact(ctx, threadpool, batchThreadpool);
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    private MemorySegment newThreadpool(int threads) throws Throwable {
        try (var arena = Arena.ofConfined()) {
            var params = arena.allocate(LlamaLibrary.THREADPOOL_PARAMS_SIZE + 64, 8);
            lib.threadpoolParamsInit.invokeExact(params, threads);
            int n = params.get(JAVA_INT, LlamaLibrary.THREADPOOL_PARAMS_N_THREADS);
            if (n != threads)
                throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID,
                        "ggml_threadpool_params has an unexpected layout (n_threads read as " + n + ")");
            // poll 0: between decodes the threads sleep instead of spinning, so on a busy machine they do not take
            // CPU from the sampling thread or other processes (-Dhearth.threadpoolPoll=50 is llama-bench's default).
            params.set(JAVA_INT, LlamaLibrary.THREADPOOL_PARAMS_POLL, Integer.getInteger("hearth.threadpoolPoll", 0));
            var pool = (MemorySegment) java.util.Objects.requireNonNull(lib.threadpoolNew).invokeExact(params);
            if (pool.address() == 0)
                throw new EngineException(Failure.Kind.NOT_ENOUGH_MEMORY, "ggml could not start " + threads + " threads");
            return pool;
        }
    }

    MemorySegment ctx() {
        check();
        return ctx;
    }

    int nCtx() {
        return nCtx;
    }

    int batchSize() {
        return batchSize;
    }

    /// Decodes `count` tokens from `tokens[from…]` as one batch (positions follow the KV cache, logits for the
    /// last token only, as `llama_batch_get_one`). Returns llama_decode's result: 0 ok, 1 no KV slot, <0 error.
    int decode(int[] tokens, int from, int count) {
        check();
        if (count < 1 || count > batchSize) throw new IllegalArgumentException("batch of " + count);
        MemorySegment.copy(tokens, from, batchTokens, JAVA_INT, 0, count);
        if (count > 1) batchDecoded = true;
        else singleDecoded = true;
        batch.set(JAVA_INT, 0, count);
        batch.set(ADDRESS, 8, batchTokens);
        for (long off = 16; off <= 48; off += 8) batch.set(ADDRESS, off, MemorySegment.NULL);
        try {
            return (int) lib.decode.invokeExact(ctx, batch);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    /// The logits of the last decoded token, `nVocab` floats in native memory (valid until the next decode).
    MemorySegment lastLogits(int nVocab) {
        check();
        try {
            var p = (MemorySegment) lib.getLogitsIth.invokeExact(ctx, -1);
            if (p.address() == 0) throw new EngineException(Failure.Kind.DECODE_FAILED, "llama.cpp returned no logits");
            return p.reinterpret(4L * nVocab);
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    /// Removes the KV cache's cells from position `pos` on (every sequence); false when llama.cpp cannot
    /// remove part of a sequence (the caller then clears the whole cache).
    boolean removeFrom(int pos) {
        check();
        try {
            return lib.removeFromMemory(ctx, -1, pos, -1);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    private boolean batchDecoded, singleDecoded;

    /// llama.cpp's own counters of this context (`llama_perf_context`). llama.cpp reports a count of 0 as 1, so a
    /// count nothing was decoded for yet is reported as 0 here.
    dev.hearth.inference.EvalCounters evalCounters() {
        check();
        try (var arena = Arena.ofConfined()) {
            var data = (MemorySegment) lib.perfContext.invokeExact((java.lang.foreign.SegmentAllocator) arena, ctx);
            return new dev.hearth.inference.EvalCounters(batchDecoded ? data.get(JAVA_INT, 32) : 0,
                    singleDecoded ? data.get(JAVA_INT, 36) : 0,
                    data.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 16), data.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 24));
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    /// Sets (or, with [MemorySegment#NULL], removes) the callback ggml asks between the nodes of a graph whether to
    /// stop; a `llama_decode` it stops returns 2.
    void setAbortCallback(MemorySegment callback) {
        check();
        try {
            lib.setAbortCallback.invokeExact(ctx, callback, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    /// A copy of sequence 0's KV cells (`llama_state_seq_get_data`), in memory the garbage collector frees.
    MemorySegment saveSequence() {
        check();
        try {
            long size = (long) lib.stateSeqGetSize.invokeExact(ctx, 0);
            if (size <= 0) throw new EngineException(Failure.Kind.DECODE_FAILED, "llama.cpp reports no sequence state");
            var data = Arena.ofAuto().allocate(size, 8);
            long written = (long) lib.stateSeqGetData.invokeExact(ctx, data, size, 0);
            if (written <= 0 || written > size)
                throw new EngineException(Failure.Kind.DECODE_FAILED, "llama.cpp wrote " + written
                        + " bytes of sequence state into " + size);
            return data.asSlice(0, written);
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    /// Empties the KV cache and puts a copy made by [#saveSequence] back as sequence 0; false when llama.cpp
    /// refuses it (the cache is then empty).
    boolean restoreSequence(MemorySegment state) {
        check();
        try {
            lib.clearMemory(ctx);
            long read = (long) lib.stateSeqSetData.invokeExact(ctx, state, state.byteSize(), 0);
            if (read == state.byteSize()) return true;
            lib.clearMemory(ctx);
            return false;
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    /// Waits for the last decode and books its tokens in llama.cpp's counters (b4916 counts a decode's tokens in
    /// `llama_synchronize`, which reading logits calls; a decode whose logits are never read, as the last one before a
    /// cancel, would otherwise be counted with the next batch).
    void synchronize() {
        check();
        try {
            lib.synchronize.invokeExact(ctx);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    void clearCache() {
        check();
        try {
            lib.clearMemory(ctx);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    private void check() {
        if (closed) throw new EngineException(Failure.Kind.ENGINE_CLOSED, "the context was freed");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            lib.free.invokeExact(ctx);
            var poolFree = lib.threadpoolFree;
            if (poolFree != null && batchThreadpool.address() != 0 && !batchThreadpool.equals(threadpool))
                poolFree.invokeExact(batchThreadpool);
            if (poolFree != null && threadpool.address() != 0) poolFree.invokeExact(threadpool);
        } catch (Throwable t) {
            throw Native.failure(t);
        } finally {
            arena.close();
        }
    }
}
