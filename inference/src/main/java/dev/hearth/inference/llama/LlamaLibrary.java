package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hearth.inference.Failure;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.EngineLog;
import dev.hearth.inference.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// The loaded llama.cpp library: loaded once per process, checked to be one of the llama.h generations this binding
/// knows ([LlamaGeneration]: b4916 from java-llama.cpp, or the current one of an engine pack), owner of every
/// `MethodHandle`.
public final class LlamaLibrary {
    /// The llama.cpp build of java-llama.cpp 4.2.0's bundled library.
    public static final String BUILD = "b4916";

    // ---- struct layouts both generations share (64-bit); the others are in LlamaGeneration ----
    static final StructLayout BATCH = MemoryLayout.structLayout(
            JAVA_INT.withName("n_tokens"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("token"),
            ADDRESS.withName("embd"),
            ADDRESS.withName("pos"),
            ADDRESS.withName("n_seq_id"),
            ADDRESS.withName("seq_id"),
            ADDRESS.withName("logits"));
    static final StructLayout TOKEN_DATA =
            MemoryLayout.structLayout(JAVA_INT.withName("id"), JAVA_FLOAT.withName("logit"), JAVA_FLOAT.withName("p"));
    static final StructLayout TOKEN_DATA_ARRAY = MemoryLayout.structLayout(
            ADDRESS.withName("data"),
            JAVA_LONG.withName("size"),
            JAVA_LONG.withName("selected"),
            JAVA_BOOLEAN.withName("sorted"),
            MemoryLayout.paddingLayout(7));
    static final StructLayout SAMPLER_CHAIN_PARAMS = MemoryLayout.structLayout(JAVA_BOOLEAN.withName("no_perf"));
    static {
        if (BATCH.byteSize() != 56 || TOKEN_DATA_ARRAY.byteSize() != 32)
            throw new AssertionError("struct layouts do not match llama.cpp");
    }

    /// Every symbol the binding calls in both generations; all must be exported (with the generation's own ones).
    static final List<String> REQUIRED_SYMBOLS = List.of(
            "llama_backend_init", "llama_log_set", "llama_model_default_params", "llama_context_default_params",
            "llama_sampler_chain_default_params", "llama_model_load_from_file", "llama_model_free",
            "llama_init_from_model", "llama_free", "llama_model_get_vocab", "llama_model_n_ctx_train",
            "llama_model_n_layer", "llama_model_n_embd", "llama_model_n_head", "llama_model_n_params", "llama_model_size",
            "llama_model_desc", "llama_model_meta_val_str", "llama_vocab_n_tokens", "llama_n_ctx",
            "llama_tokenize", "llama_token_to_piece", "llama_detokenize", "llama_vocab_bos", "llama_vocab_eos",
            "llama_vocab_eot", "llama_vocab_nl", "llama_vocab_pad", "llama_vocab_get_add_bos",
            "llama_vocab_get_add_eos", "llama_vocab_is_eog", "llama_vocab_is_control", "llama_batch_get_one",
            "llama_decode", "llama_get_logits_ith", "llama_chat_apply_template",
            "llama_set_n_threads", "llama_set_abort_callback", "llama_perf_context", "llama_sampler_chain_init", "llama_sampler_chain_add",
            "llama_sampler_init_greedy", "llama_sampler_init_dist", "llama_sampler_init_top_k",
            "llama_sampler_init_top_p", "llama_sampler_init_min_p", "llama_sampler_init_typical",
            "llama_sampler_init_temp", "llama_sampler_init_penalties", "llama_sampler_init_grammar",
            "llama_sampler_apply", "llama_sampler_accept", "llama_sampler_free", "llama_supports_gpu_offload",
            "llama_supports_mmap", "llama_supports_mlock", "ggml_backend_dev_count", "ggml_backend_dev_get",
            "ggml_backend_dev_name", "ggml_backend_dev_description", "ggml_backend_dev_type",
            "ggml_backend_dev_memory", "ggml_threadpool_params_init", "llama_attach_threadpool");

    /// `struct ggml_threadpool_params` at b4916 and v0.5: `bool cpumask[512]`, then `n_threads` at 512, `prio`, `poll`
    /// (uint32), `strict_cpu`, `paused`: 528 bytes.
    static final long THREADPOOL_PARAMS_SIZE = 528;
    static final long THREADPOOL_PARAMS_N_THREADS = 512;
    static final long THREADPOOL_PARAMS_POLL = 520;

    private static @Nullable LlamaLibrary instance;

    private final Path path;
    private final SymbolLookup lookup;
    /// Which llama.h generation the library is.
    final LlamaGeneration generation;
    private final String build;
    private final @Nullable Path engineDirectory;
    final StructLayout modelParamsLayout, contextParamsLayout, perfContextLayout;
    private final Linker linker = Linker.nativeLinker();
    private final ArrayDeque<String> recentLog = new ArrayDeque<>();
    private final ArrayDeque<String> recentErrors = new ArrayDeque<>();
    private long errorCount;
    private volatile EngineLog logSink = EngineLog.SYSTEM_LOGGER;
    private final StringBuilder partialLine = new StringBuilder();

    // ---- handles ----
    final MethodHandle backendInit, logSet, modelDefaultParams, contextDefaultParams, samplerChainDefaultParams;
    final MethodHandle modelLoadFromFile, modelFree, initFromModel, free, modelGetVocab, modelNCtxTrain;
    final MethodHandle modelNLayer, modelNEmbd, modelNHead, modelNParams, modelSize, modelDesc, modelMetaValStr;
    final MethodHandle vocabNTokens, nCtx, tokenize, tokenToPiece, detokenize;
    final MethodHandle vocabBos, vocabEos, vocabEot, vocabNl, vocabPad, vocabGetAddBos, vocabGetAddEos;
    final MethodHandle vocabIsEog, vocabIsControl, batchGetOne, decode, getLogitsIth;
    /// b4916: `llama_kv_self_clear(ctx)`, `llama_kv_self_seq_rm(ctx, seq, p0, p1)`; v0.5: the same on `llama_get_memory(ctx)`.
    private final MethodHandle memoryClear, memorySeqRm;
    private final @Nullable MethodHandle getMemory;
    final MethodHandle setNThreads, setAbortCallback, perfContext;
    final MethodHandle stateSeqGetSize, stateSeqGetData, stateSeqSetData, synchronize;
    final MethodHandle samplerChainInit, samplerChainAdd, samplerInitGreedy, samplerInitDist, samplerInitTopK;
    final MethodHandle samplerInitTopP, samplerInitMinP, samplerInitTypical, samplerInitTemp;
    final MethodHandle samplerInitPenalties, samplerInitGrammar, samplerApply, samplerAccept, samplerFree;
    final MethodHandle supportsGpuOffload, supportsMmap, supportsMlock;
    final MethodHandle devCount, devGet, devName, devDescription, devType, devMemory;
    final MethodHandle threadpoolParamsInit, attachThreadpool;
    /// `ggml_threadpool_new/free`: exported by b4916; in v0.5 they live in the CPU backend loaded at run time and are
    /// found through `ggml_backend_reg_get_proc_address` (null when that backend does not offer them).
    @Nullable MethodHandle threadpoolNew, threadpoolFree;
    final MethodHandle chatApplyTemplate;

    private LlamaLibrary(Path path, SymbolLookup lookup, @Nullable Path engineDirectory, @Nullable String packBuild) {
        this.path = path;
        this.lookup = lookup;
        this.engineDirectory = engineDirectory;
        this.generation = LlamaGeneration.detect(s -> lookup.find(s).isPresent()).orElseThrow(() -> new EngineException(
                Failure.Kind.NATIVE_LIBRARY_INVALID, path + " is not a llama.cpp library Hearth knows: it exports neither"
                        + " b4916's llama_kv_self_* functions nor the current llama_memory_* ones"));
        this.build = generation == LlamaGeneration.B4916 ? BUILD : packBuild != null ? packBuild : generation.id;
        var required = new ArrayList<>(REQUIRED_SYMBOLS);
        required.addAll(generation.symbols());
        var missing = required.stream().filter(s -> lookup.find(s).isEmpty()).toList();
        if (!missing.isEmpty())
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID,
                    path + " is not a complete llama.cpp " + generation.id + " library: it lacks "
                            + missing.size() + " of the C API's functions (" + String.join(", ",
                                    missing.subList(0, Math.min(5, missing.size()))) + (missing.size() > 5 ? ", …" : "") + ")");
        modelParamsLayout = generation.modelParams();
        contextParamsLayout = generation.contextParams();
        perfContextLayout = generation.perfContextData();
        var critical = Linker.Option.critical(false);
        backendInit = h("llama_backend_init", FunctionDescriptor.ofVoid());
        logSet = h("llama_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        modelDefaultParams = h("llama_model_default_params", FunctionDescriptor.of(modelParamsLayout));
        contextDefaultParams = h("llama_context_default_params", FunctionDescriptor.of(contextParamsLayout));
        samplerChainDefaultParams = h("llama_sampler_chain_default_params", FunctionDescriptor.of(SAMPLER_CHAIN_PARAMS));
        modelLoadFromFile = h("llama_model_load_from_file", FunctionDescriptor.of(ADDRESS, ADDRESS, modelParamsLayout));
        modelFree = h("llama_model_free", FunctionDescriptor.ofVoid(ADDRESS));
        initFromModel = h("llama_init_from_model", FunctionDescriptor.of(ADDRESS, ADDRESS, contextParamsLayout));
        free = h("llama_free", FunctionDescriptor.ofVoid(ADDRESS));
        modelGetVocab = h("llama_model_get_vocab", FunctionDescriptor.of(ADDRESS, ADDRESS));
        modelNCtxTrain = h("llama_model_n_ctx_train", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNLayer = h("llama_model_n_layer", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNEmbd = h("llama_model_n_embd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNHead = h("llama_model_n_head", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNParams = h("llama_model_n_params", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        modelSize = h("llama_model_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        modelDesc = h("llama_model_desc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        modelMetaValStr = h("llama_model_meta_val_str",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        vocabNTokens = h("llama_vocab_n_tokens", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        nCtx = h("llama_n_ctx", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        tokenize = h("llama_tokenize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_BOOLEAN, JAVA_BOOLEAN));
        tokenToPiece = h("llama_token_to_piece",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_BOOLEAN), critical);
        detokenize = h("llama_detokenize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_BOOLEAN, JAVA_BOOLEAN));
        var tokenOfVocab = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        vocabBos = h("llama_vocab_bos", tokenOfVocab);
        vocabEos = h("llama_vocab_eos", tokenOfVocab);
        vocabEot = h("llama_vocab_eot", tokenOfVocab);
        vocabNl = h("llama_vocab_nl", tokenOfVocab);
        vocabPad = h("llama_vocab_pad", tokenOfVocab);
        vocabGetAddBos = h("llama_vocab_get_add_bos", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        vocabGetAddEos = h("llama_vocab_get_add_eos", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        vocabIsEog = h("llama_vocab_is_eog", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT), critical);
        vocabIsControl = h("llama_vocab_is_control", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT), critical);
        batchGetOne = h("llama_batch_get_one", FunctionDescriptor.of(BATCH, ADDRESS, JAVA_INT));
        decode = h("llama_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, BATCH));
        getLogitsIth = h("llama_get_logits_ith", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT), critical);
        if (generation == LlamaGeneration.B4916) {
            getMemory = null;
            memoryClear = h("llama_kv_self_clear", FunctionDescriptor.ofVoid(ADDRESS));
            memorySeqRm = h("llama_kv_self_seq_rm", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
            threadpoolNew = h("ggml_threadpool_new", FunctionDescriptor.of(ADDRESS, ADDRESS));
            threadpoolFree = h("ggml_threadpool_free", FunctionDescriptor.ofVoid(ADDRESS));
        } else {
            getMemory = h("llama_get_memory", FunctionDescriptor.of(ADDRESS, ADDRESS));
            // void llama_memory_clear(llama_memory_t mem, bool data)
            memoryClear = MethodHandles.insertArguments(
                    h("llama_memory_clear", FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN)), 1, true);
            memorySeqRm = h("llama_memory_seq_rm", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
        }
        // size_t llama_state_seq_get_size(ctx, seq), size_t llama_state_seq_get_data(ctx, uint8_t *dst, size_t size,
        // seq), size_t llama_state_seq_set_data(ctx, const uint8_t *src, size_t size, dest_seq) (0 = failed)
        synchronize = h("llama_synchronize", FunctionDescriptor.ofVoid(ADDRESS));
        stateSeqGetSize = h("llama_state_seq_get_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
        stateSeqGetData = h("llama_state_seq_get_data",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        stateSeqSetData = h("llama_state_seq_set_data",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        setNThreads = h("llama_set_n_threads", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT));
        setAbortCallback = h("llama_set_abort_callback", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        perfContext = h("llama_perf_context", FunctionDescriptor.of(perfContextLayout, ADDRESS));
        samplerChainInit = h("llama_sampler_chain_init", FunctionDescriptor.of(ADDRESS, SAMPLER_CHAIN_PARAMS));
        samplerChainAdd = h("llama_sampler_chain_add", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        samplerInitGreedy = h("llama_sampler_init_greedy", FunctionDescriptor.of(ADDRESS));
        samplerInitDist = h("llama_sampler_init_dist", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        samplerInitTopK = h("llama_sampler_init_top_k", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        samplerInitTopP = h("llama_sampler_init_top_p", FunctionDescriptor.of(ADDRESS, JAVA_FLOAT, JAVA_LONG));
        samplerInitMinP = h("llama_sampler_init_min_p", FunctionDescriptor.of(ADDRESS, JAVA_FLOAT, JAVA_LONG));
        samplerInitTypical = h("llama_sampler_init_typical", FunctionDescriptor.of(ADDRESS, JAVA_FLOAT, JAVA_LONG));
        samplerInitTemp = h("llama_sampler_init_temp", FunctionDescriptor.of(ADDRESS, JAVA_FLOAT));
        samplerInitPenalties = h("llama_sampler_init_penalties",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_FLOAT, JAVA_FLOAT, JAVA_FLOAT));
        samplerInitGrammar = h("llama_sampler_init_grammar", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        samplerApply = h("llama_sampler_apply", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        samplerAccept = h("llama_sampler_accept", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT), critical);
        samplerFree = h("llama_sampler_free", FunctionDescriptor.ofVoid(ADDRESS));
        supportsGpuOffload = h("llama_supports_gpu_offload", FunctionDescriptor.of(JAVA_BOOLEAN));
        supportsMmap = h("llama_supports_mmap", FunctionDescriptor.of(JAVA_BOOLEAN));
        supportsMlock = h("llama_supports_mlock", FunctionDescriptor.of(JAVA_BOOLEAN));
        devCount = h("ggml_backend_dev_count", FunctionDescriptor.of(JAVA_LONG));
        devGet = h("ggml_backend_dev_get", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
        devName = h("ggml_backend_dev_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        devDescription = h("ggml_backend_dev_description", FunctionDescriptor.of(ADDRESS, ADDRESS));
        devType = h("ggml_backend_dev_type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        devMemory = h("ggml_backend_dev_memory", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        threadpoolParamsInit = h("ggml_threadpool_params_init", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        attachThreadpool = h("llama_attach_threadpool", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        // b4916: (const char * tmpl, const llama_chat_message * chat, size_t n_msg, bool add_ass, char * buf, int32_t length)
        chatApplyTemplate = h("llama_chat_apply_template",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_BOOLEAN, ADDRESS, JAVA_INT));
    }

    private MethodHandle h(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return linker.downcallHandle(lookup.findOrThrow(name), descriptor, options);
    }

    /// Loads the library (once per process), detects its llama.h generation and checks its default parameters.
    /// A second call with a different library fails: one process holds one llama.cpp.
    public static synchronized LlamaLibrary load(NativeLibrary choice) {
        Path file;
        @Nullable Path directory = null;
        @Nullable String packBuild = null;
        switch (choice) {
            case NativeLibrary.Bundled(Path cache) -> file = BundledLibrary.extract(cache);
            case NativeLibrary.UserFile(Path f) -> file = f.toAbsolutePath().normalize();
            case NativeLibrary.EnginePack(Path dir) -> {
                var pack = dev.hearth.inference.pack.PackFolder.inspect(dir);
                directory = pack.directory();
                file = pack.llamaLibrary();
                packBuild = pack.build();
                // a truncated dependency or backend would kill the process inside dlopen: check every library first
                for (var lib : pack.libraries()) NativeFileCheck.check(lib);
            }
        }
        if (instance != null && instance.path.equals(file)) return instance;
        if (!Files.isRegularFile(file))
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_MISSING, "native library not found: " + file);
        if (directory == null) NativeFileCheck.check(file);
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(file, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID,
                    "cannot load " + file + " as a native library (damaged, built for another system, or a library"
                            + " next to it is missing)", e);
        }
        if (instance != null) {
            // Checked anyway, so the caller learns what is wrong with the file first.
            new LlamaLibrary(file, lookup, directory, packBuild).verifyDefaults();
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID, "llama.cpp is already loaded from "
                    + instance.path + "; one process cannot use a second library (" + file + ")");
        }
        var library = new LlamaLibrary(file, lookup, directory, packBuild);
        library.verifyDefaults();
        library.init();
        instance = library;
        return library;
    }

    /// Whether llama.cpp b4916 knows `architecture` (its `LLM_ARCH_NAMES`); newer architectures need an engine pack.
    public static boolean b4916Knows(String architecture) {
        return ModelFileCheck.KNOWN_ARCHITECTURES.contains(architecture);
    }

    /// The library file in use.
    public Path path() {
        return path;
    }

    /// The llama.cpp build: `b4916` for java-llama.cpp's library, the release an engine pack names for a pack.
    public String build() {
        return build;
    }

    /// The llama.h generation, as a short name (`b4916`, `v0.5`).
    public String generationName() {
        return generation.id;
    }

    /// Empties the KV cache (b4916 `llama_kv_self_clear`, v0.5 `llama_memory_clear(…, true)`).
    void clearMemory(MemorySegment ctx) throws Throwable {
        if (getMemory == null) memoryClear.invokeExact(ctx);
        else memoryClear.invokeExact((MemorySegment) getMemory.invokeExact(ctx));
    }

    /// Removes cells `[p0, p1)` of sequence `seq` (-1: every sequence); false when llama.cpp cannot.
    boolean removeFromMemory(MemorySegment ctx, int seq, int p0, int p1) throws Throwable {
        var target = getMemory == null ? ctx : (MemorySegment) getMemory.invokeExact(ctx);
        return (boolean) memorySeqRm.invokeExact(target, seq, p0, p1);
    }

    private void init() {
        try {
            var callback = MethodHandles.lookup().findVirtual(LlamaLibrary.class, "onLog",
                    MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class)).bindTo(this);
            var stub = linker.upcallStub(callback, FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            logSet.invokeExact(stub, MemorySegment.NULL);
            if (engineDirectory != null) loadBackends(engineDirectory);
            backendInit.invokeExact();
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID, "llama.cpp failed to start: " + t, t);
        }
    }

    /// Loads the pack's backends (`ggml_backend_load_all_from_path`: the best CPU build for this processor, and the
    /// GPU backends the pack has) and finds the CPU backend's thread pool functions.
    private void loadBackends(Path directory) throws Throwable {
        try (var arena = Arena.ofConfined()) {
            h("ggml_backend_load_all_from_path", FunctionDescriptor.ofVoid(ADDRESS))
                    .invokeExact(arena.allocateFrom(directory.toString()));
            long devices = (long) devCount.invokeExact();
            if (devices == 0)
                throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID, "the engine in " + directory
                        + " has no backend that loads on this machine (its libggml-cpu-*.so files are missing or damaged): "
                        + recentLogLine(2));
            var reg = (MemorySegment) h("ggml_backend_reg_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS))
                    .invokeExact(arena.allocateFrom("CPU"));
            if (reg.address() == 0) return;
            var proc = h("ggml_backend_reg_get_proc_address", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
            var newFn = (MemorySegment) proc.invokeExact(reg, arena.allocateFrom("ggml_threadpool_new"));
            var freeFn = (MemorySegment) proc.invokeExact(reg, arena.allocateFrom("ggml_threadpool_free"));
            if (newFn.address() != 0 && freeFn.address() != 0) {
                threadpoolNew = linker.downcallHandle(newFn, FunctionDescriptor.of(ADDRESS, ADDRESS));
                threadpoolFree = linker.downcallHandle(freeFn, FunctionDescriptor.ofVoid(ADDRESS));
            }
        }
    }

    /// Sends llama.cpp's log lines to `sink` instead of stderr (the last 40 lines are also kept for failure details).
    public void setLogSink(EngineLog sink) {
        this.logSink = sink;
    }

    /// The last lines llama.cpp logged (at most 40), for failure details.
    public synchronized List<String> recentLog() {
        return new ArrayList<>(recentLog);
    }

    /// How many error lines llama.cpp has logged so far.
    synchronized long errorCount() {
        return errorCount;
    }

    /// The error lines logged after `errorCount()` returned `since` (at most the last 10).
    synchronized List<String> errorsSince(long since) {
        var all = new ArrayList<>(recentErrors);
        int n = (int) Math.min(all.size(), errorCount - since);
        return all.subList(all.size() - n, all.size());
    }

    /// The last lines logged, joined into one line.
    String recentLogLine(int lines) {
        var all = recentLog();
        return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @SuppressWarnings("unused") // called from native code
    private void onLog(int level, MemorySegment text, MemorySegment userData) {
        try {
            String s = text.reinterpret(Long.MAX_VALUE).getString(0);
            synchronized (this) {
                partialLine.append(s);
                int nl;
                while ((nl = partialLine.indexOf("\n")) >= 0) {
                    String line = partialLine.substring(0, nl);
                    partialLine.delete(0, nl + 1);
                    if (line.isBlank()) continue;
                    recentLog.addLast(line);
                    if (level == 4) {
                        errorCount++;
                        recentErrors.addLast(line);
                        if (recentErrors.size() > 10) recentErrors.removeFirst();
                    }
                    if (recentLog.size() > 40) recentLog.removeFirst();
                    logSink.line(switch (level) {
                        case 2 -> EngineLog.Level.INFO;
                        case 3 -> EngineLog.Level.WARN;
                        case 4 -> EngineLog.Level.ERROR;
                        default -> EngineLog.Level.DEBUG;
                    }, line);
                }
            }
        } catch (Throwable ignored) {
            // an exception must never cross back into native code
        }
    }

    // ---- default-params guard ----

    /// Reads the default-params functions and checks them against the documented values of the detected generation.
    /// This catches both a library of another build and a wrong struct layout.
    void verifyDefaults() {
        List<String> problems;
        try (var arena = Arena.ofConfined()) {
            var model = (MemorySegment) modelDefaultParams.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            var ctx = (MemorySegment) contextDefaultParams.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            problems = new ArrayList<>(generation.checkDefaults(model, ctx));
            var chain = (MemorySegment) samplerChainDefaultParams.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            expect(problems, "sampler_chain.no_perf", chain.get(JAVA_BOOLEAN, 0), false);
        } catch (EngineException e) {
            throw e;
        } catch (Throwable t) {
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID, "cannot read llama.cpp's default parameters: " + t, t);
        }
        if (!problems.isEmpty())
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID, path + " is not a llama.cpp " + generation.id
                    + " library Hearth knows (its default parameters differ: " + String.join("; ", problems) + ")");
    }

    private static void expect(List<String> problems, String field, boolean ok, Object actual) {
        if (!ok) problems.add(field + " = " + actual);
    }

    // ---- small helpers used by the handles' callers ----

    Linker linker() {
        return linker;
    }

    Optional<MemorySegment> find(String symbol) {
        return lookup.find(symbol);
    }

    static String cString(MemorySegment pointer) {
        return pointer.address() == 0 ? "" : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    static final MemoryLayout BYTE = JAVA_BYTE;
}
