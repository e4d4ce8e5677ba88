package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hearth.inference.Device;
import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.EvalCounters;
import dev.hearth.inference.Failure;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.SpecialTokens;
import dev.hearth.inference.StopReason;
import dev.hearth.inference.TokenPiece;
import dev.hearth.inference.TopToken;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/// The in-process [Engine]: llama.cpp's C API through `java.lang.foreign`.
///
/// Generation runs llama.cpp's own sampler chain over a candidate array this class fills from the logits (exactly
/// what `llama_sampler_sample` does), which also yields the post-sampler probability; the token statistics come
/// from one extra pass over the logits ([TokenStatistics]).
public final class LlamaEngine implements Engine {
    private final LlamaLibrary lib;
    private @Nullable ModelHandle model;
    private @Nullable ContextHandle context;
    private @Nullable ModelSummary summary;
    private int nVocab;
    private byte[] @Nullable [] pieces;
    private boolean[] endOfGeneration = new boolean[0];
    private final TokenStatistics statistics = new TokenStatistics();
    private volatile boolean cancelRequested;
    /// Time spent inside llama_decode for generated tokens (for benchmarks).
    long decodeNanos;
    private volatile boolean closed;
    private @Nullable LogitsObserver logitsObserver;

    /// Test seam: sees a copy of the raw logits of every generated position.
    interface LogitsObserver {
        void onLogits(int index, float[] logits);
    }

    /// ggml's abort callback (`bool (*)(void *)`), set only while a prompt is evaluated: a cancel then stops a long
    /// prompt inside `llama_decode`, between two graph nodes, instead of after it. During generation the loop
    /// checks the flag between tokens, so no upcall per graph node costs anything there.
    private final MemorySegment abortCallback;
    /// Test seam: runs on every call of the abort callback (on llama.cpp's compute thread).
    private volatile @Nullable Runnable abortProbe;

