package dev.hearth.ui.metrics;

import dev.hearth.inference.library.MemoryBandwidth;
import dev.hearth.storage.Generation;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.ThroughputQuery;
import dev.hearth.storage.ThroughputQuery.Bucket;
import dev.hearth.storage.ThroughputRow;
import dev.hearth.ui.UiTasks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// State of the Metrics section. Every figure comes from the session log's SQL aggregates
/// ([SessionLog#throughput]), so ten thousand runs are a few hundred rows here; the per-token latency reads one
/// generation's tokens. The memory bandwidth is measured once and kept in a file; "Measure again" replaces it.
public final class MetricsViewModel {
    private static final Logger LOG = Logger.getLogger(MetricsViewModel.class.getName());
    /// More points than this in one line and the buckets get wider (hours → days → weeks).
    static final int MAX_POINTS_PER_SERIES = 400;
    /// Lines shown when the section opens; the others are one click away.
    static final int SHOWN_AT_FIRST = 6;
    static final int GENERATIONS_LISTED = 200;

    public enum State { LOADING, READY, EMPTY, FAILED }

    private final SessionLog log;
    private final Path bandwidthFile;
    private final Callable<MemoryBandwidth.Measurement> measure;
    private final Function<Path, OptionalLong> weightBytes;
    private final UiTasks tasks;
    private final Map<String, OptionalLong> weightsByPath = new ConcurrentHashMap<>();

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.LOADING);
    private final ObjectProperty<Metric> metric = new SimpleObjectProperty<>(Metric.GENERATION);
    private final ObjectProperty<Bucket> bucket = new SimpleObjectProperty<>(Bucket.DAY);
    private final BooleanProperty bySampling = new SimpleBooleanProperty(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ObservableList<SeriesChoice> choices = FXCollections.observableArrayList(
            c -> new javafx.beans.Observable[] {c.shownProperty()});
    private final ObservableList<ChartSeries> chart = FXCollections.observableArrayList();
    private final ObservableList<RunGroup> groups = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<MemoryBandwidth.@Nullable Measurement> bandwidth = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper measuring = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper bandwidthText = new ReadOnlyStringWrapper("Memory bandwidth: not measured yet");
    private final ObservableList<GenerationChoice> generations = FXCollections.observableArrayList();
    private final ObjectProperty<@Nullable GenerationChoice> generation = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<TokenLatency> latency = new ReadOnlyObjectWrapper<>(new TokenLatency(List.of()));
    private final ReadOnlyStringWrapper latencySummary = new ReadOnlyStringWrapper("");

    // One read-only view each, kept: the wrapper listens to its list weakly, so a fresh wrapper per call could be
    // collected along with the listeners added to it.
    private final ObservableList<SeriesChoice> choicesView = FXCollections.unmodifiableObservableList(choices);
    private final ObservableList<ChartSeries> chartView = FXCollections.unmodifiableObservableList(chart);
    private final ObservableList<RunGroup> groupsView = FXCollections.unmodifiableObservableList(groups);
    private final ObservableList<GenerationChoice> generationsView = FXCollections.unmodifiableObservableList(generations);

    private List<ThroughputRow> rows = List.of();
    private Map<String, Double> ceilings = Map.of();
    private int loads;

    /// A generation to show the per-token latency of.
    public record GenerationChoice(long id, String label, double tokensPerSecond, String modelPath) {
        @Override
        public String toString() {
            return label;
        }
    }

    /// @param bandwidthFile where the measured bandwidth is kept (in the data folder)
    /// @param measure       measures the bandwidth (blocking, about half a second)
    /// @param weightBytes   the bytes of a model file's weights, empty when it cannot be read
    public MetricsViewModel(SessionLog log, Path bandwidthFile, Callable<MemoryBandwidth.Measurement> measure,
            Function<Path, OptionalLong> weightBytes, UiTasks tasks) {
        this.log = log;
        this.bandwidthFile = bandwidthFile;
        this.measure = measure;
        this.weightBytes = weightBytes;
        this.tasks = tasks;
        metric.addListener((_, _, _) -> rebuildChart());
        choices.addListener((javafx.collections.ListChangeListener<SeriesChoice>) _ -> rebuildChart());
        bucket.addListener((_, _, _) -> refresh());
        bySampling.addListener((_, _, _) -> refresh());
        generation.addListener((_, _, now) -> loadLatency(now));
    }

    /// Reads the kept bandwidth (measuring it when there is none), then the aggregates.
    public void open() {
        tasks.run(() -> MemoryBandwidth.load(bandwidthFile).orElse(null), kept -> {
            if (kept != null) useBandwidth(kept);
            else measureAgain();
        }, e -> LOG.log(Level.WARNING, "the kept bandwidth could not be read", e));
        refresh();
    }

    /// Reads the aggregates and the recent generations again.
    public void refresh() {
        state.set(State.LOADING);
        int load = ++loads;
        var wanted = bucket.get();
        boolean params = bySampling.get();
        tasks.run(() -> read(wanted, params), snapshot -> {
            if (load == loads) apply(snapshot);
        }, e -> {
            if (load != loads) return;
            LOG.log(Level.WARNING, "metrics could not be read", e);
            state.set(State.FAILED);
            message.set("The session log could not be read: " + e.getMessage());
        });
    }

    /// What one refresh read, off the UI thread.
    record Snapshot(Bucket bucket, List<ThroughputRow> rows, List<ThroughputRow> totals, Map<String, OptionalLong> weights,
            Map<String, String> paths, List<GenerationChoice> generations) {}

    private Snapshot read(Bucket wanted, boolean params) {
        var used = wanted;
        var rows = log.throughput(new ThroughputQuery(null, null, null, used, params));
        while (used != Bucket.WEEK && used != Bucket.ALL && longestSeries(rows) > MAX_POINTS_PER_SERIES) {
            used = used == Bucket.HOUR ? Bucket.DAY : Bucket.WEEK;
            rows = log.throughput(new ThroughputQuery(null, null, null, used, params));
        }
        var totals = log.throughput(new ThroughputQuery(null, null, null, Bucket.ALL, params));
        var paths = log.latestModelPaths();
        var weights = new HashMap<String, OptionalLong>();
        for (var entry : paths.entrySet()) weights.put(entry.getKey(), weightsOf(entry.getValue()));
        var gens = new ArrayList<GenerationChoice>();
        var time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());
        for (Generation g : log.recentGenerations(GENERATIONS_LISTED)) {
            if (g.tokenCount() == 0) continue;
            double tps = g.stats() == null ? Double.NaN : g.stats().tokensPerSecond();
            gens.add(new GenerationChoice(g.id(), "%s · %s · %d tokens%s".formatted(time.format(g.run().startedAt()),
                    g.run().modelName(), g.tokenCount(), Double.isFinite(tps) ? " · %.1f tok/s".formatted(tps) : ""),
                    tps, g.run().modelPath()));
        }
        return new Snapshot(used, rows, totals, weights, paths, gens);
    }

    private OptionalLong weightsOf(String path) {
        return weightsByPath.computeIfAbsent(path, p -> {
            try {
                return weightBytes.apply(Path.of(p));
            } catch (RuntimeException e) {
                return OptionalLong.empty();
            }
        });
    }

    private static int longestSeries(List<ThroughputRow> rows) {
        var counts = new HashMap<String, Integer>();
        int most = 0;
        for (var r : rows) most = Math.max(most, counts.merge(SeriesChoice.key(r.modelName(), r.sampling()), 1, Integer::sum));
        return most;
    }

    private void apply(Snapshot s) {
        rows = s.rows();
        weightsKnown = s.weights();
        message.set(s.bucket() != bucket.get()
                ? "Too many " + plural(bucket.get()) + " to draw; showing " + plural(s.bucket()) + "." : "");
        var shownBefore = new HashMap<String, Boolean>();
        for (var c : choices) shownBefore.put(c.key(), c.shownProperty().get());
        var next = new ArrayList<SeriesChoice>();
        var seen = new LinkedHashMap<String, Boolean>();
        for (var r : s.totals()) {
            var key = SeriesChoice.key(r.modelName(), r.sampling());
            if (seen.put(key, true) != null) continue;
            boolean shown = shownBefore.getOrDefault(key, shownBefore.isEmpty() && next.size() < SHOWN_AT_FIRST);
            next.add(new SeriesChoice(r.modelName(), compactParams(r.sampling()), shown));
        }
        choices.setAll(next); // rebuilds the chart
        groups.setAll(s.totals().stream().map(r -> new RunGroup(r.modelName(), compactParams(r.sampling()),
                r.generations(), r.tokensPerSecondMedian(), r.tokensPerSecondP90(), r.promptTokensPerSecondMedian(),
                r.promptTokensPerSecondP90(), r.ttftMsMedian(), r.ttftMsP90(), ceiling(r.modelName()))).toList());
        var selected = generation.get();
        generations.setAll(s.generations());
        if (selected == null || s.generations().stream().noneMatch(g -> g.id() == selected.id())) {
            generation.set(s.generations().isEmpty() ? null : s.generations().getFirst());
        }
        state.set(s.totals().isEmpty() ? State.EMPTY : State.READY);
    }

    private Map<String, OptionalLong> weightsKnown = Map.of();

    private double ceiling(String model) {
        var m = bandwidth.get();
        var weights = weightsKnown.getOrDefault(model, OptionalLong.empty());
        if (m == null || weights.isEmpty() || weights.getAsLong() <= 0) return Double.NaN;
        return m.tokensPerSecondCeiling(weights.getAsLong());
    }

    private static String plural(Bucket b) {
        return switch (b) {
            case HOUR -> "hours";
            case DAY -> "days";
            case WEEK -> "weeks";
            case ALL -> "groups";
        };
    }

    /// `{"temperature":0.8,"topK":40}` → `temperature 0.8, topK 40`.
    static @Nullable String compactParams(@Nullable String json) {
        if (json == null) return null;
        var inner = json.strip();
        if (inner.startsWith("{") && inner.endsWith("}")) inner = inner.substring(1, inner.length() - 1);
        if (inner.isBlank()) return "default";
        return inner.replace("\"", "").replace(":", " ").replace(",", ", ");
    }

    private void rebuildChart() {
        var m = metric.get();
        var shown = new java.util.HashSet<String>();
        for (var c : choices) if (c.shownProperty().get()) shown.add(SeriesChoice.key(c.model(), c.params()));
        var lines = new LinkedHashMap<String, List<ChartSeries.Point>>();
        var labels = new HashMap<String, String>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (var r : rows) {
            var params = compactParams(r.sampling());
            var key = SeriesChoice.key(r.modelName(), params);
            if (!shown.contains(key)) continue;
            double v = m.median(r);
            if (!Double.isFinite(v)) continue;
            long t = r.bucketStart().toEpochMilli();
            first = Math.min(first, t);
            last = Math.max(last, t);
            lines.computeIfAbsent(key, _ -> new ArrayList<>()).add(new ChartSeries.Point(t, v));
            labels.put(key, params == null ? r.modelName() : r.modelName() + " · " + params);
        }
        var out = new ArrayList<ChartSeries>();
        for (var e : lines.entrySet()) out.add(new ChartSeries(labels.get(e.getKey()), e.getValue(), false));
        if (m == Metric.GENERATION && first <= last) {
            var models = new java.util.TreeSet<String>();
            for (var c : choices) if (c.shownProperty().get()) models.add(c.model());
            for (var model : models) {
                double ceiling = ceiling(model);
                if (!Double.isFinite(ceiling)) continue;
                long end = last == first ? first + 1 : last;
                out.add(new ChartSeries("ceiling: " + model, List.of(new ChartSeries.Point(first, ceiling),
                        new ChartSeries.Point(end, ceiling)), true));
            }
        }
        chart.setAll(out);
    }

    // ---- bandwidth ----

    /// Measures the memory bandwidth again (about half a second, off the UI thread) and keeps the figure.
    public void measureAgain() {
        if (measuring.get()) return;
        measuring.set(true);
        bandwidthText.set("Measuring memory bandwidth…");
        tasks.run(() -> {
            var m = measure.call();
            MemoryBandwidth.save(m, bandwidthFile);
            return m;
        }, m -> {
            measuring.set(false);
            useBandwidth(m);
        }, e -> {
            measuring.set(false);
            LOG.log(Level.WARNING, "memory bandwidth measurement failed", e);
            bandwidthText.set("Memory bandwidth could not be measured: " + e.getMessage());
        });
    }

    private void useBandwidth(MemoryBandwidth.Measurement m) {
        bandwidth.set(m);
        bandwidthText.set("Memory bandwidth " + m.describe() + ", measured " + DateTimeFormatter
                .ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault()).format(m.measuredAt())
                + ". Decode on the CPU cannot beat bandwidth ÷ weight bytes; GPU-offloaded runs can.");
        groups.setAll(groups.stream().map(g -> new RunGroup(g.model(), g.params(), g.runs(), g.tokensPerSecondMedian(),
                g.tokensPerSecondP90(), g.promptTokensPerSecondMedian(), g.promptTokensPerSecondP90(), g.ttftMsMedian(),
                g.ttftMsP90(), ceiling(g.model()))).toList());
        rebuildChart();
        summariseLatency();
    }

    // ---- per-token latency ----

    private void loadLatency(@Nullable GenerationChoice choice) {
        if (choice == null) {
            latency.set(new TokenLatency(List.of()));
            latencySummary.set("");
            return;
        }
        tasks.run(() -> TokenLatency.of(log.tokens(choice.id())), l -> {
            if (generation.get() != choice) return;
            latency.set(l);
            summariseLatency();
        }, e -> latencySummary.set("The tokens could not be read: " + e.getMessage()));
    }

    private void summariseLatency() {
        var choice = generation.get();
        var l = latency.get();
        if (choice == null || l.millis().isEmpty()) {
            latencySummary.set("");
            return;
        }
        var text = new StringBuilder("%d tokens · median %.1f ms · p90 %.1f ms per token".formatted(
                l.millis().size(), l.percentile(50), l.percentile(90)));
        var m = bandwidth.get();
        var weights = weightsByPath.getOrDefault(choice.modelPath(), OptionalLong.empty());
        if (m != null && weights.isPresent() && weights.getAsLong() > 0 && Double.isFinite(choice.tokensPerSecond())) {
            double ceiling = m.tokensPerSecondCeiling(weights.getAsLong());
            text.append(" · %.1f tok/s = %.0f %% of the %.1f tok/s ceiling".formatted(
                    choice.tokensPerSecond(), 100 * choice.tokensPerSecond() / ceiling, ceiling));
        }
        latencySummary.set(text.toString());
    }

    // ---- export ----

    /// The runs table as CSV (a header line, then one line per model and parameter set).
    public String tableCsv() {
        var out = new StringBuilder("model,params,runs,gen_tok_s_median,gen_tok_s_p90,prompt_tok_s_median,"
                + "prompt_tok_s_p90,ttft_ms_median,ttft_ms_p90,ceiling_tok_s,efficiency\n");
        for (var g : groups) {
            out.append(csv(g.model())).append(',').append(csv(g.params() == null ? "" : g.params())).append(',')
                    .append(g.runs());
            for (double v : new double[] {g.tokensPerSecondMedian(), g.tokensPerSecondP90(),
                    g.promptTokensPerSecondMedian(), g.promptTokensPerSecondP90(), g.ttftMsMedian(), g.ttftMsP90(),
                    g.ceilingTokensPerSecond(), g.efficiency()}) {
                out.append(',').append(number(v));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /// The lines of the chart as CSV: series, bucket start (ISO-8601), value of the chosen metric.
    public String seriesCsv() {
        var out = new StringBuilder("series,bucket_start," + metric.get().name().toLowerCase(Locale.ROOT) + "_median\n");
        for (var s : chart) {
            for (var p : s.points()) {
                out.append(csv(s.label())).append(',').append(java.time.Instant.ofEpochMilli(p.epochMillis()))
                        .append(',').append(number(p.value())).append('\n');
            }
        }
        return out.toString();
    }

    /// Writes `csv` to `file` off the UI thread; the outcome is in [#messageProperty()].
    public void export(String csv, Path file) {
        tasks.run(() -> Files.writeString(file, csv, StandardCharsets.UTF_8),
                _ -> message.set("Saved " + file.getFileName() + "."),
                e -> message.set("Could not save " + file.getFileName() + ": " + e.getMessage()));
    }

    /// Encodes `image` (the chart's snapshot) as PNG into `file` off the UI thread.
    public void exportImage(java.awt.image.BufferedImage image, Path file) {
        tasks.run(() -> {
            ChartImage.write(image, file);
            return file;
        }, _ -> message.set("Saved " + file.getFileName() + "."),
                e -> message.set("Could not save " + file.getFileName() + ": " + e.getMessage()));
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "";
    }

    // ---- properties ----

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ObjectProperty<Metric> metricProperty() {
        return metric;
    }

    public ObjectProperty<Bucket> bucketProperty() {
        return bucket;
    }

    public BooleanProperty bySamplingProperty() {
        return bySampling;
    }

    /// A line about the last refresh or export ("Saved runs.csv.", "Too many hours to draw; showing days.").
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /// Every model (and parameter set) in the log; each can be shown in the chart or not.
    public ObservableList<SeriesChoice> seriesChoices() {
        return choicesView;
    }

    /// The lines to draw: the shown choices for the chosen metric, plus their ceilings for generation speed.
    public ObservableList<ChartSeries> chart() {
        return chartView;
    }

    public ObservableList<RunGroup> groups() {
        return groupsView;
    }

    public ReadOnlyObjectProperty<MemoryBandwidth.@Nullable Measurement> bandwidthProperty() {
        return bandwidth.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty bandwidthTextProperty() {
        return bandwidthText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty measuringProperty() {
        return measuring.getReadOnlyProperty();
    }

    /// Recent generations that kept tokens, newest first.
    public ObservableList<GenerationChoice> generations() {
        return generationsView;
    }

    public ObjectProperty<@Nullable GenerationChoice> generationProperty() {
        return generation;
    }

    public ReadOnlyObjectProperty<TokenLatency> latencyProperty() {
        return latency.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty latencySummaryProperty() {
        return latencySummary.getReadOnlyProperty();
    }
}
