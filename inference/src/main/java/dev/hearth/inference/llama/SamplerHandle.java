package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.Sampling;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import org.jspecify.annotations.Nullable;

/// A llama.cpp sampler chain built from [Sampling], in llama.cpp's common order. Closes idempotently.
final class SamplerHandle implements AutoCloseable {
    private final LlamaLibrary lib;
    private final MemorySegment chain;
    private boolean closed;

    private SamplerHandle(LlamaLibrary lib, MemorySegment chain) {
        this.lib = lib;
        this.chain = chain;
    }

    /// Builds the chain. `grammar` is GBNF text or null; a repeat last-n of -1 means the whole context (`nCtx`).
    static SamplerHandle create(LlamaLibrary lib, MemorySegment vocab, Sampling s, @Nullable String grammar, int nCtx) {
        MemorySegment chain;
        try (var arena = Arena.ofConfined()) {
            var params = (MemorySegment) lib.samplerChainDefaultParams.invokeExact((SegmentAllocator) arena);
            params.set(JAVA_BOOLEAN, 0, true);
            chain = (MemorySegment) lib.samplerChainInit.invokeExact(params);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
        var handle = new SamplerHandle(lib, chain);
        try {
            if (grammar != null) {
                String problem = GbnfCheck.problem(grammar);
                if (problem != null)
                    throw new EngineException(Failure.Kind.INVALID_REQUEST, "the grammar does not parse: " + problem);
                MemorySegment g;
                long errorsBefore = lib.errorCount();
                try (var arena = Arena.ofConfined()) {
                    g = (MemorySegment) lib.samplerInitGrammar.invokeExact(vocab, arena.allocateFrom(grammar),
                            arena.allocateFrom("root"));
                }
                // b4916 returns a sampler that silently does nothing when the grammar does not parse; the parser
                // says so only in the log.
                var errors = lib.errorsSince(errorsBefore);
                if (g.address() == 0 || !errors.isEmpty()) {
                    if (g.address() != 0) lib.samplerFree.invokeExact(g);
                    throw new EngineException(Failure.Kind.INVALID_REQUEST,
                            "the grammar does not parse (GBNF with a 'root' rule expected): " + String.join(" ", errors));
                }
                handle.add(g);
            }
            boolean penalties = s.repeatPenalty() != 1.0 || s.frequencyPenalty() != 0 || s.presencePenalty() != 0;
            if (penalties)
                handle.add((MemorySegment) lib.samplerInitPenalties.invokeExact(s.repeatLastN() < 0 ? nCtx : s.repeatLastN(), (float) s.repeatPenalty(),
                        (float) s.frequencyPenalty(), (float) s.presencePenalty()));
            if (s.greedy()) {
                handle.add((MemorySegment) lib.samplerInitGreedy.invokeExact());
            } else {
                if (s.topK() > 0) handle.add((MemorySegment) lib.samplerInitTopK.invokeExact(s.topK()));
                if (s.typicalP() < 1) handle.add((MemorySegment) lib.samplerInitTypical.invokeExact((float) s.typicalP(), 1L));
                if (s.topP() < 1) handle.add((MemorySegment) lib.samplerInitTopP.invokeExact((float) s.topP(), 1L));
                if (s.minP() > 0) handle.add((MemorySegment) lib.samplerInitMinP.invokeExact((float) s.minP(), 1L));
                handle.add((MemorySegment) lib.samplerInitTemp.invokeExact((float) s.temperature()));
                handle.add((MemorySegment) lib.samplerInitDist.invokeExact((int) s.seed()));
            }
            return handle;
        } catch (EngineException e) {
            handle.close();
            throw e;
        } catch (Throwable t) {
            handle.close();
            throw Native.failure(t);
        }
    }

    private void add(MemorySegment sampler) throws Throwable {
        lib.samplerChainAdd.invokeExact(chain, sampler);
    }

    /// Applies the whole chain to a candidate array (`llama_token_data_array`) and sets its `selected`.
    void apply(MemorySegment candidateArray) {
        check();
        try {
            lib.samplerApply.invokeExact(chain, candidateArray);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    /// Tells the chain (penalties, grammar) which token was chosen.
    void accept(int token) {
        check();
        try {
            lib.samplerAccept.invokeExact(chain, token);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    private void check() {
        if (closed) throw new EngineException(Failure.Kind.ENGINE_CLOSED, "the sampler was freed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            lib.samplerFree.invokeExact(chain);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }
}
