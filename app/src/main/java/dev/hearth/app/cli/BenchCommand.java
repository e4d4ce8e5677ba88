package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.TokenPiece;
import dev.hearth.inference.worker.EngineClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `hearth bench`: prompt-processing and generation speed, in the spirit of llama-bench, optionally interleaved
/// with java-llama.cpp's own generation loop as a baseline.
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Measure prompt and generation tokens/s of a model.",
        description =
                "Measure prompt processing (pp) and generation (tg) tokens/s of a model: one warm-up run, then the " +
                "median and min-max over the repetitions. Greedy decoding. --baseline interleaves java-llama.cpp's " +
                "LlamaModel.generate (temperature 0, same threads, prompt and token count) and prints the ratio. " +
                "--compare-token-stats interleaves runs without per-token statistics to show what they cost.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin EngineOptions engineOptions;

    @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "128", description = "Prompt length in tokens (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--tokens", paramLabel = "N", defaultValue = "64", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--repetitions", paramLabel = "R", defaultValue = "5", description = "Measured runs (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--top-logprobs", paramLabel = "K", defaultValue = "0", description = "Alternatives computed per token, 0..20 (default: ${DEFAULT-VALUE}).")
    int topLogprobs;

    @Option(names = "--baseline", description = "Interleave java-llama.cpp's LlamaModel.generate and print the ratio.")
    boolean baseline;

    @Option(names = "--compare-token-stats", description = "Interleave runs without token statistics (logprob, rank, entropy, top-K).")
    boolean compareTokenStats;

    @Option(names = "--compare-in-process",
            description = "Interleave runs of llama.cpp in this process and print the engine worker's cost (worker/in-process).")
    boolean compareInProcess;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (promptTokens < 1 || tokens < 2 || repetitions < 1 || repetitions > 1000)
            throw new CliFailure("--prompt-tokens must be >= 1, --tokens >= 2 and --repetitions 1..1000", 2);
        var loadOptions = engineOptions.loadOptions();
        if (loadOptions.contextSize() == 0) loadOptions = loadOptions.withContextSize(promptTokens + tokens + 16);
        Sampling sampling;
        try {
            sampling = Sampling.GREEDY.withMaxTokens(tokens).withTopLogprobs(topLogprobs);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
        if (compareInProcess && engineOptions.inProcess)
            throw new CliFailure("--compare-in-process compares an engine worker with in-process: drop --in-process", 2);
        var out = spec.commandLine().getOut();
        long tStart = System.nanoTime();
        try (var engine = engineOptions.open();
                var inProcess = compareInProcess ? engineOptions.openInProcess() : null) {
            double startMs = (System.nanoTime() - tStart) / 1e6;
            long t0 = System.nanoTime();
            ModelSummary model = engineOptions.load(engine, loadOptions);
            if (inProcess != null) engineOptions.load(inProcess, loadOptions);
            double loadMs = (System.nanoTime() - t0) / 1e6;
            String prompt = promptOf(engine, promptTokens);
            // Every repetition evaluates the whole prompt: pp measures prompt processing, not the KV-cache reuse.
            var request = new GenerationRequest(prompt, sampling).withFreshCache(true);
            var withoutStats = request.withTokenStats(false);
            LlamaModel base = baseline ? openBaseline(engine.capabilities(), loadOptions.contextSize(), loadOptions.effectiveThreads()) : null;
            try {
                var pp = new ArrayList<Double>();
                var tg = new ArrayList<Double>();
                var tgNoStats = new ArrayList<Double>();
                var tgBase = new ArrayList<Double>();
                var tgInProcess = new ArrayList<Double>();
                int generated = 0, baseGenerated = 0, promptCount = 0;
                double ttft = 0;
                for (int r = -1; r < repetitions; r++) { // r = -1: warm-up
                    var s = generate(engine, request);
                    double noStats = compareTokenStats ? generate(engine, withoutStats).generationTokensPerSecond() : 0;
                    double[] b = base != null ? baselineRun(base, prompt, tokens) : null;
                    double ip = inProcess != null ? generate(inProcess, request).generationTokensPerSecond() : 0;
                    if (r < 0) {
                        ttft = s.timeToFirstTokenMs();
                        continue;
                    }
                    pp.add(s.promptTokensPerSecond());
                    tg.add(s.generationTokensPerSecond());
                    generated = s.generatedTokens();
                    promptCount = s.promptTokens();
                    if (compareTokenStats) tgNoStats.add(noStats);
                    if (inProcess != null) tgInProcess.add(ip);
                    if (b != null) {
                        tgBase.add(b[0]);
                        baseGenerated = (int) b[1];
                    }
                }
                report(model, loadOptions.effectiveThreads(), loadMs, ttft, promptCount, generated, pp, tg, tgNoStats,
                        tgBase, baseGenerated, out);
                if (inProcess != null) reportInProcess(engine, startMs, tg, tgInProcess, out);
            } finally {
                if (base != null) base.close();
            }
        }
        return 0;
    }

    private static GenerationStats generate(Engine engine, GenerationRequest request) {
        try {
            return engine.generate(request, _ -> {});
        } catch (EngineException e) {
            throw EngineOptions.failure(e);
        }
    }

    /// A prompt of about `n` tokens (BOS included) made of ordinary words.
    static String promptOf(Engine engine, int n) {
        var words = "the quick brown fox jumps over the lazy dog while a model counts every token it reads ";
        var text = new StringBuilder(words);
        List<TokenPiece> pieces;
        while ((pieces = engine.tokenize(text.toString(), true, false)).size() < n) text.append(words);
        var ids = pieces.stream().skip(1).limit(Math.max(0, n - 1)).map(TokenPiece::id).toList();
        return engine.detokenize(ids, true, false);
    }

    private LlamaModel openBaseline(EngineCapabilities caps, int ctx, int threads) {
        // java-llama.cpp loads the library file Hearth already extracted (the same llama.cpp), not a temp copy.
        var lib = Path.of(caps.libraryPath());
        if (lib.getParent() != null && System.getProperty("de.kherud.llama.lib.path") == null)
            System.setProperty("de.kherud.llama.lib.path", lib.getParent().toString());
        // Its server loop logs every request to the terminal; silence it (this also takes llama.cpp's log callback).
        LlamaModel.setLogger(de.kherud.llama.args.LogFormat.TEXT, (_, _) -> {});
        try {
            var params = new ModelParameters().setModel(engineOptions.modelPath().toString()).setCtxSize(ctx)
                    .setThreads(threads).setThreadsBatch(threads).disableLog();
            // On a CPU-only build, naming any GPU layer count (even 0) makes java-llama.cpp print three warnings.
            if (engineOptions.gpuLayers > 0) params.setGpuLayers(engineOptions.gpuLayers);
            return new LlamaModel(params);
        } catch (RuntimeException e) {
            throw new CliFailure("java-llama.cpp could not load the model for the baseline: " + EngineOptions.oneLine(e.getMessage()));
        }
    }

    /// One baseline generation: {tg tokens/s measured like Hearth's (after the first token), outputs}.
    private static double[] baselineRun(LlamaModel model, String prompt, int tokens) {
        long first = 0, last = 0;
        int count = 0;
        for (var output : model.generate(new InferenceParameters(prompt).setTemperature(0).setNPredict(tokens))) {
            long now = System.nanoTime();
            if (count == 0) first = now;
            last = now;
            count++;
        }
        double tps = count > 1 ? (count - 1) * 1e9 / (last - first) : 0;
        return new double[] {tps, count};
    }

    private void report(ModelSummary model, int threads, double loadMs, double ttft, int promptCount, int generated,
            List<Double> pp, List<Double> tg, List<Double> tgNoStats, List<Double> tgBase, int baseGenerated,
            java.io.PrintWriter out) throws Exception {
        if (json) {
            var o = new LinkedHashMap<String, Object>();
            o.put("model", model.path().getFileName().toString());
            o.put("threads", threads);
            o.put("prompt_tokens", promptCount);
            o.put("tokens", generated);
            o.put("repetitions", repetitions);
            o.put("top_logprobs", topLogprobs);
            o.put("load_ms", round(loadMs));
            o.put("ttft_ms", round(ttft));
            o.put("pp_tps", round(median(pp)));
            o.put("tg_tps", round(median(tg)));
            o.put("tg_tps_min", round(min(tg)));
            o.put("tg_tps_max", round(max(tg)));
            if (!tgNoStats.isEmpty()) {
                o.put("tg_tps_without_token_stats", round(median(tgNoStats)));
                o.put("token_stats_ratio", round3(median(tg) / median(tgNoStats)));
            }
            if (!tgBase.isEmpty()) {
                o.put("baseline_tg_tps", round(median(tgBase)));
                o.put("baseline_tokens", baseGenerated);
                o.put("ratio", round3(median(tg) / median(tgBase)));
            }
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.printf(Locale.ROOT, "model %s (%s), %d threads, loaded in %.0f ms%n", model.path().getFileName(),
                    model.description(), threads, loadMs);
            out.printf(Locale.ROOT, "pp %4d: %8.1f tok/s  (min %.1f, max %.1f)%n", promptCount, median(pp), min(pp), max(pp));
            out.printf(Locale.ROOT, "tg %4d: %8.1f tok/s  (min %.1f, max %.1f)  top-logprobs %d%n", generated, median(tg),
                    min(tg), max(tg), topLogprobs);
            if (!tgNoStats.isEmpty())
                out.printf(Locale.ROOT, "tg without token statistics: %.1f tok/s (min %.1f, max %.1f); with/without = %.3f%n",
                        median(tgNoStats), min(tgNoStats), max(tgNoStats), median(tg) / median(tgNoStats));
            if (!tgBase.isEmpty())
                out.printf(Locale.ROOT, "baseline java-llama.cpp generate tg %d: %.1f tok/s (min %.1f, max %.1f); Hearth/baseline = %.3f%n",
                        baseGenerated, median(tgBase), min(tgBase), max(tgBase), median(tg) / median(tgBase));
        }
        out.flush();
    }

    /// The engine worker's cost: its generation speed against llama.cpp in this process, runs interleaved.
    private void reportInProcess(Engine worker, double startMs, List<Double> tg, List<Double> tgInProcess,
            java.io.PrintWriter out) throws Exception {
        double startToReady = worker instanceof EngineClient c ? c.startDuration().toNanos() / 1e6 : startMs;
        double ratio = median(tg) / median(tgInProcess);
        if (json) {
            var o = new LinkedHashMap<String, Object>();
            o.put("worker_start_ms", round(startToReady));
            o.put("in_process_tg_tps", round(median(tgInProcess)));
            o.put("worker_tg_tps", round(median(tg)));
            o.put("worker_ratio", round3(ratio));
            o.put("protocol_cost_percent", round((1 - ratio) * 100));
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.printf(Locale.ROOT, "in-process tg: %.1f tok/s (min %.1f, max %.1f); worker/in-process = %.3f "
                    + "(protocol cost %.1f %%); worker start to ready %.0f ms%n", median(tgInProcess), min(tgInProcess),
                    max(tgInProcess), ratio, (1 - ratio) * 100, startToReady);
        }
        out.flush();
    }

    static double median(List<Double> values) {
        var v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) return 0;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
