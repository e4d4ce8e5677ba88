package dev.hearth.inference.llama;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/// The llama.h generations this binding speaks: every struct layout, field offset and renamed function that differs
/// between them lives here, and nowhere else. Which one a library is comes from its exported symbols
/// ([#detect]) and is then confirmed by reading its default-params functions ([#checkDefaults]).
///
/// - [#B4916]: llama.cpp b4916, the library inside java-llama.cpp 4.2.0 (docs/native-llama-b4916.md).
/// - [#V0_5]: the llama.cpp of node-llama-cpp 3.22.1's packs (`llama_version()` 0.5.0-dev): `llama_memory_*`
///   instead of `llama_kv_self_*`, `load_mode` instead of the mmap/mlock booleans, `flash_attn_type`, CPU backends
///   loaded at run time (docs/native-llama-v0.5.0.md).
enum LlamaGeneration {
    B4916("b4916", 64, 120, 40) {
        @Override
        StructLayout modelParams() {
            return MemoryLayout.structLayout(
                    ADDRESS.withName("devices"),
                    JAVA_INT.withName("n_gpu_layers"),
                    JAVA_INT.withName("split_mode"),
                    JAVA_INT.withName("main_gpu"),
                    MemoryLayout.paddingLayout(4),
                    ADDRESS.withName("tensor_split"),
                    ADDRESS.withName("progress_callback"),
                    ADDRESS.withName("progress_callback_user_data"),
                    ADDRESS.withName("kv_overrides"),
                    JAVA_BOOLEAN.withName("vocab_only"),
                    JAVA_BOOLEAN.withName("use_mmap"),
                    JAVA_BOOLEAN.withName("use_mlock"),
                    JAVA_BOOLEAN.withName("check_tensors"),
                    MemoryLayout.paddingLayout(4));
        }

        @Override
        StructLayout contextParams() {
            return MemoryLayout.structLayout(
                    JAVA_INT.withName("n_ctx"), JAVA_INT.withName("n_batch"), JAVA_INT.withName("n_ubatch"),
                    JAVA_INT.withName("n_seq_max"), JAVA_INT.withName("n_threads"), JAVA_INT.withName("n_threads_batch"),
                    JAVA_INT.withName("rope_scaling_type"), JAVA_INT.withName("pooling_type"),
                    JAVA_INT.withName("attention_type"),
                    JAVA_FLOAT.withName("rope_freq_base"), JAVA_FLOAT.withName("rope_freq_scale"),
                    JAVA_FLOAT.withName("yarn_ext_factor"), JAVA_FLOAT.withName("yarn_attn_factor"),
                    JAVA_FLOAT.withName("yarn_beta_fast"), JAVA_FLOAT.withName("yarn_beta_slow"),
                    JAVA_INT.withName("yarn_orig_ctx"), JAVA_FLOAT.withName("defrag_thold"),
                    MemoryLayout.paddingLayout(4),
                    ADDRESS.withName("cb_eval"), ADDRESS.withName("cb_eval_user_data"),
                    JAVA_INT.withName("type_k"), JAVA_INT.withName("type_v"),
                    JAVA_BOOLEAN.withName("logits_all"), JAVA_BOOLEAN.withName("embeddings"),
                    JAVA_BOOLEAN.withName("offload_kqv"), JAVA_BOOLEAN.withName("flash_attn"),
                    JAVA_BOOLEAN.withName("no_perf"),
                    MemoryLayout.paddingLayout(3),
                    ADDRESS.withName("abort_callback"), ADDRESS.withName("abort_callback_data"));
        }

        @Override
        List<String> symbols() {
            return List.of("llama_kv_self_clear", "llama_kv_self_seq_rm", "ggml_threadpool_new", "ggml_threadpool_free");
        }

        @Override
        void setModel(MemorySegment p, int gpuLayers, int mainGpu, boolean mmap, boolean mlock, MemorySegment progress) {
            p.set(JAVA_INT, 8, gpuLayers);
            p.set(JAVA_INT, 16, mainGpu);
            p.set(JAVA_BOOLEAN, 57, mmap);
            p.set(JAVA_BOOLEAN, 58, mlock);
            p.set(ADDRESS, 32, progress);
        }

        @Override
        void setContext(MemorySegment p, int nCtx, int batch, int ubatch, int threads, int batchThreads, int kvType,
                boolean flashAttention) {
            p.set(JAVA_INT, 0, nCtx);
            p.set(JAVA_INT, 4, batch);
            p.set(JAVA_INT, 8, ubatch);
            p.set(JAVA_INT, 16, threads);
            p.set(JAVA_INT, 20, batchThreads);
            p.set(JAVA_INT, 88, kvType);
            p.set(JAVA_INT, 92, kvType);
            p.set(JAVA_BOOLEAN, 99, flashAttention);
            p.set(JAVA_BOOLEAN, 100, false); // no_perf: keep llama.cpp's own counters
        }

        @Override
        List<String> checkDefaults(MemorySegment model, MemorySegment ctx) {
            var problems = new ArrayList<String>();
            int gpuLayers = model.get(JAVA_INT, 8);
            expect(problems, "model.n_gpu_layers", gpuLayers == 0 || gpuLayers == 999, gpuLayers);
            expect(problems, "model.split_mode", model.get(JAVA_INT, 12) == 1, model.get(JAVA_INT, 12));
            expect(problems, "model.main_gpu", model.get(JAVA_INT, 16) == 0, model.get(JAVA_INT, 16));
            expect(problems, "model.devices", model.get(ADDRESS, 0).address() == 0, model.get(ADDRESS, 0));
            expect(problems, "model.progress_callback", model.get(ADDRESS, 32).address() == 0, "set");
            expect(problems, "model.vocab_only", !model.get(JAVA_BOOLEAN, 56), true);
            expect(problems, "model.use_mmap", model.get(JAVA_BOOLEAN, 57), false);
            expect(problems, "model.use_mlock", !model.get(JAVA_BOOLEAN, 58), true);
            expect(problems, "model.check_tensors", !model.get(JAVA_BOOLEAN, 59), true);
            int[] ints = {ctx.get(JAVA_INT, 0), ctx.get(JAVA_INT, 4), ctx.get(JAVA_INT, 8), ctx.get(JAVA_INT, 12)};
            expect(problems, "context.n_ctx/n_batch/n_ubatch/n_seq_max",
                    ints[0] == 512 && ints[1] == 2048 && ints[2] == 512 && ints[3] == 1, java.util.Arrays.toString(ints));
            expect(problems, "context.rope/pooling/attention types", ctx.get(JAVA_INT, 24) == -1
                    && ctx.get(JAVA_INT, 28) == -1 && ctx.get(JAVA_INT, 32) == -1, "changed");
            expect(problems, "context.yarn_ext_factor", ctx.get(JAVA_FLOAT, 44) == -1f, ctx.get(JAVA_FLOAT, 44));
            expect(problems, "context.yarn_attn_factor", ctx.get(JAVA_FLOAT, 48) == 1f, ctx.get(JAVA_FLOAT, 48));
            expect(problems, "context.yarn_beta_fast", ctx.get(JAVA_FLOAT, 52) == 32f, ctx.get(JAVA_FLOAT, 52));
            expect(problems, "context.yarn_beta_slow", ctx.get(JAVA_FLOAT, 56) == 1f, ctx.get(JAVA_FLOAT, 56));
            expect(problems, "context.defrag_thold", ctx.get(JAVA_FLOAT, 64) == -1f, ctx.get(JAVA_FLOAT, 64));
            expect(problems, "context.type_k/type_v", ctx.get(JAVA_INT, 88) == 1 && ctx.get(JAVA_INT, 92) == 1,
                    ctx.get(JAVA_INT, 88) + "/" + ctx.get(JAVA_INT, 92));
            expect(problems, "context.offload_kqv", ctx.get(JAVA_BOOLEAN, 98), false);
            expect(problems, "context.flash_attn", !ctx.get(JAVA_BOOLEAN, 99), true);
            expect(problems, "context.no_perf", ctx.get(JAVA_BOOLEAN, 100), false);
            expect(problems, "context.abort_callback", ctx.get(ADDRESS, 104).address() == 0, "set");
            return problems;
        }
    },

