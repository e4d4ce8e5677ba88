package dev.hearth.ui.compare;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.StopReason;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.EngineChatFormatter;
import dev.hearth.storage.Experiment;
import dev.hearth.storage.Generation;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.Token;
import dev.hearth.ui.FrameCoalescer;
import dev.hearth.ui.GenerationRecorder;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.engine.EngineFailures;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.history.Comparison;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// The Compare section's state and commands. An experiment is a prompt with `{{variables}}`, a table of values (one
/// row per value set) and 1–4 variants; [#run()] records it in the session log (an experiment, its variants, and one
/// generation per variant × row × repeat, each with its variant's id) and streams every output into its
/// [CompareCell], one [Column] per variant.
///
/// Scheduling: variants with the same model and load options share one engine (a worker process in the app, from the
/// injected factory); different models get their own. [Scheduling#ONE_AFTER_ANOTHER] runs one model's variants,
/// frees its engine and goes on with the next (one model in memory at a time); [Scheduling#CONCURRENT] runs every
/// model at once with the machine's threads split between them, and keeps the engines for re-runs. A column can be
/// cancelled or re-run on its own. Nothing here blocks the UI thread; tokens reach cells at most once per frame.
public final class CompareViewModel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CompareViewModel.class.getName());
    private static final Json JSON = new Json();
    /// The most variants an experiment runs side by side.
    public static final int MAX_VARIANTS = 4;
    /// The most repeats one run makes.
    public static final int MAX_REPEATS = 20;

    /// How different models share the machine.
    public enum Scheduling { ONE_AFTER_ANOTHER, CONCURRENT }

    /// Whether anything is running.
    public enum State { IDLE, RUNNING }

    private final Supplier<? extends Engine> engines;
    private final SessionLog log;
    private final BuiltinChatFormatter builtin;
    private final UiTasks tasks;
    private final int cores;

    private final StringProperty name = new SimpleStringProperty("Experiment");
    private final StringProperty prompt = new SimpleStringProperty("");
    private final StringProperty values = new SimpleStringProperty("");
    private final IntegerProperty repeats = new SimpleIntegerProperty(1);
    private final ObjectProperty<Scheduling> scheduling = new SimpleObjectProperty<>(Scheduling.ONE_AFTER_ANOTHER);
    private final ObservableList<CompareVariant> variants = FXCollections.observableArrayList();
    private final ObservableList<Column> columns = FXCollections.observableArrayList();
    private final ObservableList<Column> readOnlyColumns = FXCollections.unmodifiableObservableList(columns);
    private final ObservableList<Map<String, String>> rows = FXCollections.observableArrayList();
    private final ObservableList<Experiment> saved = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final ReadOnlyObjectWrapper<@Nullable Long> experimentId = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");

    /// Engines by the load request they hold (background threads, under `slots`).
    private final Map<LoadRequest, Slot> slots = new HashMap<>();
    private int running;
    private Scheduling runScheduling = Scheduling.ONE_AFTER_ANOTHER;

    /// @param engines makes a new engine (the app starts a worker process)
    /// @param cores   the threads to split between models run concurrently
    public CompareViewModel(Supplier<? extends Engine> engines, SessionLog log, BuiltinChatFormatter builtin,
            UiTasks tasks, int cores) {
        this.engines = engines;
        this.log = log;
        this.builtin = builtin;
        this.tasks = tasks;
        this.cores = Math.max(1, cores);
    }

    // ------------------------------------------------------------------ state

    /// One variant's outputs: a cell per row of values and repeat, row-major.
    public static final class Column {
        private final int index;
        private final CompareVariant variant;
        private final List<CompareCell> cells;
        private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
        private volatile long variantId;
        private volatile boolean cancelled;

        Column(int index, CompareVariant variant, int rows, int repeats) {
            this.index = index;
            this.variant = variant;
            var list = new ArrayList<CompareCell>();
            for (int r = 0; r < rows; r++) for (int k = 0; k < repeats; k++) list.add(new CompareCell(index, r, k));
            this.cells = List.copyOf(list);
        }

        public int index() {
            return index;
        }

        public CompareVariant variant() {
            return variant;
        }

        public List<CompareCell> cells() {
            return cells;
        }

        /// The column's cells for one row of values, one per repeat.
        public List<CompareCell> cells(int row) {
            return cells.stream().filter(c -> c.row() == row).toList();
        }

        public ReadOnlyObjectProperty<State> stateProperty() {
            return state.getReadOnlyProperty();
        }

        /// The variant's id in the session log (0 before it is stored).
        public long variantId() {
            return variantId;
        }
    }

    /// The experiment's name (stored with it).
    public StringProperty nameProperty() {
        return name;
    }

    /// The prompt, with `{{variables}}`.
    public StringProperty promptProperty() {
        return prompt;
    }

    /// The table of values, as [ValueTable] reads it.
    public StringProperty valuesProperty() {
        return values;
    }

    /// How many times each output is made (seed, seed + 1, …), 1–[#MAX_REPEATS].
    public IntegerProperty repeatsProperty() {
        return repeats;
    }

    public ObjectProperty<Scheduling> schedulingProperty() {
        return scheduling;
    }

    /// The variants of the next run (editable).
    public ObservableList<CompareVariant> variants() {
        return variants;
    }

    /// The columns of the last run (or of the experiment reopened), one per variant.
    public ObservableList<Column> columns() {
        return readOnlyColumns;
    }

    /// The rows of values of the last run.
    public ObservableList<Map<String, String>> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /// The experiment shown, once stored.
    public ReadOnlyObjectProperty<@Nullable Long> experimentIdProperty() {
        return experimentId.getReadOnlyProperty();
    }

    /// Why the last command did nothing or failed; empty when all is well.
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    // ------------------------------------------------------------------ commands

    /// Runs the experiment as set up now: stores it, then streams every output.
    public void run() {
        if (state.get() == State.RUNNING) return;
        var template = new PromptTemplate(prompt.get());
        List<Map<String, String>> table;
        try {
            if (prompt.get().isBlank()) throw new IllegalArgumentException("write a prompt first");
            if (variants.isEmpty()) throw new IllegalArgumentException("add a variant first");
            if (variants.size() > MAX_VARIANTS) throw new IllegalArgumentException("at most " + MAX_VARIANTS + " variants");
            if (repeats.get() < 1 || repeats.get() > MAX_REPEATS) {
                throw new IllegalArgumentException("repeat 1 to " + MAX_REPEATS + " times");
            }
            table = ValueTable.parse(template.variables(), values.get());
            for (var row : table) template.fill(row);
        } catch (IllegalArgumentException e) {
            notice.set("Cannot run: " + e.getMessage() + ".");
            return;
        }
        notice.set("");
        var setup = List.copyOf(variants);
        int repeat = repeats.get();
        var made = new ArrayList<Column>();
        for (int i = 0; i < setup.size(); i++) made.add(new Column(i, setup.get(i), table.size(), repeat));
        rows.setAll(table);
        columns.setAll(made);
        runScheduling = scheduling.get();
        String experimentName = name.get().isBlank() ? "Experiment" : name.get().strip();
        String promptText = prompt.get();
        String valuesText = values.get();
        made.forEach(c -> started(c));
        tasks.run(() -> {
            long id = log.createExperiment(experimentName, null);
            for (var c : made) {
                var settings = new LinkedHashMap<>(c.variant().settings());
                settings.put("prompt", promptText);
                settings.put("values", valuesText);
                settings.put("repeats", repeat);
                c.variantId = log.addVariant(id, c.variant().label(), settings);
            }
            return id;
        }, id -> {
            experimentId.set(id);
            schedule(made, template);
        }, e -> {
            LOG.log(Level.WARNING, "the experiment could not be stored", e);
            notice.set("The experiment could not be stored: " + e.getMessage());
            made.forEach(this::ended);
        });
    }

    /// Stops one column: its running output stops (recorded as cancelled), its waiting outputs are skipped; the
    /// other columns go on.
    public void cancel(Column column) {
        column.cancelled = true;
        synchronized (slots) {
            for (var slot : slots.values()) {
                if (slot.current == column && slot.engine != null) slot.engine.cancel();
            }
        }
    }

    /// Stops every column.
    public void cancelAll() {
        columns.forEach(this::cancel);
    }

    /// Runs one column again (new generations in the same experiment and variant); the others are left alone.
    public void rerun(Column column) {
        if (column.state.get() == State.RUNNING || column.variantId == 0 || !columns.contains(column)) return;
        var template = new PromptTemplate(prompt.get());
        column.cancelled = false;
        started(column);
        tasks.run(() -> {
            runColumn(column, template);
            if (runScheduling == Scheduling.ONE_AFTER_ANOTHER && noOtherRunning(column)) freeSlot(requestFor(column));
            return column;
        }, this::ended, e -> failedColumn(column, e));
    }

    /// Rates an output: 1 (👍), -1 (👎) or 0 (no rating).
    public void rate(CompareCell cell, int score) {
        var id = cell.generationId();
        if (id == null) return;
        tasks.run(() -> {
            log.rate(id, score);
            return score;
        }, s -> cell.rated(s == 0 ? null : s), e -> notice.set("The rating could not be saved: " + e.getMessage()));
    }

    /// Adds a note to an output (stored with its generation; the latest note is shown).
    public void note(CompareCell cell, String text) {
        var id = cell.generationId();
        var t = text.strip();
        if (id == null || t.isEmpty()) return;
        tasks.run(() -> log.addNote(null, id, t), _ -> cell.noted(t),
                e -> notice.set("The note could not be saved: " + e.getMessage()));
    }

    /// The word diff between the first outputs of two columns for one row of values (left's words struck, right's
    /// added).
    public List<Comparison.Piece> diff(int leftColumn, int rightColumn, int row, int repeat) {
        return Comparison.diff(cell(leftColumn, row, repeat).text(), cell(rightColumn, row, repeat).text());
    }

    /// The output of a column for a row and repeat.
    public CompareCell cell(int column, int row, int repeat) {
        return columns.get(column).cells().stream().filter(c -> c.row() == row && c.repeat() == repeat).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no output at row " + row + ", repeat " + repeat));
    }

    /// One line per column, over its finished outputs.
    public List<VariantSummary> summary() {
        return columns.stream().map(c -> VariantSummary.of(c.variant().label(), c.cells())).toList();
    }

    /// The experiments in the session log, newest first ([#refreshSaved()] reads them).
    public ObservableList<Experiment> saved() {
        return saved;
    }

    /// Reads the saved experiments again (the latest 100), off the FX thread.
    public void refreshSaved() {
        tasks.run(() -> log.experiments(100), saved::setAll, e -> notice.set("The saved experiments cannot be read: " + e.getMessage()));
    }

    /// Reopens a stored experiment: its setup (prompt, values, variants) and, for each output, its latest generation.
    public void open(long id) {
        if (state.get() == State.RUNNING) return;
        tasks.run(() -> load(id), loaded -> {
            var first = loaded.experiment().variants().getFirst().settings();
            name.set(loaded.experiment().name());
            prompt.set(first.get("prompt") instanceof String p ? p : "");
            values.set(first.get("values") instanceof String v ? v : "");
            repeats.set(loaded.repeats());
            variants.setAll(loaded.columns().stream().map(Column::variant).toList());
            rows.setAll(loaded.rows());
            columns.setAll(loaded.columns());
            for (var restore : loaded.cells()) restore.run();
            experimentId.set(id);
            notice.set("");
        }, e -> {
            LOG.log(Level.WARNING, "experiment " + id + " could not be read", e);
            notice.set("The experiment could not be opened: " + e.getMessage());
        });
    }

    /// Frees every engine.
    @Override
    public void close() {
        cancelAll();
        List<Slot> all;
        synchronized (slots) {
            all = List.copyOf(slots.values());
            slots.clear();
        }
        for (var slot : all) slot.close();
    }

    // ------------------------------------------------------------------ running

    /// An engine with one model loaded with one set of options; generations on it take turns (`this` is the lock).
    private static final class Slot {
        final LoadRequest request;
        @Nullable Engine engine;
        @Nullable EngineChatFormatter formatter;
        /// The column generating now (guarded by the view model's `slots`).
        @Nullable Column current;
        /// Freed: a generation that finds it so takes a fresh slot.
        boolean closed;

        Slot(LoadRequest request) {
            this.request = request;
        }

        synchronized void close() {
            closed = true;
            var e = engine;
            engine = null;
            formatter = null;
            if (e != null) {
                try {
                    e.close();
                } catch (RuntimeException ex) {
                    LOG.log(Level.FINE, "closing an engine", ex);
                }
            }
        }
    }

    private void schedule(List<Column> made, PromptTemplate template) {
        // the columns of each distinct model and load options, in the order they first appear
        var groups = new LinkedHashMap<LoadRequest, List<Column>>();
        for (var c : made) groups.computeIfAbsent(c.variant().load(), _ -> new ArrayList<>()).add(c);
        if (runScheduling == Scheduling.CONCURRENT) {
            for (var group : groups.values()) {
                tasks.run(() -> {
                    for (var c : group) runAndEnd(c, template);
                    return group;
                }, _ -> {}, e -> group.forEach(c -> failedColumn(c, e)));
            }
        } else {
            tasks.run(() -> {
                for (var group : groups.values()) {
                    for (var c : group) runAndEnd(c, template);
                    freeSlot(requestFor(group.getFirst()));
                }
                return groups;
            }, _ -> {}, e -> made.forEach(c -> failedColumn(c, e)));
        }
    }

    private void runAndEnd(Column c, PromptTemplate template) {
        try {
            runColumn(c, template);
            tasks.post(() -> ended(c));
        } catch (RuntimeException e) {
            tasks.post(() -> failedColumn(c, e));
        }
    }

    /// The load request a column's engine gets: concurrent runs split the machine's threads between the models.
    private LoadRequest requestFor(Column c) {
        var load = c.variant().load();
        if (runScheduling != Scheduling.CONCURRENT) return load;
        long models = columns.stream().map(x -> x.variant().load()).distinct().count();
        int threads = Math.max(1, cores / (int) Math.max(1, models));
        return new LoadRequest(load.model(), load.options().withThreads(threads).withBatchThreads(threads));
    }

    private void freeSlot(LoadRequest request) {
        Slot slot;
        synchronized (slots) {
            slot = slots.remove(request);
        }
        if (slot != null) slot.close();
    }

    /// Runs every cell of a column, one after another (background thread).
    private void runColumn(Column column, PromptTemplate template) {
        var table = List.copyOf(rows);
        var request = requestFor(column);
        for (var cell : column.cells()) tasks.post(cell::waiting);
        for (var cell : column.cells()) {
            if (column.cancelled) {
                tasks.post(() -> cell.finish(CompareCell.State.STOPPED, null, null, "Cancelled before it started."));
                continue;
            }
            generate(request, column, cell, template.fill(table.get(cell.row())));
        }
    }

    /// Runs one output on the engine for `request`, loading it first when needed. Outputs on one engine take turns;
    /// an engine freed meanwhile (one-after-another scheduling) is replaced by a fresh one.
    private void generate(LoadRequest request, Column column, CompareCell cell, String userText) {
        while (true) {
            Slot slot;
            synchronized (slots) {
                slot = slots.computeIfAbsent(request, Slot::new);
            }
            synchronized (slot) {
                if (slot.closed) continue;
                generate(slot, column, cell, userText);
                return;
            }
        }
    }

    private void generate(Slot slot, Column column, CompareCell cell, String userText) {
        var request = slot.request;
        if (slot.engine == null) {
            var engine = engines.get();
            try {
                var summary = engine.load(request.model(), request.options(), LoadProgress.NONE);
                slot.formatter = EngineChatFormatter.of(engine, summary, builtin);
                slot.engine = engine;
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
        }
        var engine = slot.engine;
        var conversation = new ArrayList<ChatMessage>();
        var system = column.variant().systemPrompt().strip();
        if (!system.isEmpty()) conversation.add(ChatMessage.system(system));
        conversation.add(ChatMessage.user(userText));
        var text = slot.formatter.promptFor(conversation);
        int promptTokens = engine.tokenize(text, true, true).size();
        var base = column.variant().sampling();
        var sampling = base.seed() == Sampling.RANDOM_SEED ? base : base.withSeed(base.seed() + cell.repeat());
        var recorder = GenerationRecorder.start(log, null, column.variantId, request.model(),
                engine.capabilities().libraryBuild(), "worker", request.options(), sampling, text, promptTokens);
        tasks.post(cell::start);
        var coalescer = new FrameCoalescer<Token>(tasks, cell::append);
        synchronized (slots) {
            if (column.cancelled) {
                recorder.fail("cancelled before it started");
                var id = recorder.id();
                tasks.post(() -> cell.finish(CompareCell.State.STOPPED, id, null, "Cancelled."));
                return;
            }
            slot.current = column;
        }
        try {
            GenerationStats stats = engine.generate(new GenerationRequest(text, sampling).withTruncateLeft(true)
                    .inConversation("compare-" + column.index()), event -> {
                        if (event instanceof GenerationEvent.Token t) coalescer.add(recorder.token(t));
                    });
            recorder.finish(stats);
            var id = recorder.id();
            var figures = new CompareCell.Figures(stats.generatedTokens(), stats.generationTokensPerSecond(),
                    stats.timeToFirstTokenMs(), stats.stopReason().wireName());
            var end = stats.stopReason() == StopReason.CANCELLED ? CompareCell.State.STOPPED : CompareCell.State.DONE;
            tasks.post(() -> {
                coalescer.flush();
                cell.finish(end, id, figures, "");
            });
        } catch (EngineException e) {
            recorder.fail(EngineFailures.sentence(e) + " (" + e.getMessage() + ")");
            var id = recorder.id();
            tasks.post(() -> {
                coalescer.flush();
                cell.finish(CompareCell.State.FAILED, id, null, EngineFailures.sentence(e));
            });
            if (EngineFailures.engineStopped(e.kind())) {
                freeSlot(request);
                throw e;
            }
        } finally {
            synchronized (slots) {
                slot.current = null;
            }
        }
    }

    /// Whether no column but `column` is running (read from a background thread; a stale answer only keeps an
    /// engine loaded a little longer or frees one a later output reloads).
    private boolean noOtherRunning(Column column) {
        return columns.stream().noneMatch(c -> c != column && c.state.get() == State.RUNNING);
    }

    private void started(Column c) {
        c.state.set(State.RUNNING);
        running++;
        state.set(State.RUNNING);
    }

    private void ended(Column c) {
        if (c.state.get() != State.RUNNING) return;
        c.state.set(State.IDLE);
        running = Math.max(0, running - 1);
        if (running == 0) state.set(State.IDLE);
    }

    private void failedColumn(Column c, Throwable e) {
        LOG.log(Level.WARNING, "column " + c.variant().label() + " failed", e);
        var sentence = e instanceof EngineException ee ? EngineFailures.sentence(ee) : String.valueOf(e.getMessage());
        for (var cell : c.cells()) {
            if (cell.state() == CompareCell.State.WAITING || cell.state() == CompareCell.State.STREAMING) {
                cell.finish(CompareCell.State.FAILED, cell.generationId(), null, sentence);
            }
        }
        notice.set(c.variant().label() + ": " + sentence);
        ended(c);
    }

    // ------------------------------------------------------------------ reopening

    private record Loaded(Experiment experiment, List<Column> columns, List<Map<String, String>> rows, int repeats,
            List<Runnable> cells) {}

    /// Reads an experiment and its generations (background thread).
    private Loaded load(long id) {
        var experiment = log.experiment(id).orElseThrow(() -> new IllegalArgumentException("no experiment " + id));
        if (experiment.variants().isEmpty()) throw new IllegalArgumentException("experiment " + id + " has no variants");
        var settings = experiment.variants().getFirst().settings();
        var template = new PromptTemplate(settings.get("prompt") instanceof String p ? p : "");
        var table = ValueTable.parse(template.variables(), settings.get("values") instanceof String v ? v : "");
        int repeat = settings.get("repeats") instanceof Number n ? Math.max(1, n.intValue()) : 1;
        var filled = table.stream().map(template::fill).toList();
        var cols = new ArrayList<Column>();
        var restores = new ArrayList<Runnable>();
        for (var stored : experiment.variants()) {
            var column = new Column(cols.size(), CompareVariant.fromSettings(stored.label(), stored.settings()),
                    table.size(), repeat);
            column.variantId = stored.id();
            cols.add(column);
            long baseSeed = column.variant().sampling().seed();
            var seen = new int[table.size()]; // outputs per row so far: random-seed repeats are told apart by order
            for (Generation g : log.generations(stored.generationIds())) { // oldest first: later runs win
                int row = rowOf(g.run().prompt(), filled);
                if (row < 0) continue;
                long k = baseSeed == Sampling.RANDOM_SEED ? seen[row]++ % repeat : g.run().seed() - baseSeed;
                if (row < 0 || k < 0 || k >= repeat) continue;
                var cell = column.cells().get(row * repeat + (int) k);
                var tokens = log.tokens(g.id());
                var score = log.rating(g.id()).filter(s -> s != 0).orElse(null);
                var notes = log.notes(null, g.id());
                var latestNote = notes.isEmpty() ? "" : notes.getLast().text();
                var s = g.stats();
                var figures = s == null ? null : new CompareCell.Figures(s.generatedTokens(), s.tokensPerSecond(),
                        s.ttftMs(), g.stopReason() == null ? "" : g.stopReason());
                var end = switch (g.status()) {
                    case DONE -> CompareCell.State.DONE;
                    case CANCELLED -> CompareCell.State.STOPPED;
                    case RUNNING, FAILED, INTERRUPTED -> CompareCell.State.FAILED;
                };
                var reason = g.status() == GenerationStatus.INTERRUPTED ? "This output was interrupted."
                        : g.failureReason() == null ? "" : g.failureReason();
                restores.add(() -> cell.restore(g.output(), tokens, end, g.id(), figures, reason, score,
                        latestNote));
            }
        }
        return new Loaded(experiment, cols, table, repeat, restores);
    }

    /// The row whose filled prompt the generation's rendered prompt holds (the longest such, so a row whose text
    /// contains another's is found); -1 when none.
    static int rowOf(String renderedPrompt, List<String> filled) {
        int best = -1;
        for (int i = 0; i < filled.size(); i++) {
            if (renderedPrompt.contains(filled.get(i)) && (best < 0 || filled.get(i).length() > filled.get(best).length())) {
                best = i;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ export

    /// Jackson with NaN figures written as null (JSON has no NaN).
    private static final class Json {
        private final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule().addSerializer(Double.class,
                        new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(Double.class) {
                            @Override
                            public void serialize(Double v, com.fasterxml.jackson.core.JsonGenerator g,
                                    com.fasterxml.jackson.databind.SerializerProvider p) throws java.io.IOException {
                                if (v.isNaN() || v.isInfinite()) g.writeNull();
                                else g.writeNumber(v);
                            }
                        }).addSerializer(double.class, new com.fasterxml.jackson.databind.ser.std.StdSerializer<>(double.class) {
                            @Override
                            public void serialize(Double v, com.fasterxml.jackson.core.JsonGenerator g,
                                    com.fasterxml.jackson.databind.SerializerProvider p) throws java.io.IOException {
                                if (v.isNaN() || v.isInfinite()) g.writeNull();
                                else g.writeNumber(v);
                            }
                        }));

        String valueAsString(Object value) {
            try {
                return mapper.writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("an export line could not be written", e);
            }
        }
    }

    /// The experiment as Markdown: the prompt, the variants, every output, and the summary table.
    public String markdown() {
        var md = new StringBuilder("# ").append(name.get().strip()).append("\n\n## Prompt\n\n```\n")
                .append(prompt.get()).append("\n```\n\n## Variants\n\n");
        for (var c : columns) {
            var v = c.variant();
            md.append(String.format(Locale.ROOT, "- **%s**: %s, temperature %s, top-k %d, seed %d, max %d tokens%s%n",
                    v.label(), v.load().model().getFileName(), v.sampling().temperature(), v.sampling().topK(),
                    v.sampling().seed(), v.sampling().maxTokens(),
                    v.systemPrompt().isBlank() ? "" : ", system prompt “" + v.systemPrompt().strip() + "”"));
        }
        for (int r = 0; r < rows.size(); r++) {
            md.append("\n## Row ").append(r + 1);
            if (!rows.get(r).isEmpty()) md.append(": ").append(rows.get(r));
            md.append("\n");
            for (var c : columns) {
                for (var cell : c.cells(r)) {
                    md.append("\n### ").append(c.variant().label());
                    if (c.cells(r).size() > 1) md.append(" (repeat ").append(cell.repeat() + 1).append(")");
                    md.append("\n\n").append(cell.statsLineProperty().get()).append("\n\n```\n").append(cell.text())
                            .append("\n```\n");
                }
            }
        }
        md.append("\n## Summary\n\n| Variant | Outputs | Mean tokens | Mean logprob | Perplexity | tok/s median (min–max)"
                + " | TTFT median ms | 👍 | 👎 |\n|---|---|---|---|---|---|---|---|---|\n");
        for (var s : summary()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.3f | %.2f | %.1f (%.1f–%.1f) | %.0f | %d | %d |%n",
                    s.label().replace("|", "\\|"), s.outputs(), s.meanTokens(), s.meanLogprob(), s.perplexity(),
                    s.tokensPerSecondMedian(), s.tokensPerSecondMin(), s.tokensPerSecondMax(), s.ttftMedianMs(),
                    s.thumbsUp(), s.thumbsDown()));
        }
        return md.toString();
    }

    /// The summary table as CSV (RFC 4180), one line per variant.
    public String csv() {
        var out = new StringBuilder("variant,model,outputs,mean_tokens,mean_logprob,perplexity,tokens_per_second_median,"
                + "tokens_per_second_min,tokens_per_second_max,ttft_median_ms,thumbs_up,thumbs_down\r\n");
        for (int i = 0; i < columns.size(); i++) {
            var c = columns.get(i);
            var s = VariantSummary.of(c.variant().label(), c.cells());
            out.append(String.format(Locale.ROOT, "%s,%s,%d,%.2f,%.4f,%.4f,%.2f,%.2f,%.2f,%.1f,%d,%d\r\n",
                    quote(s.label()), quote(String.valueOf(c.variant().load().model().getFileName())), s.outputs(),
                    s.meanTokens(), s.meanLogprob(), s.perplexity(), s.tokensPerSecondMedian(), s.tokensPerSecondMin(),
                    s.tokensPerSecondMax(), s.ttftMedianMs(), s.thumbsUp(), s.thumbsDown()));
        }
        return out.toString();
    }

    /// Everything, one JSON object per line: a line per output (variant, row values, repeat, seed, rendered prompt,
    /// output, figures, rating, note and every token with its logprob and alternatives), then a line per variant
    /// summary.
    public String jsonl() {
        var out = new StringBuilder();
        for (var c : columns) {
            for (var cell : c.cells()) {
                var line = new LinkedHashMap<String, Object>();
                line.put("type", "output");
                line.put("variant", c.variant().label());
                line.put("variantId", c.variantId());
                line.put("settings", c.variant().settings());
                line.put("row", cell.row());
                line.put("values", cell.row() < rows.size() ? rows.get(cell.row()) : Map.of());
                line.put("repeat", cell.repeat());
                line.put("generationId", cell.generationId());
                line.put("state", cell.state().name().toLowerCase(Locale.ROOT));
                line.put("output", cell.text());
                line.put("figures", cell.figures());
                line.put("rating", cell.ratingProperty().get());
                line.put("note", cell.noteProperty().get());
                line.put("tokens", cell.tokens());
                out.append(JSON.valueAsString(line)).append('\n');
            }
        }
        for (var s : summary()) {
            var line = new LinkedHashMap<String, Object>();
            line.put("type", "summary");
            line.put("summary", s);
            out.append(JSON.valueAsString(line)).append('\n');
        }
        return out.toString();
    }

    private static String quote(String field) {
        return field.contains(",") || field.contains("\"") || field.contains("\n")
                ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    /// How many engines are loaded now.
    public int loadedEngines() {
        synchronized (slots) {
            return (int) slots.values().stream().filter(s -> s.engine != null).count();
        }
    }
}