    private LlamaEngine(LlamaLibrary lib) {
        this.lib = lib;
        try {
            var handle = MethodHandles.lookup().findVirtual(LlamaEngine.class, "abortRequested",
                    MethodType.methodType(boolean.class, MemorySegment.class)).bindTo(this);
            abortCallback = lib.linker().upcallStub(handle, FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused") // called from native code
    private boolean abortRequested(MemorySegment userData) {
        var probe = abortProbe;
        if (probe != null) {
            try {
                probe.run();
            } catch (Throwable _) {
                // an exception must never cross into native code
            }
        }
        return cancelRequested;
    }

    void setAbortProbe(@Nullable Runnable probe) {
        this.abortProbe = probe;
    }

    /// Loads the native library (once per process) and returns a new engine with no model.
    public static LlamaEngine open(NativeLibrary library) {
        return new LlamaEngine(LlamaLibrary.load(library));
    }

    /// The native library this engine uses.
    public LlamaLibrary library() {
        return lib;
    }

    void setLogitsObserver(@Nullable LogitsObserver observer) {
        this.logitsObserver = observer;
    }

    // ---------------------------------------------------------------- capabilities

    @Override
    public EngineCapabilities capabilities() {
        try (var arena = Arena.ofConfined()) {
            var devices = new ArrayList<Device>();
            long count = (long) lib.devCount.invokeExact();
            var free = arena.allocate(JAVA_LONG);
            var total = arena.allocate(JAVA_LONG);
            for (long i = 0; i < count; i++) {
                var dev = (MemorySegment) lib.devGet.invokeExact(i);
                String name = LlamaLibrary.cString((MemorySegment) lib.devName.invokeExact(dev));
                String description = LlamaLibrary.cString((MemorySegment) lib.devDescription.invokeExact(dev));
                int type = (int) lib.devType.invokeExact(dev);
                free.set(JAVA_LONG, 0, 0);
                total.set(JAVA_LONG, 0, 0);
                lib.devMemory.invokeExact(dev, free, total);
                var kind = switch (type) {
                    case 0 -> Device.Kind.CPU;
                    case 1 -> Device.Kind.GPU;
                    default -> Device.Kind.ACCELERATOR;
                };
                devices.add(new Device(name, description, kind, free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)));
            }
            return new EngineCapabilities(lib.build(), lib.path().toString(), devices,
                    (boolean) lib.supportsGpuOffload.invokeExact(), (boolean) lib.supportsMmap.invokeExact(),
                    (boolean) lib.supportsMlock.invokeExact(), lib.generationName());
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    // ---------------------------------------------------------------- load / unload

    @Override
    public synchronized ModelSummary load(Path file, LoadOptions options, LoadProgress progress) {
        checkOpen();
        unload();
        var check = ModelFileCheck.check(file, lib.generation);
        cancelRequested = false;
        var path = file.toAbsolutePath().normalize();
        MemorySegment m;
        var listener = new ProgressListener(progress);
        try (var arena = Arena.ofConfined()) {
            var params = (MemorySegment) lib.modelDefaultParams.invokeExact((SegmentAllocator) arena);
            var callback = MethodHandles.lookup().findVirtual(ProgressListener.class, "call",
                    MethodType.methodType(boolean.class, float.class, MemorySegment.class)).bindTo(listener);
            var stub = lib.linker().upcallStub(callback,
                    FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_FLOAT, ADDRESS), arena);
            lib.generation.setModel(params, options.gpuLayers(), options.mainGpu(), options.mmap(), options.mlock(), stub);
            m = (MemorySegment) lib.modelLoadFromFile.invokeExact(arena.allocateFrom(path.toString()), params);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
        if (m.address() != 0 && listener.cancelled) {
            // the last progress call's answer is not always heeded: a cancelled load never leaves a model behind
            try {
                lib.modelFree.invokeExact(m);
            } catch (Throwable t) {
                throw Native.failure(t);
            }
            m = MemorySegment.NULL;
        }
        if (m.address() == 0) {
            if (listener.cancelled)
                throw new EngineException(Failure.Kind.LOAD_CANCELLED, "loading " + path.getFileName() + " was cancelled");
            var log = lib.recentLogLine(3);
            if (log.contains("unknown model architecture"))
                throw new EngineException(Failure.Kind.UNSUPPORTED_ARCHITECTURE, "this engine's llama.cpp ("
                        + lib.build() + ") does not know architecture '" + check.architecture() + "': " + log);
            throw new EngineException(Failure.Kind.LOAD_FAILED, "llama.cpp could not load " + path + ": " + log);
        }
        var handle = new ModelHandle(lib, m);
        try {
            requireKvCacheFits(m, check.architecture(), options.kvCacheType());
            int trainCtx = (int) lib.modelNCtxTrain.invokeExact(m);
            int nCtx = options.effectiveContextSize(trainCtx);
            int batch = Math.min(options.batchSize(), nCtx);
            int ubatch = Math.min(options.microBatchSize(), batch);
            MemorySegment c;
            try (var arena = Arena.ofConfined()) {
                var cp = (MemorySegment) lib.contextDefaultParams.invokeExact((SegmentAllocator) arena);
                lib.generation.setContext(cp, nCtx, batch, ubatch, options.effectiveThreads(),
                        options.effectiveBatchThreads(), options.kvCacheType().ggmlType(), options.flashAttention());
                c = (MemorySegment) lib.initFromModel.invokeExact(m, cp);
            }
            if (c.address() == 0)
                throw new EngineException(Failure.Kind.NOT_ENOUGH_MEMORY, "llama.cpp could not create a context of "
                        + nCtx + " tokens for " + path.getFileName() + ": " + lib.recentLogLine(3));
            var vocab = handle.vocab();
            nVocab = (int) lib.vocabNTokens.invokeExact(vocab);
            var ctxHandle = new ContextHandle(lib, c, nVocab, batch);
            if (!Boolean.getBoolean("hearth.disposableThreadpools"))
                ctxHandle.attachThreadpools(options.effectiveThreads(), options.effectiveBatchThreads());
            endOfGeneration = new boolean[nVocab];
            for (int t = 0; t < nVocab; t++) endOfGeneration[t] = (boolean) lib.vocabIsEog.invokeExact(vocab, t);
            pieces = new byte[nVocab][];
            cached = new int[Math.min(ctxHandle.nCtx(), 4096)];
            cachedCount = 0;
            summary = new ModelSummary(path, check.architecture(), describe(m), (long) lib.modelNParams.invokeExact(m),
                    (long) lib.modelSize.invokeExact(m), (int) lib.modelNLayer.invokeExact(m),
                    (int) lib.modelNEmbd.invokeExact(m), nVocab, trainCtx, ctxHandle.nCtx(),
                    meta(m, "tokenizer.chat_template"));
            model = handle;
            context = ctxHandle;
            return summary;
        } catch (Throwable t) {
            handle.close();
            throw Native.failure(t);
        }
    }

    /// llama.cpp b4916 aborts the process (`GGML_ASSERT(n_embd_head_k % ggml_blck_size(type_k) == 0)`) when a
    /// quantized KV cache's blocks do not divide the attention heads; refuse that first.
    private void requireKvCacheFits(MemorySegment m, String architecture, dev.hearth.inference.gguf.KvCacheType kv) throws Throwable {
        int block = kv.blockElements();
        if (block == 1) return;
        int heads = (int) lib.modelNHead.invokeExact(m);
        int embd = (int) lib.modelNEmbd.invokeExact(m);
        int fallback = heads > 0 ? embd / heads : 0;
        for (var key : List.of("key_length", "value_length")) {
            int size = intMeta(m, architecture + ".attention." + key, fallback);
            if (size <= 0 || size % block != 0)
                throw new EngineException(Failure.Kind.INVALID_REQUEST, "a " + kv.name().toLowerCase(java.util.Locale.ROOT)
                        + " KV cache needs attention heads whose size is a multiple of " + block + "; this model's are "
                        + size + " (use an f16 KV cache)");
        }
    }

    private int intMeta(MemorySegment m, String key, int fallback) throws Throwable {
        var value = meta(m, key);
        if (value == null) return fallback;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private final class ProgressListener {
        private final LoadProgress progress;
        volatile boolean cancelled;

        ProgressListener(LoadProgress progress) {
            this.progress = progress;
        }

        @SuppressWarnings("unused") // called from native code
        boolean call(float fraction, MemorySegment userData) {
            try {
                if (cancelRequested || !progress.onProgress(fraction)) cancelled = true;
            } catch (Throwable t) {
                cancelled = true; // an exception must never cross into native code
            }
            return !cancelled;
        }
    }

    private String describe(MemorySegment m) throws Throwable {
        try (var arena = Arena.ofConfined()) {
            var buf = arena.allocate(256);
            int n = (int) lib.modelDesc.invokeExact(m, buf, 256L);
            return n > 0 ? buf.getString(0) : "";
        }
    }

    private @Nullable String meta(MemorySegment m, String key) throws Throwable {
        try (var arena = Arena.ofConfined()) {
            var k = arena.allocateFrom(key);
            long size = 4096;
            while (true) {
                var buf = arena.allocate(size);
                int n = (int) lib.modelMetaValStr.invokeExact(m, k, buf, size);
                if (n < 0) return null;
                if (n < size) return buf.getString(0);
                size = n + 1L;
            }
        }
    }

    @Override
    public synchronized void unload() {
        var c = context;
        var m = model;
        context = null;
        model = null;
        summary = null;
        cachedCount = 0;
        spliceText = null;
        parked.clear();
        activeConversation = "";
        pieces = null;
        if (c != null) c.close();
        if (m != null) m.close();
    }

    @Override
    public synchronized boolean isLoaded() {
        return model != null;
    }

    /// The loaded model's summary.
    public synchronized ModelSummary summary() {
        requireLoaded();
        return java.util.Objects.requireNonNull(summary);
    }

    // ---------------------------------------------------------------- generation

    @Override
    public void cancel() {
        cancelRequested = true;
    }

    @Override
    public synchronized GenerationStats generate(GenerationRequest request, Consumer<? super GenerationEvent> events) {
        return generateIds(null, request, events);
    }

    @Override
    public synchronized GenerationStats generateTokens(String conversation, List<Integer> tokens, Sampling sampling,
            boolean tokenStats, Consumer<? super GenerationEvent> events) {
        requireLoaded();
        if (tokens.isEmpty()) throw new EngineException(Failure.Kind.INVALID_REQUEST, "no tokens to continue");
        var ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            int id = tokens.get(i);
            if (id < 0 || id >= nVocab)
                throw new EngineException(Failure.Kind.INVALID_REQUEST, "token id " + id + " is outside 0.." + (nVocab - 1));
            ids[i] = id;
        }
        return generateIds(ids, new GenerationRequest("", sampling, tokenStats, false, false, conversation), events);
    }

    @Override
    public synchronized EvalCounters evalCounters() {
        requireLoaded();
        return java.util.Objects.requireNonNull(context).evalCounters();
    }

    /// At most this many other conversations keep their KV cells parked (the least recently used is dropped and
    /// re-evaluated when it comes back).
    static final int PARKED_CONVERSATIONS = 8;
    /// And at most this many bytes of parked KV cells in all (a 4,096-token conversation of a 7B model is about
    /// 2 GiB in f16); `-Dhearth.parkedConversationBytes` changes it.
    static final long PARKED_BYTES = Long.getLong("hearth.parkedConversationBytes", 1L << 30);

    /// The conversation whose tokens the KV cache (sequence 0) holds now.
    private String activeConversation = "";

    /// Another conversation's KV cells (a `llama_state_seq_get_data` copy) and what they stand for.
    private record Parked(@Nullable MemorySegment state, int[] cached, @Nullable String spliceText, int[] spliceIds) {}

    private final java.util.LinkedHashMap<String, Parked> parked = new java.util.LinkedHashMap<>(16, 0.75f, true);

    /// Time the last conversation switch took (saving the active one's cells and restoring the other's), for
    /// benchmarks.
    long lastSwitchNanos;

    /// Makes `conversation` the active one: parks the active conversation's KV cells and token ids, and restores
    /// the ones `conversation` had (or starts it on an empty cache).
    private void switchTo(ContextHandle ctx, String conversation) {
        if (conversation.equals(activeConversation)) return;
        long t0 = System.nanoTime();
        var back = parked.remove(conversation);
        var state = cachedCount > 0 ? ctx.saveSequence() : null;
        parked.put(activeConversation, new Parked(state, Arrays.copyOf(cached, state != null ? cachedCount : 0),
                spliceText, spliceIds));
        long bytes = 0;
        for (var p : parked.values()) bytes += p.state() != null ? p.state().byteSize() : 0;
        while (parked.size() > PARKED_CONVERSATIONS || bytes > PARKED_BYTES) {
            var dropped = parked.pollFirstEntry().getValue();
            bytes -= dropped.state() != null ? dropped.state().byteSize() : 0;
        }
        activeConversation = conversation;
        cachedCount = 0;
        spliceText = null;
        spliceIds = new int[0];
        if (back == null || back.state() == null || !ctx.restoreSequence(back.state())) {
            ctx.clearCache();
        } else {
            if (back.cached().length > cached.length) cached = Arrays.copyOf(cached, back.cached().length);
            System.arraycopy(back.cached(), 0, cached, 0, back.cached().length);
            cachedCount = back.cached().length;
        }
        if (back != null) {
            spliceText = back.spliceText();
            spliceIds = back.spliceIds();
        }
        lastSwitchNanos = System.nanoTime() - t0;
    }

    /// The KV cache holds `cached[0..cachedCount)` at positions 0…: a new prompt reuses its common prefix with
    /// them, and only the tokens after it are evaluated.
    private int[] cached = new int[0];
    private int cachedCount;

    /// Drops what the KV cache holds after the common prefix of `prompt` and the cached tokens (leaving at least
    /// the prompt's last token to evaluate, for fresh logits); returns the prefix length.
    private int reusePrefix(ContextHandle ctx, int[] prompt) {
        int limit = Math.min(cachedCount, prompt.length - 1);
        int common = 0;
        while (common < limit && cached[common] == prompt[common]) common++;
        if (common == 0 || !ctx.removeFrom(common)) {
            ctx.clearCache();
            common = 0;
        }
        cachedCount = common;
        return common;
    }

    private void remember(int[] tokens, int from, int count) {
        if (cachedCount + count > cached.length) cached = Arrays.copyOf(cached, Math.max(cachedCount + count, 2 * cached.length));
        System.arraycopy(tokens, from, cached, cachedCount, count);
        cachedCount += count;
    }

    /// The text the last generation's tokens stand for (its prompt, plus its answer when the answer's tokens render
    /// exactly as the text it streamed) and those tokens, or null. A next prompt that starts with this text reuses
    /// these ids rather than tokenizing the text again: an answer does not always tokenize back to the tokens the
    /// model produced, and then the KV cache would be re-evaluated from the answer's start.
    private @Nullable String spliceText;
    private int[] spliceIds = new int[0];

    /// The prompt's token ids: the last generation's ids and the rest of the text tokenized on its own when the
    /// prompt continues that generation's text and the rest starts with a special token (as a chat template's
    /// end-of-turn does), so the rest tokenizes as it would in the whole text; otherwise the whole text tokenized.
    private int[] promptIds(String text) {
        var known = spliceText;
        if (known != null && text.length() > known.length() && text.startsWith(known)) {
            var rest = text.substring(known.length());
            int[] restIds = tokenIds(rest, false, true);
            if (restIds.length > 0 && startsWithSpecialToken(rest, restIds[0])) {
                int[] all = Arrays.copyOf(spliceIds, spliceIds.length + restIds.length);
                System.arraycopy(restIds, 0, all, spliceIds.length, restIds.length);
                return all;
            }
        }
        return tokenIds(text, true, true);
    }

    private boolean startsWithSpecialToken(String text, int id) {
        if (piece(id).length != 0) return false; // renders as text: not a special token
        return text.startsWith(new String(tokenBytes(id, true), StandardCharsets.UTF_8));
    }

    private int streamedChars;

    /// How many of the first generated tokens stand exactly for the start of the streamed text (an answer cut by
    /// a stop string or a cancel held back part of its last tokens' text); sets [#streamedChars] to their length.
    /// Their bytes are decoded as [TextStream] decodes them (a byte that is not valid UTF-8 alone becomes U+FFFD).
    private int streamedWhole(int[] out, int generated, StringBuilder emitted) {
        var bytes = new java.io.ByteArrayOutputStream();
        String streamed = emitted.toString();
        int kept = 0;
        streamedChars = 0;
        for (int n = 1; n <= generated; n++) {
            bytes.writeBytes(piece(out[n - 1]));
            byte[] b = bytes.toByteArray();
            if (TextStream.completePrefix(b) != b.length) continue; // ends inside a character
            var text = new String(b, StandardCharsets.UTF_8);
            if (!streamed.startsWith(text)) break;
            kept = n;
            streamedChars = text.length();
        }
        return kept;
    }

    /// `count` is the number of generated tokens whose text was streamed whole (0 when the answer ended with text
    /// held back: a stop string, a cancel, a full context); the answer then stands for those tokens even where
    /// their bytes are not valid UTF-8 and streamed as replacement characters.
    private void rememberText(@Nullable String promptText, int[] prompt, int[] generated, int count,
            CharSequence emitted) {
        spliceText = null;
        if (promptText == null) return;
        int n = count;
        while (n > 0 && endOfGeneration[generated[n - 1]]) n--; // a template writes the end of a turn itself
        spliceIds = Arrays.copyOf(prompt, prompt.length + n);
        System.arraycopy(generated, 0, spliceIds, prompt.length, n);
        spliceText = count > 0 ? promptText + emitted : promptText;
    }

    private GenerationStats generateIds(int @Nullable [] ids, GenerationRequest request,
            Consumer<? super GenerationEvent> events) {
        requireLoaded();
        var ctx = java.util.Objects.requireNonNull(context);
        var m = java.util.Objects.requireNonNull(model);
        cancelRequested = false;
        long start = System.nanoTime();
        switchTo(ctx, request.conversation());
        Sampling s = request.sampling();
        @Nullable String grammar = s.grammar();
        if (s.jsonSchema() != null) grammar = JsonSchemaGrammar.convert(s.jsonSchema(), lib.path());

        int[] prompt = ids != null ? ids : promptIds(request.prompt());
        if (prompt.length == 0) throw new EngineException(Failure.Kind.INVALID_REQUEST, "the prompt is empty");
        int nCtx = ctx.nCtx();
        int dropped = 0;
        if (prompt.length >= nCtx) {
            if (!request.truncateLeft())
                throw new EngineException(Failure.Kind.CONTEXT_FULL, "the prompt has " + prompt.length
                        + " tokens but the context holds " + nCtx + " (load with a larger context, or truncate)");
            int keep = nCtx - Math.max(1, Math.min(s.maxTokens(), nCtx / 2));
            dropped = prompt.length - keep;
            prompt = Arrays.copyOfRange(prompt, dropped, prompt.length);
        }

        if (request.freshCache()) cachedCount = 0;
        int reused = reusePrefix(ctx, prompt);
        try (var sampler = SamplerHandle.create(lib, m.vocab(), s, grammar, nCtx)) {
            // ---- prompt (after the prefix the KV cache already holds); a cancel stops it inside llama_decode
            if (reused < prompt.length) ctx.setAbortCallback(abortCallback);
            try {
                for (int at = reused; at < prompt.length; at += ctx.batchSize()) {
                    if (cancelRequested) return finish(events, prompt.length, dropped, 0, 0, 0, 0, StopReason.CANCELLED);
                    int n = Math.min(ctx.batchSize(), prompt.length - at);
                    int rc = ctx.decode(prompt, at, n);
                    if (rc == 0) {
                        remember(prompt, at, n);
                        continue;
                    }
                    // What an interrupted batch left in the KV cache is not known: start from an empty one next time.
                    cachedCount = 0;
                    ctx.clearCache();
                    if (rc == 2 && cancelRequested)
                        return finish(events, prompt.length, dropped, ms(System.nanoTime() - start), 0, 0, 0,
                                StopReason.CANCELLED);
                    throw new EngineException(Failure.Kind.DECODE_FAILED,
                            "llama_decode failed on the prompt (" + rc + "): " + lib.recentLogLine(2));
                }
            } finally {
                ctx.setAbortCallback(MemorySegment.NULL);
            }
            long promptDone = System.nanoTime();
            double promptMs = ms(promptDone - start);
            var stream = new TextStream(s.stop());
            int nPast = prompt.length;
            int k = request.tokenStats() ? s.topLogprobs() : 0;
            int generated = 0;
            int[] out = new int[Math.min(s.maxTokens(), 4096)];
            var emitted = new StringBuilder();
            long firstToken = 0, last = promptDone;
            int[] one = new int[1];
            StopReason reason;
            while (true) {
                if (cancelRequested) {
                    reason = StopReason.CANCELLED;
                    break;
                }
                var logits = ctx.lastLogits(nVocab);
                var observer = logitsObserver;
                if (observer != null) observer.onLogits(generated, logits.toArray(JAVA_FLOAT));
                float max = fillCandidates(logits, ctx.candidates);
                var array = ctx.candidateArray;
                array.set(ADDRESS, 0, ctx.candidates);
                array.set(JAVA_LONG, 8, nVocab);
                array.set(JAVA_LONG, 16, -1L);
                array.set(JAVA_BOOLEAN, 24, false);
                sampler.apply(array);
                long selected = array.get(JAVA_LONG, 16);
                if (selected < 0 || selected >= array.get(JAVA_LONG, 8))
                    throw new EngineException(Failure.Kind.DECODE_FAILED, "the sampler chain selected no token");
                int token = ctx.candidates.get(JAVA_INT, selected * 12);
                double post = s.greedy() ? 1.0 : ctx.candidates.get(JAVA_FLOAT, selected * 12 + 8);
                sampler.accept(token);

                double logprob = Double.NaN, entropy = Double.NaN;
                int rank = 0;
                List<TopToken> top = List.of();
                if (request.tokenStats()) {
                    statistics.compute(logits, nVocab, max, token, k);
                    logprob = statistics.logprob(logits.getAtIndex(JAVA_FLOAT, token), max);
                    entropy = statistics.entropy;
                    rank = statistics.rank;
                    if (k > 0) top = topTokens(max);
                }
                boolean eog = endOfGeneration[token];
                String text = eog ? "" : stream.add(piece(token));
                boolean lastPossible = eog || generated + 1 >= s.maxTokens();
                if (lastPossible && !stream.stopped()) text += stream.flush();
                long now = System.nanoTime();
                if (generated == 0) firstToken = now;
                if (generated == out.length) out = Arrays.copyOf(out, 2 * out.length);
                out[generated] = token;
                emitted.append(text);
                events.accept(new GenerationEvent.Token(generated, token, text, logprob, rank, entropy, top, post,
                        ms(now - last)));
                last = now;
                generated++;
                if (stream.stopped()) {
                    reason = StopReason.STOP;
                    break;
                }
                if (eog) {
                    reason = StopReason.EOS;
                    break;
                }
                if (generated >= s.maxTokens()) {
                    reason = StopReason.LENGTH;
                    break;
                }
                if (nPast >= nCtx) {
                    reason = StopReason.CONTEXT;
                    break;
                }
                one[0] = token;
                long d0 = System.nanoTime();
                int rc = ctx.decode(one, 0, 1);
                decodeNanos += System.nanoTime() - d0;
                if (rc == 0) remember(one, 0, 1);
                else cachedCount = 0;
                if (rc == 1) {
                    reason = StopReason.CONTEXT;
                    break;
                }
                if (rc != 0) {
                    reason = StopReason.ERROR;
                    break;
                }
                nPast++;
            }
            if (reason == StopReason.CANCELLED) ctx.synchronize();
            double genMs = generated > 0 ? ms(last - firstToken) : 0;
            double ttft = generated > 0 ? ms(firstToken - start) : 0;
            boolean whole = reason == StopReason.EOS || reason == StopReason.LENGTH;
            int kept = whole ? generated : streamedWhole(out, generated, emitted);
            rememberText(ids == null && dropped == 0 && reason != StopReason.ERROR ? request.prompt() : null, prompt,
                    out, kept, whole ? emitted : emitted.substring(0, streamedChars));
            return finish(events, prompt.length, dropped, promptMs, generated, genMs, ttft, reason);
        }
    }

    private static GenerationStats finish(Consumer<? super GenerationEvent> events, int promptTokens, int dropped,
            double promptMs, int generated, double genMs, double ttft, StopReason reason) {
        var stats = new GenerationStats(promptTokens, dropped, promptMs, generated, genMs, ttft, reason);
        events.accept(new GenerationEvent.Finished(reason, stats));
        return stats;
    }

    /// Fills the sampler's candidate array {id, logit, 0} from the logits and returns the maximum logit.
    private float fillCandidates(MemorySegment logits, MemorySegment candidates) {
        float max = Float.NEGATIVE_INFINITY;
        int n = nVocab;
        for (int i = 0; i < n; i++) {
            float x = logits.getAtIndex(JAVA_FLOAT, i);
            long o = i * 12L;
            candidates.set(JAVA_INT, o, i);
            candidates.set(JAVA_FLOAT, o + 4, x);
            candidates.set(JAVA_FLOAT, o + 8, 0f);
            max = Math.max(max, x);
        }
        return max;
    }

    private List<TopToken> topTokens(float max) {
        var out = new TopToken[statistics.topCount];
        for (int i = 0; i < out.length; i++) {
            int id = statistics.topIds[i];
            out[i] = new TopToken(id, new String(piece(id), StandardCharsets.UTF_8),
                    statistics.logprob(statistics.topLogits[i], max));
        }
        return List.of(out);
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /// The bytes a token stands for in generated text (control tokens render empty), cached per id.
    private byte[] piece(int token) {
        var cache = java.util.Objects.requireNonNull(pieces);
        byte[] p = cache[token];
        if (p == null) {
            p = tokenBytes(token, false);
            cache[token] = p;
        }
        return p;
    }

    private byte[] tokenBytes(int token, boolean special) {
        var vocab = java.util.Objects.requireNonNull(model).vocab();
        try (var arena = Arena.ofConfined()) {
            int size = 64;
            while (true) {
                var buf = arena.allocate(size);
                int n = (int) lib.tokenToPiece.invokeExact(vocab, token, buf, size, 0, special);
                if (n >= 0) return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                size = -n;
            }
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    // ---------------------------------------------------------------- tokenizer

    private int[] tokenIds(String text, boolean addSpecial, boolean parseSpecial) {
        var vocab = java.util.Objects.requireNonNull(model).vocab();
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        try (var arena = Arena.ofConfined()) {
            var textSeg = arena.allocate(Math.max(1, utf8.length));
            MemorySegment.copy(utf8, 0, textSeg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, utf8.length);
            int capacity = utf8.length + 8;
            while (true) {
                var out = arena.allocate(JAVA_INT, capacity);
                int n = (int) lib.tokenize.invokeExact(vocab, textSeg, utf8.length, out, capacity, addSpecial,
                        parseSpecial);
                if (n >= 0) return out.asSlice(0, 4L * n).toArray(JAVA_INT);
                if (n == Integer.MIN_VALUE)
                    throw new EngineException(Failure.Kind.INVALID_REQUEST, "the text is too long to tokenize");
                capacity = -n;
            }
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    @Override
    public synchronized List<TokenPiece> tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        requireLoaded();
        var vocab = java.util.Objects.requireNonNull(model).vocab();
        var out = new ArrayList<TokenPiece>();
        try {
            for (int id : tokenIds(text, addSpecial, parseSpecial)) {
                boolean control = (boolean) lib.vocabIsControl.invokeExact(vocab, id);
                out.add(new TokenPiece(id, new String(tokenBytes(id, true), StandardCharsets.UTF_8), control));
            }
        } catch (Throwable t) {
            throw Native.failure(t);
        }
        return out;
    }

    @Override
    public synchronized String detokenize(List<Integer> ids, boolean removeSpecial, boolean unparseSpecial) {
        requireLoaded();
        for (int id : ids)
            if (id < 0 || id >= nVocab)
                throw new EngineException(Failure.Kind.INVALID_REQUEST, "token id " + id + " is outside 0.." + (nVocab - 1));
        var vocab = java.util.Objects.requireNonNull(model).vocab();
        try (var arena = Arena.ofConfined()) {
            var tokens = arena.allocate(JAVA_INT, Math.max(1, ids.size()));
            for (int i = 0; i < ids.size(); i++) tokens.setAtIndex(JAVA_INT, i, ids.get(i));
            int size = Math.max(64, ids.size() * 8);
            while (true) {
                var buf = arena.allocate(size);
                int n = (int) lib.detokenize.invokeExact(vocab, tokens, ids.size(), buf, size, removeSpecial,
                        unparseSpecial);
                if (n >= 0) return new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8);
                size = -n;
            }
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    @Override
    public synchronized SpecialTokens specialTokens() {
        requireLoaded();
        var vocab = java.util.Objects.requireNonNull(model).vocab();
        try {
            var eog = new ArrayList<Integer>();
            for (int t = 0; t < endOfGeneration.length; t++) if (endOfGeneration[t]) eog.add(t);
            return new SpecialTokens((int) lib.vocabBos.invokeExact(vocab), (int) lib.vocabEos.invokeExact(vocab),
                    (int) lib.vocabEot.invokeExact(vocab), (int) lib.vocabNl.invokeExact(vocab),
                    (int) lib.vocabPad.invokeExact(vocab), (boolean) lib.vocabGetAddBos.invokeExact(vocab),
                    (boolean) lib.vocabGetAddEos.invokeExact(vocab), eog);
        } catch (Throwable t) {
            throw Native.failure(t);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private void checkOpen() {
        if (closed) throw new EngineException(Failure.Kind.ENGINE_CLOSED, "the engine was closed");
    }

    private void requireLoaded() {
        checkOpen();
        if (model == null) throw new EngineException(Failure.Kind.NO_MODEL_LOADED, "no model is loaded");
    }

    @Override
    public void close() {
        cancelRequested = true;
        synchronized (this) {
            if (closed) return;
            closed = true;
            unload();
        }
    }
}