    V0_5("v0.5", 80, 160, 48) {
        @Override
        StructLayout modelParams() {
            return MemoryLayout.structLayout(
                    ADDRESS.withName("devices"),
                    ADDRESS.withName("tensor_buft_overrides"),
                    JAVA_INT.withName("n_gpu_layers"),
                    JAVA_INT.withName("split_mode"),
                    JAVA_INT.withName("load_mode"),
                    JAVA_INT.withName("lazy_mode"),
                    JAVA_INT.withName("main_gpu"),
                    MemoryLayout.paddingLayout(4),
                    ADDRESS.withName("tensor_split"),
                    ADDRESS.withName("progress_callback"),
                    ADDRESS.withName("progress_callback_user_data"),
                    ADDRESS.withName("kv_overrides"),
                    JAVA_BOOLEAN.withName("vocab_only"),
                    JAVA_BOOLEAN.withName("check_tensors"),
                    JAVA_BOOLEAN.withName("use_extra_bufts"),
                    JAVA_BOOLEAN.withName("no_host"),
                    JAVA_BOOLEAN.withName("no_alloc"),
                    JAVA_BOOLEAN.withName("load_mtp"),
                    MemoryLayout.paddingLayout(2));
        }

        @Override
        StructLayout contextParams() {
            return MemoryLayout.structLayout(
                    JAVA_INT.withName("n_ctx"), JAVA_INT.withName("n_batch"), JAVA_INT.withName("n_ubatch"),
                    JAVA_INT.withName("n_seq_max"), JAVA_INT.withName("n_rs_seq"), JAVA_INT.withName("n_outputs_max"),
                    JAVA_INT.withName("n_outputs_max_per_seq"),
                    JAVA_INT.withName("n_threads"), JAVA_INT.withName("n_threads_batch"),
                    JAVA_INT.withName("ctx_type"), JAVA_INT.withName("rope_scaling_type"),
                    JAVA_INT.withName("pooling_type"), JAVA_INT.withName("attention_type"),
                    JAVA_INT.withName("flash_attn_type"),
                    JAVA_FLOAT.withName("rope_freq_base"), JAVA_FLOAT.withName("rope_freq_scale"),
                    JAVA_FLOAT.withName("yarn_ext_factor"), JAVA_FLOAT.withName("yarn_attn_factor"),
                    JAVA_FLOAT.withName("yarn_beta_fast"), JAVA_FLOAT.withName("yarn_beta_slow"),
                    JAVA_INT.withName("yarn_orig_ctx"), JAVA_FLOAT.withName("defrag_thold"),
                    ADDRESS.withName("cb_eval"), ADDRESS.withName("cb_eval_user_data"),
                    JAVA_INT.withName("type_k"), JAVA_INT.withName("type_v"),
                    ADDRESS.withName("abort_callback"), ADDRESS.withName("abort_callback_data"),
                    JAVA_BOOLEAN.withName("embeddings"), JAVA_BOOLEAN.withName("offload_kqv"),
                    JAVA_BOOLEAN.withName("no_perf"), JAVA_BOOLEAN.withName("op_offload"),
                    JAVA_BOOLEAN.withName("swa_full"), JAVA_BOOLEAN.withName("kv_unified"),
                    MemoryLayout.paddingLayout(2),
                    ADDRESS.withName("samplers"), JAVA_LONG.withName("n_samplers"),
                    ADDRESS.withName("ctx_other"));
        }

        @Override
        List<String> symbols() {
            return List.of("llama_get_memory", "llama_memory_clear", "llama_memory_seq_rm",
                    "ggml_backend_load_all_from_path", "ggml_backend_reg_by_name", "ggml_backend_reg_get_proc_address");
        }

        @Override
        void setModel(MemorySegment p, int gpuLayers, int mainGpu, boolean mmap, boolean mlock, MemorySegment progress) {
            p.set(JAVA_INT, 16, gpuLayers);
            // load_mode: 0 none, 1 mmap, 2 mlock, 3 mmap+mlock (read from llama_load_mode_name in this build)
            p.set(JAVA_INT, 24, (mmap ? 1 : 0) | (mlock ? 2 : 0));
            p.set(JAVA_INT, 32, mainGpu);
            p.set(ADDRESS, 48, progress);
        }

        @Override
        void setContext(MemorySegment p, int nCtx, int batch, int ubatch, int threads, int batchThreads, int kvType,
                boolean flashAttention) {
            p.set(JAVA_INT, 0, nCtx);
            p.set(JAVA_INT, 4, batch);
            p.set(JAVA_INT, 8, ubatch);
            p.set(JAVA_INT, 28, threads);
            p.set(JAVA_INT, 32, batchThreads);
            p.set(JAVA_INT, 52, flashAttention ? 1 : 0); // flash_attn_type: -1 auto, 0 disabled, 1 enabled
            p.set(JAVA_INT, 104, kvType);
            p.set(JAVA_INT, 108, kvType);
            p.set(JAVA_BOOLEAN, 130, false); // no_perf
        }

        @Override
        List<String> checkDefaults(MemorySegment model, MemorySegment ctx) {
            var problems = new ArrayList<String>();
            expect(problems, "model.devices/tensor_buft_overrides",
                    model.get(ADDRESS, 0).address() == 0 && model.get(ADDRESS, 8).address() == 0, "set");
            expect(problems, "model.n_gpu_layers", model.get(JAVA_INT, 16) == -1, model.get(JAVA_INT, 16));
            expect(problems, "model.split_mode", model.get(JAVA_INT, 20) == 1, model.get(JAVA_INT, 20));
            expect(problems, "model.load_mode", model.get(JAVA_INT, 24) == -1, model.get(JAVA_INT, 24));
            expect(problems, "model.lazy_mode", model.get(JAVA_INT, 28) == 1, model.get(JAVA_INT, 28));
            expect(problems, "model.main_gpu", model.get(JAVA_INT, 32) == 0, model.get(JAVA_INT, 32));
            expect(problems, "model.progress_callback", model.get(ADDRESS, 48).address() == 0, "set");
            expect(problems, "model.vocab_only/check_tensors", !model.get(JAVA_BOOLEAN, 72) && !model.get(JAVA_BOOLEAN, 73),
                    "set");
            expect(problems, "model.use_extra_bufts", model.get(JAVA_BOOLEAN, 74), false);
            int[] ints = new int[9];
            for (int i = 0; i < ints.length; i++) ints[i] = ctx.get(JAVA_INT, 4L * i);
            expect(problems, "context.n_ctx..n_threads_batch", java.util.Arrays.equals(ints,
                    new int[] {512, 2048, 512, 1, 0, 0, 1, 4, 4}), java.util.Arrays.toString(ints));
            expect(problems, "context.ctx_type", ctx.get(JAVA_INT, 36) == 0, ctx.get(JAVA_INT, 36));
            expect(problems, "context.rope/pooling/attention/flash_attn types", ctx.get(JAVA_INT, 40) == -1
                    && ctx.get(JAVA_INT, 44) == -1 && ctx.get(JAVA_INT, 48) == -1 && ctx.get(JAVA_INT, 52) == -1, "changed");
            expect(problems, "context.yarn factors", ctx.get(JAVA_FLOAT, 64) == -1f && ctx.get(JAVA_FLOAT, 68) == -1f
                    && ctx.get(JAVA_FLOAT, 72) == -1f && ctx.get(JAVA_FLOAT, 76) == -1f, ctx.get(JAVA_FLOAT, 64));
            expect(problems, "context.defrag_thold", ctx.get(JAVA_FLOAT, 84) == -1f, ctx.get(JAVA_FLOAT, 84));
            expect(problems, "context.type_k/type_v", ctx.get(JAVA_INT, 104) == 1 && ctx.get(JAVA_INT, 108) == 1,
                    ctx.get(JAVA_INT, 104) + "/" + ctx.get(JAVA_INT, 108));
            expect(problems, "context.abort_callback", ctx.get(ADDRESS, 112).address() == 0, "set");
            expect(problems, "context.embeddings", !ctx.get(JAVA_BOOLEAN, 128), true);
            expect(problems, "context.offload_kqv/no_perf/op_offload/swa_full", ctx.get(JAVA_BOOLEAN, 129)
                    && ctx.get(JAVA_BOOLEAN, 130) && ctx.get(JAVA_BOOLEAN, 131) && ctx.get(JAVA_BOOLEAN, 132), false);
            expect(problems, "context.samplers", ctx.get(ADDRESS, 136).address() == 0 && ctx.get(JAVA_LONG, 144) == 0,
                    "set");
            return problems;
        }
    };

