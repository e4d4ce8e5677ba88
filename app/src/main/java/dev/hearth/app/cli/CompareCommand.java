package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.app.DataFolders;
import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Engines;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.chat.EngineChatFormatter;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.StorageException;
import dev.hearth.ui.GenerationRecorder;
import dev.hearth.ui.compare.CompareVariant;
import dev.hearth.ui.compare.ExperimentPlan;
import dev.hearth.ui.compare.ExperimentSetup;
import dev.hearth.ui.compare.VariantSummary;
import dev.hearth.ui.engine.LoadEstimator;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.Machine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `hearth compare`: one prompt through several variants (model + load and sampling options), one after another,
/// with each variant's output and a table of figures; recorded in the session log as an experiment (the Compare
/// section reopens it). Scheduling, seeds, the memory check and the statistics are the Compare section's own
/// ([ExperimentPlan], [ExperimentSetup], [VariantSummary]).
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Run one prompt through several variants (models and settings) and compare the outputs.",
        description = {
            "Runs --prompt (with {{name}} placeholders filled from --var) through each --variant, --repeat times "
                    + "(seed, seed+1, …), prints each output and a table: tokens, tok/s, time to first token, stop "
                    + "reason, mean token logprob and perplexity of the output (with repeats: median and min–max). "
                    + "The prompt goes through each model's chat template, after the variant's system prompt.",
            "A variant is KEY=VALUE pairs separated by commas: model=FILE (required), label=TEXT, system=TEXT, "
                    + "max-tokens=N, engine=NAME (hearth engines list; the same model can run on two engines side by side), "
                    + "the load options gpu-layers, ctx, threads, batch, ubatch, flash-attn, kv-type, "
                    + "no-mmap, mlock, and the sampling options temperature, top-k, top-p, min-p, repeat-penalty, "
                    + "typical-p, frequency-penalty, presence-penalty, repeat-last-n, seed (as `hearth run` takes "
                    + "them; _ works for -). A variant without seed gets a random one. Variants with the same model, "
                    + "engine and load options share one engine worker; models run one after another, after a check that the "
                    + "largest fits in free memory.",
            "With --json, stdout gets JSON Lines: one {\"type\":\"run\",…} object per output, then one "
                    + "{\"type\":\"summary\",…}. The experiment is recorded in the session log (--no-log skips it)."
        })
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--prompt", required = true, paramLabel = "TEXT|-",
            description = "The prompt, with {{name}} placeholders; - reads it from stdin.")
    String prompt;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A placeholder's value; repeatable.")
    List<String> vars = new ArrayList<>();

    @Option(names = "--variant", required = true, paramLabel = "KEY=VALUE,…",
            description = "A variant, e.g. \"model=a.gguf,temperature=0.2,seed=1\"; repeat for each (1–"
                    + ExperimentSetup.MAX_VARIANTS + ").")
    List<String> variants = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Outputs per variant, seed + 0 … N-1, 1–" + ExperimentSetup.MAX_REPEATS + " (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "256",
            description = "Most tokens per output, unless a variant says max-tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--name", paramLabel = "TEXT", defaultValue = "hearth compare",
            description = "The experiment's name in the session log (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--json", description = "Print JSON Lines: one object per output, then a summary.")
    boolean json;

    @Option(names = "--no-log", description = "Do not record the experiment in the session log.")
    boolean noLog;

    @Option(names = "--native-lib", paramLabel = "FILE",
            description = "A llama.cpp library file to use instead of the bundled one.")
    @Nullable Path nativeLib;

    @Option(names = "--in-process",
            description = "Run llama.cpp in this process instead of engine worker processes.")
    boolean inProcess;

    @Spec CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper();
    /// Variant keys that are command-wide, not per variant.
    private static final List<String> NOT_VARIANT_KEYS = List.of("native-lib", "in-process", "help", "version");

    /// One variant's keys, parsed by the same options `hearth run` takes.
    @Command(name = "variant")
    static final class VariantArgs {
        @Mixin EngineOptions engine;
        @Mixin SamplingOptions sampling;

        @Option(names = "--max-tokens") @Nullable Integer maxTokens;

        @Option(names = "--label") @Nullable String label;

        @Option(names = "--system") String system = "";
    }

    /// A parsed variant and the options that open its engine.
    record Parsed(CompareVariant variant, EngineOptions engine) {}

    /// One output's figures and text.
    record Run(int variant, int repeat, long seed, String output, GenerationStats stats, double logprobSum,
            int logprobCount, @Nullable Long generationId) {
        VariantSummary.Output output(String stop) {
            return new VariantSummary.Output(true, stats.generatedTokens(), stats.generationTokensPerSecond(),
                    stats.timeToFirstTokenMs(), stop, logprobSum, logprobCount, null);
        }
    }

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        String text = "-".equals(prompt) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : prompt;
        var given = vars(vars);
        var parsed = new ArrayList<Parsed>();
        for (int i = 0; i < variants.size(); i++) parsed.add(parse(i, variants.get(i)));
        ExperimentSetup setup;
        List<Map<String, String>> rows;
        try {
            setup = new ExperimentSetup(name, text, ExperimentSetup.valuesLine(text, given), repeat,
                    parsed.stream().map(Parsed::variant).toList());
            rows = setup.rows();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
        var userText = setup.template().fill(rows.getFirst());
        var plan = ExperimentPlan.forVariants(setup.variants(), ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER,
                Runtime.getRuntime().availableProcessors());

        var runs = new ArrayList<Run>();
        Engine engine = null;
        try (var log = noLog ? null : openLog(err)) {
            ExperimentSetup.Stored stored = null;
            for (var group : plan.groups()) {
                var first = parsed.get(group.variants().getFirst()).engine();
                engine = first.open();
                if (runs.isEmpty()) { // the first engine tells the machine: check every load before any loads
                    var check = plan.memory(LoadEstimator.READING_FILES, Machine.of(engine.capabilities()), _ -> false);
                    if (!check.fits()) throw new CliFailure(check.sentence(), 1);
                    if (log != null) stored = setup.storeNew(log);
                }
                var summary = first.load(engine, group.request().options());
                var formatter = EngineChatFormatter.of(engine, summary, Engines.builtinChatFormatter(first.nativeLibrary()));
                for (int index : group.variants()) {
                    var variant = setup.variants().get(index);
                    var rendered = formatter.promptFor(ExperimentSetup.conversation(variant, userText));
                    for (int k = 0; k < repeat; k++) {
                        var run = generate(engine, log, stored == null ? null : stored.variantIds().get(index),
                                group.request(), index, k, variant, rendered);
                        runs.add(run);
                        if (!json) printOutput(out, variant, run);
                        else out.println(runLine(variant, run));
                        out.flush();
                    }
                }
                engine.close();
                engine = null;
            }
            var summaries = new ArrayList<VariantSummary>();
            for (int i = 0; i < setup.variants().size(); i++) {
                int index = i;
                summaries.add(VariantSummary.of(setup.variants().get(i).label(), runs.stream()
                        .filter(r -> r.variant() == index).map(r -> r.output(r.stats().stopReason().wireName())).toList()));
            }
            if (json) {
                out.println(summaryLine(summaries, stored, plan.groups().size()));
            } else {
                out.print(table(setup, runs, summaries));
                if (stored != null) err.println("Recorded as experiment #" + stored.experimentId() + " (the Compare section reopens it).");
            }
            out.flush();
            err.flush();
            return 0;
        } finally {
            if (engine != null) engine.close();
        }
    }

    private Run generate(Engine engine, @Nullable SessionLog log, @Nullable Long variantId, LoadRequest request,
            int index, int k, CompareVariant variant, String rendered) {
        var sampling = ExperimentPlan.sampling(variant.sampling(), k);
        var recorder = log == null ? null : GenerationRecorder.start(log, null, variantId, request.model(),
                engine.capabilities().libraryBuild(), (inProcess ? "in-process" : "worker")
                        + (request.engine() != null ? ":" + request.engine() : ""), request.options(), sampling,
                rendered, engine.tokenize(rendered, true, true).size());
        var output = new StringBuilder();
        double[] logprob = {0};
        int[] count = {0};
        try {
            var stats = engine.generate(new GenerationRequest(rendered, sampling).withTruncateLeft(true), event -> {
                if (event instanceof GenerationEvent.Token t) {
                    output.append(t.text());
                    logprob[0] += t.logprob();
                    count[0]++;
                    if (recorder != null) recorder.token(t);
                }
            });
            if (recorder != null) recorder.finish(stats);
            return new Run(index, k, sampling.seed(), output.toString(), stats, logprob[0], count[0],
                    recorder == null ? null : recorder.id());
        } catch (EngineException e) {
            var failure = EngineOptions.failure(e);
            if (recorder != null) recorder.fail(failure.getMessage());
            throw new CliFailure(variant.label() + ": " + failure.getMessage(), failure.exitCode());
        }
    }

    private static @Nullable SessionLog openLog(PrintWriter err) {
        try {
            return SqliteSessionLog.open(DataFolders.fromEnvironment().database());
        } catch (StorageException e) {
            err.println("hearth: note: this experiment is not recorded in the session log: " + Cli.describe(e));
            return null;
        }
    }

    // ---- parsing ------------------------------------------------------------------------------------------------

    static Map<String, String> vars(List<String> given) {
        var map = new LinkedHashMap<String, String>();
        for (var v : given) {
            int eq = v.indexOf('=');
            if (eq <= 0) throw new CliFailure("--var needs NAME=VALUE, got '" + v + "'", 2);
            var key = v.substring(0, eq).strip();
            if (map.put(key, v.substring(eq + 1)) != null) throw new CliFailure("--var " + key + " is given twice", 2);
        }
        return map;
    }

    /// Parses `--variant` number `index` with the options `hearth run` takes for the same keys.
    Parsed parse(int index, String text) {
        var where = "--variant " + (index + 1);
        var args = new VariantArgs();
        var cli = new CommandLine(args);
        var keys = new TreeSet<String>();
        var flags = new TreeSet<String>();
        for (var option : cli.getCommandSpec().options()) {
            var key = option.longestName().substring(2);
            if (NOT_VARIANT_KEYS.contains(key)) continue;
            keys.add(key);
            if (option.typeInfo().isBoolean()) flags.add(key);
        }
        var argv = new ArrayList<String>();
        var seen = new TreeSet<String>();
        for (var pair : splitPairs(text)) {
            int eq = pair.indexOf('=');
            var key = (eq < 0 ? pair : pair.substring(0, eq)).strip().toLowerCase(Locale.ROOT).replace('_', '-');
            var value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (key.isEmpty()) continue;
            if (!keys.contains(key)) {
                throw new CliFailure(where + ": unknown key '" + key + "' (keys: " + String.join(", ", keys) + ")", 2);
            }
            if (!seen.add(key)) throw new CliFailure(where + ": " + key + " is given twice", 2);
            if (flags.contains(key)) {
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "", "true", "yes", "1" -> argv.add("--" + key);
                    case "false", "no", "0" -> { }
                    default -> throw new CliFailure(where + ": " + key + " is true or false, got '" + value + "'", 2);
                }
            } else {
                if (eq < 0) throw new CliFailure(where + ": " + key + " needs a value (" + key + "=…)", 2);
                argv.add("--" + key + "=" + value);
            }
        }
        if (!seen.contains("model")) throw new CliFailure(where + " has no model=FILE", 2);
        try {
            cli.parseArgs(argv.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new CliFailure(where + ": " + Cli.describe(e).replace("'--", "'"), 2);
        }
        var engine = args.engine;
        engine.nativeLib = nativeLib;
        engine.inProcess = inProcess;
        var model = engine.modelPath().toAbsolutePath();
        if (!Files.isRegularFile(model)) throw new CliFailure(where + ": no model file " + model, 2);
        dev.hearth.inference.LoadOptions load;
        dev.hearth.inference.Sampling sampling;
        try {
            load = engine.loadOptions();
            sampling = args.sampling.sampling(args.maxTokens != null ? args.maxTokens : maxTokens);
        } catch (CliFailure e) { // the same rules as `hearth run`, named as variant keys
            throw new CliFailure(where + ": " + e.getMessage().replace("--", ""), 2);
        }
        var fileName = String.valueOf(model.getFileName());
        var label = args.label != null && !args.label.isBlank() ? args.label.strip() : (index + 1) + " " + fileName;
        try {
            // the engine is part of the request, so variants on different engines never share a worker
            var engineName = nativeLib == null ? engine.engine().name() : null;
            return new Parsed(new CompareVariant(label, new LoadRequest(model, load, engineName), sampling, args.system), engine);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(where + ": " + e.getMessage(), 2);
        }
    }

    /// `a=1,b=2` split at commas; `\,` keeps a comma in a value.
    static List<String> splitPairs(String text) {
        var pairs = new ArrayList<String>();
        var current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                pairs.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        pairs.add(current.toString());
        return pairs;
    }

    // ---- printing -----------------------------------------------------------------------------------------------

    private void printOutput(PrintWriter out, CompareVariant variant, Run run) {
        out.println("== " + variant.label() + (repeat > 1 ? " · repeat " + (run.repeat() + 1) : "") + " · seed "
                + run.seed() + " ==");
        out.println(run.output());
        out.println();
    }

    private ObjectNode runLine(CompareVariant variant, Run run) {
        var o = JSON.createObjectNode();
        var s = run.stats();
        o.put("type", "run");
        o.put("variant", variant.label());
        o.put("model", String.valueOf(variant.load().model().getFileName()));
        o.put("repeat", run.repeat());
        o.put("seed", run.seed());
        o.put("output", run.output());
        o.put("tokens", s.generatedTokens());
        o.put("tokens_per_second", round(s.generationTokensPerSecond()));
        o.put("ttft_ms", round(s.timeToFirstTokenMs()));
        o.put("stop", s.stopReason().wireName());
        var out = run.output(s.stopReason().wireName());
        number(o, "mean_logprob", out.meanLogprob());
        number(o, "perplexity", out.perplexity());
        if (run.generationId() != null) o.put("generation_id", run.generationId());
        return o;
    }

    private static ObjectNode summaryLine(List<VariantSummary> summaries, ExperimentSetup.@Nullable Stored stored,
            int engines) {
        var o = JSON.createObjectNode();
        o.put("type", "summary");
        if (stored != null) o.put("experiment_id", stored.experimentId());
        o.put("engines", engines);
        var list = o.putArray("variants");
        for (var s : summaries) {
            var v = list.addObject();
            v.put("variant", s.label());
            v.put("outputs", s.outputs());
            spread(v.putObject("tokens"), s.tokensMedian(), s.tokensMin(), s.tokensMax());
            spread(v.putObject("tokens_per_second"), s.tokensPerSecondMedian(), s.tokensPerSecondMin(), s.tokensPerSecondMax());
            spread(v.putObject("ttft_ms"), s.ttftMedianMs(), s.ttftMinMs(), s.ttftMaxMs());
            var stops = v.putObject("stop");
            s.stopReasons().forEach(stops::put);
            number(v, "mean_logprob", s.meanLogprob());
            number(v, "perplexity", s.perplexity());
        }
        return o;
    }

    private static void spread(ObjectNode o, double median, double min, double max) {
        number(o, "median", median);
        number(o, "min", min);
        number(o, "max", max);
    }

    private static void number(ObjectNode o, String field, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) o.putNull(field);
        else o.put(field, round(v));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /// The figures as a plain table: a line per output, or with repeats a line per variant with median (min–max).
    private String table(ExperimentSetup setup, List<Run> runs, List<VariantSummary> summaries) {
        var header = List.of("Variant", "Tokens", "tok/s", "TTFT ms", "Stop", "Mean logprob", "Perplexity");
        var lines = new ArrayList<List<String>>();
        if (repeat == 1) {
            for (int i = 0; i < setup.variants().size(); i++) {
                for (var r : runs) {
                    if (r.variant() != i) continue;
                    var o = r.output(r.stats().stopReason().wireName());
                    lines.add(List.of(setup.variants().get(i).label(), String.valueOf(o.tokens()),
                            fmt("%.1f", o.tokensPerSecond()), fmt("%.0f", o.ttftMs()), o.stopReason(),
                            fmt("%.3f", o.meanLogprob()), fmt("%.2f", o.perplexity())));
                }
            }
        } else {
            for (var s : summaries) {
                lines.add(List.of(s.label(), spread("%.0f", s.tokensMedian(), s.tokensMin(), s.tokensMax()),
                        spread("%.1f", s.tokensPerSecondMedian(), s.tokensPerSecondMin(), s.tokensPerSecondMax()),
                        spread("%.0f", s.ttftMedianMs(), s.ttftMinMs(), s.ttftMaxMs()),
                        s.stopReasons().entrySet().stream().map(e -> e.getKey() + "×" + e.getValue())
                                .collect(Collectors.joining(" ")),
                        fmt("%.3f", s.meanLogprob()), fmt("%.2f", s.perplexity())));
            }
        }
        var widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (var l : lines) widths[c] = Math.max(widths[c], l.get(c).length());
        }
        var sb = new StringBuilder();
        if (repeat > 1) sb.append("Medians over ").append(repeat).append(" outputs (min–max)\n");
        row(sb, header, widths);
        for (var l : lines) row(sb, l, widths);
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) sb.append("  ");
            var cell = cells.get(c);
            sb.append(c == 0 || c == 4 ? String.format(Locale.ROOT, "%-" + widths[c] + "s", cell)
                    : String.format(Locale.ROOT, "%" + widths[c] + "s", cell));
        }
        sb.append('\n');
    }

    private static String spread(String pattern, double median, double min, double max) {
        return fmt(pattern, median) + " (" + fmt(pattern, min) + "–" + fmt(pattern, max) + ")";
    }

    private static String fmt(String pattern, double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, pattern, v);
    }
}