    /// A short name for messages and listings.
    final String id;
    private final long modelParamsSize, contextParamsSize, perfSize;

    LlamaGeneration(String id, long modelParamsSize, long contextParamsSize, long perfSize) {
        this.id = id;
        this.modelParamsSize = modelParamsSize;
        this.contextParamsSize = contextParamsSize;
        this.perfSize = perfSize;
    }

    /// `struct llama_model_params`.
    abstract StructLayout modelParams();

    /// `struct llama_context_params`.
    abstract StructLayout contextParams();

    /// `struct llama_perf_context_data`: the same first 40 bytes in both; the current one adds `n_reused`.
    StructLayout perfContextData() {
        var base = List.<MemoryLayout>of(JAVA_DOUBLE.withName("t_start_ms"), JAVA_DOUBLE.withName("t_load_ms"),
                JAVA_DOUBLE.withName("t_p_eval_ms"), JAVA_DOUBLE.withName("t_eval_ms"), JAVA_INT.withName("n_p_eval"),
                JAVA_INT.withName("n_eval"));
        var all = new ArrayList<>(base);
        if (perfSize > 40) {
            all.add(JAVA_INT.withName("n_reused"));
            all.add(MemoryLayout.paddingLayout(4));
        }
        return MemoryLayout.structLayout(all.toArray(MemoryLayout[]::new));
    }

    /// The symbols only this generation exports (and the binding needs).
    abstract List<String> symbols();

    /// Writes the load options into default model params.
    abstract void setModel(MemorySegment params, int gpuLayers, int mainGpu, boolean mmap, boolean mlock,
            MemorySegment progressCallback);

    /// Writes the context options into default context params (and turns llama.cpp's own counters on).
    abstract void setContext(MemorySegment params, int nCtx, int batch, int ubatch, int threads, int batchThreads,
            int kvType, boolean flashAttention);

    /// The default-params values that differ from this generation's documented ones (empty when all match).
    abstract List<String> checkDefaults(MemorySegment modelDefaults, MemorySegment contextDefaults);

    /// The architectures this generation is known to load, or an empty set when the library itself is the judge
    /// (the current generation knows far more than b4916; an unknown one fails in `llama_model_load_from_file`).
    Set<String> knownArchitectures() {
        return this == B4916 ? ModelFileCheck.KNOWN_ARCHITECTURES : Set.of();
    }

    /// Which generation exports these symbols; empty when none of them does.
    static java.util.Optional<LlamaGeneration> detect(java.util.function.Predicate<String> exported) {
        if (exported.test("llama_kv_self_clear") && !exported.test("llama_memory_clear"))
            return java.util.Optional.of(B4916);
        if (exported.test("llama_memory_clear") && exported.test("llama_get_memory") && !exported.test("llama_kv_self_clear"))
            return java.util.Optional.of(V0_5);
        return java.util.Optional.empty();
    }

    static {
        for (var g : values()) {
            if (g.modelParams().byteSize() != g.modelParamsSize || g.contextParams().byteSize() != g.contextParamsSize
                    || g.perfContextData().byteSize() != g.perfSize)
                throw new AssertionError("struct layouts of " + g + " do not match their verified sizes");
        }
    }

    private static void expect(List<String> problems, String field, boolean ok, Object actual) {
        if (!ok) problems.add(field + " = " + actual);
    }
}
