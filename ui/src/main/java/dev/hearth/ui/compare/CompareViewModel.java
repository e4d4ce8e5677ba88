package dev.hearth.ui.compare;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.StopReason;
import dev.hearth.inference.TokenPiece;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.inference.chat.EngineChatFormatter;
import dev.hearth.storage.Continuation;
import dev.hearth.storage.Experiment;
import dev.hearth.storage.Generation;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import dev.hearth.ui.FrameCoalescer;
import dev.hearth.ui.GenerationRecorder;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.engine.EngineFailures;
import dev.hearth.ui.engine.LoadEstimator;
import dev.hearth.ui.engine.LoadRequest;
import dev.hearth.ui.engine.Machine;
import dev.hearth.ui.engine.MemoryCheck;
import dev.hearth.ui.history.Comparison;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
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

/// The Compare section's state and commands. An experiment ([ExperimentSetup]) is a prompt with `{{variables}}`, a
/// table of values (one row per value set) and 1–4 variants; [#run()] records it in the session log (an experiment,
/// its variants, and one generation per variant × row × repeat, each with its variant's id) and streams every output
/// into its [CompareCell], one [Column] per variant.
///
/// Before anything loads, the memory check ([ExperimentPlan#memory]) compares what the engines need with the free
/// memory; when they do not fit, [#memoryProblemProperty()] says so and nothing starts until the user picks
/// [#runOneAfterAnother()] or [#dismissMemoryProblem()].
///
/// An experiment shown (run, reopened) stays the experiment: running it again after an edit adds a revision with
/// its own variants ([#revisions()], earlier runs stay viewable with [#openRevision]); running it unchanged adds
/// generations to the revision shown. [#duplicate()] makes a new experiment with the same setup.
///
/// Scheduling ([ExperimentPlan]): variants with the same model and load options share one engine (a worker process
/// in the app, from the injected factory); different models get their own. One after another runs one model's
/// variants, frees its engine and goes on with the next; concurrently runs every model at once with the machine's
/// threads split between them, and keeps the engines for re-runs. A column can be cancelled or re-run on its own, and
/// any output continued from one of its tokens with another ([#continueWith]). Nothing here blocks the UI thread;
/// tokens reach cells at most once per frame.
public final class CompareViewModel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CompareViewModel.class.getName());
    private static final Json JSON = new Json();
    /// The most variants an experiment runs side by side.
    public static final int MAX_VARIANTS = ExperimentSetup.MAX_VARIANTS;
    /// The most repeats one run makes.
    public static final int MAX_REPEATS = ExperimentSetup.MAX_REPEATS;

    /// Whether anything is running: idle, checking memory before a run, or running.
    public enum State { IDLE, CHECKING, RUNNING }

    /// Why a run did not start: what does not fit (one sentence), and whether running the models one after another
    /// would fit.
    public record MemoryProblem(String sentence, boolean oneAfterAnotherFits) {}

    private final java.util.function.Function<LoadRequest, ? extends Engine> engines;
    private final SessionLog log;
    private final BuiltinChatFormatter builtin;
    private final UiTasks tasks;
    private final int cores;
    private final Callable<Machine> machine;
    private final LoadEstimator estimator;

    private final StringProperty name = new SimpleStringProperty("Experiment");
    private final StringProperty prompt = new SimpleStringProperty("");
    private final StringProperty values = new SimpleStringProperty("");
    private final IntegerProperty repeats = new SimpleIntegerProperty(1);
    private final ObjectProperty<ExperimentPlan.Scheduling> scheduling =
            new SimpleObjectProperty<>(ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER);
    private final ObservableList<CompareVariant> variants = FXCollections.observableArrayList();
    private final ObservableList<Column> columns = FXCollections.observableArrayList();
    private final ObservableList<Column> readOnlyColumns = FXCollections.unmodifiableObservableList(columns);
    private final ObservableList<Map<String, String>> rows = FXCollections.observableArrayList();
    /// Read-only view of `rows`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<Map<String, String>> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<Experiment> saved = FXCollections.observableArrayList();
    private final ObservableList<Integer> revisions = FXCollections.observableArrayList();
    /// Read-only view of `revisions`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<Integer> revisionsView = FXCollections.unmodifiableObservableList(revisions);
    private final ReadOnlyIntegerWrapper revision = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final ReadOnlyObjectWrapper<@Nullable Long> experimentId = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<@Nullable MemoryProblem> memoryProblem = new ReadOnlyObjectWrapper<>();

    /// Engines by the load request they hold (background threads, under `slots`).
    private final Map<LoadRequest, Slot> slots = new HashMap<>();
    private int running;
    /// The plan of the columns shown (their engines' loads).
    private volatile ExperimentPlan plan = new ExperimentPlan(ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER, List.of());
    /// The stored experiment shown and the revision its columns belong to (FX thread); null before one is stored.
    private @Nullable Shown shown;

    private record Shown(ExperimentSetup setup, ExperimentSetup.Stored stored, int latestRevision) {}

    /// With free RAM only (no engine asked about GPUs) and the GGUF files read for each estimate.
    ///
    /// @param engines makes a new engine (the app starts a worker process)
    /// @param cores   the threads to split between models run concurrently
    public CompareViewModel(Supplier<? extends Engine> engines, SessionLog log, BuiltinChatFormatter builtin,
            UiTasks tasks, int cores) {
        this(engines, log, builtin, tasks, cores, Machine::withoutEngine, LoadEstimator.READING_FILES);
    }

    /// @param machine   free memory and GPUs for the memory check (blocking; called off the UI thread)
    /// @param estimator what each load needs (the load dialog's estimate)
    public CompareViewModel(Supplier<? extends Engine> engines, SessionLog log, BuiltinChatFormatter builtin,
            UiTasks tasks, int cores, Callable<Machine> machine, LoadEstimator estimator) {
        this(_ -> engines.get(), log, builtin, tasks, cores, machine, estimator);
    }

    /// @param engines makes a new engine for a variant's load request, on the request's engine
    ///                ([LoadRequest#engine()]): variants on different engines never share a worker
    public CompareViewModel(java.util.function.Function<LoadRequest, ? extends Engine> engines, SessionLog log,
            BuiltinChatFormatter builtin, UiTasks tasks, int cores, Callable<Machine> machine, LoadEstimator estimator) {
        this.engines = engines;
        this.log = log;
        this.builtin = builtin;
        this.tasks = tasks;
        this.cores = Math.max(1, cores);
        this.machine = machine;
        this.estimator = estimator;
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

    public ObjectProperty<ExperimentPlan.Scheduling> schedulingProperty() {
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
        return rowsView;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /// The experiment shown, once stored.
    public ReadOnlyObjectProperty<@Nullable Long> experimentIdProperty() {
        return experimentId.getReadOnlyProperty();
    }

    /// The shown experiment's revisions (1, 2, …: one per edit that was run); empty before one is stored.
    public ObservableList<Integer> revisions() {
        return revisionsView;
    }

    /// The revision whose columns are shown (0 before one is stored).
    public ReadOnlyIntegerProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /// Why the last command did nothing or failed; empty when all is well.
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /// What did not fit when Run was pressed (nothing was loaded); null when nothing is in the way.
    public ReadOnlyObjectProperty<@Nullable MemoryProblem> memoryProblemProperty() {
        return memoryProblem.getReadOnlyProperty();
    }

    // ------------------------------------------------------------------ commands

    private ExperimentSetup setupNow() {
        return new ExperimentSetup(name.get().isBlank() ? "Experiment" : name.get().strip(), prompt.get(), values.get(),
                repeats.get(), List.copyOf(variants));
    }

    /// Runs the experiment as set up now, once the memory check passes: stores it (in the experiment shown when there
    /// is one: a new revision when the setup changed), then streams every output.
    public void run() {
        if (state.get() != State.IDLE) return;
        var setup = setupNow();
        List<Map<String, String>> table;
        try {
            table = setup.rows();
        } catch (IllegalArgumentException e) {
            notice.set("Cannot run: " + e.getMessage() + ".");
            return;
        }
        notice.set("");
        memoryProblem.set(null);
        var runPlan = ExperimentPlan.forVariants(setup.variants(), scheduling.get(), cores);
        state.set(State.CHECKING);
        tasks.run(() -> checkMemory(runPlan), problem -> {
            if (problem.isPresent()) {
                memoryProblem.set(problem.get());
                state.set(State.IDLE);
                return;
            }
            start(setup, table, runPlan); // CHECKING → RUNNING, never IDLE in between
        }, e -> {
            LOG.log(Level.WARNING, "the memory check failed; running without it", e);
            start(setup, table, runPlan);
        });
    }

    /// After a memory problem: runs the models one after another (one engine in memory at a time).
    public void runOneAfterAnother() {
        memoryProblem.set(null);
        scheduling.set(ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER);
        run();
    }

    /// After a memory problem: runs nothing.
    public void dismissMemoryProblem() {
        memoryProblem.set(null);
    }

    /// The problem with loading `runPlan`'s engines, if there is one (background thread).
    private java.util.Optional<MemoryProblem> checkMemory(ExperimentPlan runPlan) {
        var m = Machine.probe(machine).machine();
        var check = runPlan.memory(estimator, m, this::loaded);
        if (check.fits()) return java.util.Optional.empty();
        boolean alone = runPlan.scheduling() == ExperimentPlan.Scheduling.CONCURRENT
                && runPlan.memory(estimator, m, this::loaded, ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER).fits();
        return java.util.Optional.of(new MemoryProblem(check.sentence()
                + (alone ? " One after another, each fits." : ""), alone));
    }

    /// Throws when `request`'s engine is not loaded and does not fit now (background thread).
    private void requireFits(LoadRequest request) {
        if (loaded(request)) return;
        var single = new ExperimentPlan(ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER,
                List.of(new ExperimentPlan.Group(request, List.of(0))));
        MemoryCheck check = single.memory(estimator, Machine.probe(machine).machine(), _ -> false);
        if (!check.fits()) throw new IllegalStateException(check.sentence());
    }

    private boolean loaded(LoadRequest request) {
        synchronized (slots) {
            var slot = slots.get(request);
            return slot != null && slot.engine != null;
        }
    }

    private void start(ExperimentSetup setup, List<Map<String, String>> table, ExperimentPlan runPlan) {
        var template = setup.template();
        var made = new ArrayList<Column>();
        for (int i = 0; i < setup.variants().size(); i++) {
            made.add(new Column(i, setup.variants().get(i), table.size(), setup.repeats()));
        }
        rows.setAll(table);
        columns.setAll(made);
        plan = runPlan;
        made.forEach(this::started);
        var previous = shown;
        tasks.run(() -> store(setup, previous), stored -> {
            shown = stored;
            for (int i = 0; i < made.size(); i++) made.get(i).variantId = stored.stored().variantIds().get(i);
            showStored(stored);
            schedule(made, template);
        }, e -> {
            LOG.log(Level.WARNING, "the experiment could not be stored", e);
            notice.set("The experiment could not be stored: " + e.getMessage());
            made.forEach(this::ended);
        });
    }

    /// Stores a run (background thread): a new experiment, the revision shown (unchanged setup), or a new revision.
    private Shown store(ExperimentSetup setup, @Nullable Shown previous) {
        if (previous == null) return new Shown(setup, setup.storeNew(log), 1);
        long id = previous.stored().experimentId();
        if (!setup.name().equals(previous.setup().name())) log.renameExperiment(id, setup.name());
        if (setup.sameRunAs(previous.setup())) return new Shown(setup, previous.stored(), previous.latestRevision());
        int next = previous.latestRevision() + 1;
        return new Shown(setup, setup.storeRevision(log, id, next), next);
    }

    private void showStored(Shown stored) {
        experimentId.set(stored.stored().experimentId());
        revisions.setAll(IntStream.rangeClosed(1, stored.latestRevision()).boxed().toList());
        revision.set(stored.stored().revision());
    }

    /// Starts a new, empty experiment (the one shown stays in the log as it is).
    public void newExperiment() {
        if (state.get() != State.IDLE) return;
        shown = null;
        experimentId.set(null);
        revisions.clear();
        revision.set(0);
        columns.clear();
        rows.clear();
        name.set("Experiment");
        prompt.set("");
        values.set("");
        repeats.set(1);
        variants.clear();
        notice.set("");
        memoryProblem.set(null);
    }

    /// Stores a new experiment with the setup shown now (prompt, values, repeats, variants) and no outputs, and shows
    /// it; Run fills it. The experiment it was copied from stays as it is.
    public void duplicate() {
        if (state.get() != State.IDLE) return;
        var setup = setupNow();
        var copy = setup.named(setup.name() + " (copy)");
        try {
            copy.rows();
        } catch (IllegalArgumentException e) {
            notice.set("Cannot duplicate: " + e.getMessage() + ".");
            return;
        }
        tasks.run(() -> new Shown(copy, copy.storeNew(log), 1), stored -> {
            shown = stored;
            name.set(copy.name());
            columns.clear();
            rows.clear();
            showStored(stored);
            notice.set("");
        }, e -> notice.set("The copy could not be stored: " + e.getMessage()));
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

    /// Runs one column again (new generations in the same experiment and variant); the others are left alone. When its
    /// engine is not loaded, the memory check runs first.
    public void rerun(Column column) {
        if (column.state.get() == State.RUNNING || column.variantId == 0 || !columns.contains(column)) return;
        var current = shown; // the setup the columns were made with, not edits not yet run
        var template = current != null ? current.setup().template() : new PromptTemplate(prompt.get());
        column.cancelled = false;
        started(column);
        var runPlan = plan;
        tasks.run(() -> {
            requireFits(runPlan.requestFor(column.index()));
            runColumn(column, template);
            if (runPlan.scheduling() == ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER && noOtherRunning(column)) {
                freeSlot(runPlan.requestFor(column.index()));
            }
            return column;
        }, this::ended, e -> failedColumn(column, e));
    }

    /// "Continue with this token" in an output's token inspector: a new output of the same column that keeps `cell`'s
    /// tokens before `tokenIndex`, takes `alternative` there and lets the model go on (the prompt's tokens, those
    /// tokens and the alternative go to [Engine#generateTokens]). It is shown under `cell`, recorded with the
    /// variant, and linked to `cell`'s generation in the session log.
    public void continueWith(CompareCell cell, int tokenIndex, TopToken alternative) {
        if (cell.column() < 0 || cell.column() >= columns.size()) return;
        var column = columns.get(cell.column());
        var source = cell.generationId();
        var rendered = cell.prompt();
        var tokens = cell.tokens();
        if (column.state.get() == State.RUNNING) {
            notice.set("Wait for " + column.variant().label() + " to finish (or cancel it) before continuing from a token.");
            return;
        }
        if (source == null || rendered == null || tokenIndex < 0 || tokenIndex >= tokens.size() || column.variantId == 0) {
            notice.set("This output cannot be continued from that token (its prompt or tokens are not recorded).");
            return;
        }
        notice.set("");
        var at = tokens.get(tokenIndex);
        var prefix = new ArrayList<>(tokens.subList(0, tokenIndex));
        int rank = -1;
        for (int i = 0; i < at.top().size(); i++) if (at.top().get(i).id() == alternative.id()) rank = i;
        prefix.add(new Token(tokenIndex, alternative.id(), alternative.text(), alternative.logprob(), rank, at.entropy(),
                at.ms(), at.top()));
        var k = cell.continuation(new CompareCell.ContinuedFrom(source, tokenIndex, alternative.text()));
        k.start();
        k.prompt(rendered);
        k.append(prefix);
        cell.addContinuation(k);
        column.cancelled = false;
        started(column);
        var runPlan = plan;
        tasks.run(() -> {
            var request = runPlan.requestFor(column.index());
            requireFits(request);
            onEngine(request, slot -> continuation(slot, column, cell, k, rendered, prefix, source, tokenIndex));
            if (runPlan.scheduling() == ExperimentPlan.Scheduling.ONE_AFTER_ANOTHER && noOtherRunning(column)) {
                freeSlot(request);
            }
            return column;
        }, this::ended, e -> {
            if (k.state() == CompareCell.State.STREAMING) {
                k.finish(CompareCell.State.FAILED, k.generationId(), null, e instanceof EngineException ee
                        ? EngineFailures.sentence(ee) : String.valueOf(e.getMessage()));
            }
            failedColumn(column, e);
        });
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

    /// One line per column, over its finished outputs (continuations are not the variant's own and are left out).
    public List<VariantSummary> summary() {
        return columns.stream().map(c -> VariantSummary.ofCells(c.variant().label(), c.cells())).toList();
    }

    /// The experiments in the session log, newest first ([#refreshSaved()] reads them).
    public ObservableList<Experiment> saved() {
        return saved;
    }

    /// Reads the saved experiments again (the latest 100), off the FX thread.
    public void refreshSaved() {
        tasks.run(() -> log.experiments(100), saved::setAll, e -> notice.set("The saved experiments cannot be read: " + e.getMessage()));
    }

    /// Reopens a stored experiment at its latest revision: its setup (prompt, values, variants) and, for each output,
    /// its latest generation with the continuations made from it.
    public void open(long id) {
        openRevision(id, 0);
    }

    /// Shows an earlier (or the latest) revision of the experiment shown.
    public void openRevision(int which) {
        var id = experimentId.get();
        if (id != null) openRevision(id, which);
    }

    /// Shows revision `which` (0: the latest) of experiment `id`.
    public void openRevision(long id, int which) {
        if (state.get() != State.IDLE) return;
        tasks.run(() -> load(id, which), loaded -> {
            var setup = loaded.setup();
            name.set(setup.name());
            prompt.set(setup.prompt());
            values.set(setup.values());
            repeats.set(setup.repeats());
            variants.setAll(setup.variants());
            rows.setAll(loaded.rows());
            columns.setAll(loaded.columns());
            plan = ExperimentPlan.forVariants(setup.variants(), scheduling.get(), cores);
            for (var restore : loaded.cells()) restore.run();
            shown = new Shown(setup, loaded.stored(), loaded.latestRevision());
            showStored(shown);
            notice.set("");
            memoryProblem.set(null);
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
        var runPlan = plan;
        if (runPlan.scheduling() == ExperimentPlan.Scheduling.CONCURRENT) {
            for (var group : runPlan.groups()) {
                var cols = group.variants().stream().map(made::get).toList();
                tasks.run(() -> {
                    for (var c : cols) runAndEnd(c, template);
                    return cols;
                }, _ -> {}, e -> cols.forEach(c -> failedColumn(c, e)));
            }
        } else {
            tasks.run(() -> {
                for (var group : runPlan.groups()) {
                    for (int i : group.variants()) runAndEnd(made.get(i), template);
                    freeSlot(group.request());
                }
                return runPlan;
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
        var request = plan.requestFor(column.index());
        for (var cell : column.cells()) tasks.post(cell::waiting);
        for (var cell : column.cells()) {
            if (column.cancelled) {
                tasks.post(() -> cell.finish(CompareCell.State.STOPPED, null, null, "Cancelled before it started."));
                continue;
            }
            var userText = template.fill(table.get(cell.row()));
            onEngine(request, slot -> generate(slot, column, cell, userText));
        }
    }

    /// Runs `work` on the engine for `request`, loading it first when needed. Work on one engine takes turns; an
    /// engine freed meanwhile (one-after-another scheduling) is replaced by a fresh one.
    private void onEngine(LoadRequest request, Consumer<Slot> work) {
        while (true) {
            Slot slot;
            synchronized (slots) {
                slot = slots.computeIfAbsent(request, Slot::new);
            }
            synchronized (slot) {
                if (slot.closed) continue;
                if (slot.engine == null) {
                    var engine = engines.apply(request);
                    try {
                        var summary = engine.load(request.model(), request.options(), LoadProgress.NONE);
                        slot.formatter = EngineChatFormatter.of(engine, summary, builtin);
                        slot.engine = engine;
                    } catch (RuntimeException e) {
                        engine.close();
                        throw e;
                    }
                }
                work.accept(slot);
                return;
            }
        }
    }

    private void generate(Slot slot, Column column, CompareCell cell, String userText) {
        var request = slot.request;
        var engine = java.util.Objects.requireNonNull(slot.engine);
        var formatter = java.util.Objects.requireNonNull(slot.formatter);
        var text = formatter.promptFor(ExperimentSetup.conversation(column.variant(), userText));
        int promptTokens = engine.tokenize(text, true, true).size();
        var sampling = ExperimentPlan.sampling(column.variant().sampling(), cell.repeat());
        var recorder = GenerationRecorder.start(log, null, column.variantId, request.model(),
                engine.capabilities().libraryBuild(), request.engineLabel(), request.options(), sampling, text, promptTokens);
        tasks.post(() -> {
            cell.start();
            cell.prompt(text);
        });
        stream(slot, column, cell, recorder, events -> engine.generate(new GenerationRequest(text, sampling)
                .withTruncateLeft(true).inConversation("compare-" + column.index()), events));
    }

    /// Runs a continuation (background thread, on the column's engine): the prefix tokens are recorded first, then
    /// what the model writes after the alternative; the new generation is linked to its source.
    private void continuation(Slot slot, Column column, CompareCell cell, CompareCell k, String rendered,
            List<Token> prefix, long source, int tokenIndex) {
        var request = slot.request;
        var engine = java.util.Objects.requireNonNull(slot.engine);
        var ids = new ArrayList<Integer>();
        for (TokenPiece p : engine.tokenize(rendered, true, true)) ids.add(p.id());
        int promptTokens = ids.size();
        for (var t : prefix) ids.add(t.id());
        var sampling = ExperimentPlan.sampling(column.variant().sampling(), cell.repeat());
        var recorder = GenerationRecorder.start(log, null, column.variantId, request.model(),
                engine.capabilities().libraryBuild(), request.engineLabel(), request.options(), sampling, rendered, promptTokens);
        for (var t : prefix) recorder.copy(t);
        var id = stream(slot, column, k, recorder,
                events -> engine.generateTokens("compare-" + column.index(), ids, sampling, true, events));
        if (id != null) log.recordContinuation(id, source, tokenIndex);
    }

    /// Streams one output into its cell and the log (background thread, holding the slot); returns its generation id.
    private @Nullable Long stream(Slot slot, Column column, CompareCell cell, GenerationRecorder recorder,
            Function<Consumer<GenerationEvent>, GenerationStats> generation) {
        var coalescer = new FrameCoalescer<Token>(tasks, cell::append);
        synchronized (slots) {
            if (column.cancelled) {
                recorder.fail("cancelled before it started");
                var id = recorder.id();
                tasks.post(() -> cell.finish(CompareCell.State.STOPPED, id, null, "Cancelled."));
                return id;
            }
            slot.current = column;
        }
        try {
            GenerationStats stats = generation.apply(event -> {
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
            return id;
        } catch (EngineException e) {
            recorder.fail(EngineFailures.sentence(e) + " (" + e.getMessage() + ")");
            var id = recorder.id();
            tasks.post(() -> {
                coalescer.flush();
                cell.finish(CompareCell.State.FAILED, id, null, EngineFailures.sentence(e));
            });
            if (EngineFailures.engineStopped(e.kind())) {
                freeSlot(slot.request);
                throw e;
            }
            return id;
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

    private record Loaded(ExperimentSetup setup, ExperimentSetup.Stored stored, int latestRevision, List<Column> columns,
            List<Map<String, String>> rows, List<Runnable> cells) {}

    /// Reads one revision of an experiment and its generations (background thread).
    private Loaded load(long id, int which) {
        var experiment = log.experiment(id).orElseThrow(() -> new IllegalArgumentException("no experiment " + id));
        int latest = experiment.latestRevision();
        if (latest == 0) throw new IllegalArgumentException("experiment " + id + " has no variants");
        int rev = which <= 0 ? latest : which;
        var setup = ExperimentSetup.of(experiment, rev);
        var storedVariants = experiment.variants(rev);
        var template = setup.template();
        var table = ValueTable.parse(template.variables(), setup.values());
        int repeat = setup.repeats();
        var filled = table.stream().map(template::fill).toList();
        var allIds = storedVariants.stream().flatMap(v -> v.generationIds().stream()).toList();
        var continuations = new HashMap<Long, Continuation>();
        for (var k : log.continuations(allIds)) continuations.put(k.generationId(), k);
        var cols = new ArrayList<Column>();
        var restores = new ArrayList<Runnable>();
        var cellOf = new HashMap<Long, CompareCell>(); // generation → the cell that shows it last
        var shownIn = new HashMap<CompareCell, Long>(); // cell → the generation it shows
        for (var stored : storedVariants) {
            var column = new Column(cols.size(), setup.variants().get(cols.size()), table.size(), repeat);
            column.variantId = stored.id();
            cols.add(column);
            long baseSeed = column.variant().sampling().seed();
            var seen = new int[table.size()]; // outputs per row so far: random-seed repeats are told apart by order
            for (Generation g : log.generations(stored.generationIds())) { // oldest first: later runs win
                var link = continuations.get(g.id());
                CompareCell cell;
                CompareCell.ContinuedFrom from = null;
                if (link != null) {
                    var source = cellOf.get(link.sourceId());
                    if (source == null || !Long.valueOf(link.sourceId()).equals(shownIn.get(source))) continue;
                    var tokens = log.tokens(g.id());
                    var piece = link.tokenIndex() < tokens.size() ? tokens.get(link.tokenIndex()).piece() : "";
                    from = new CompareCell.ContinuedFrom(link.sourceId(), link.tokenIndex(), piece);
                    cell = source.continuation(from);
                    var parent = source;
                    var k = cell;
                    restores.add(() -> parent.addContinuation(k));
                } else {
                    int row = rowOf(g.run().prompt(), filled);
                    if (row < 0) continue;
                    long k = baseSeed == dev.hearth.inference.Sampling.RANDOM_SEED ? seen[row]++ % repeat
                            : g.run().seed() - baseSeed;
                    if (k < 0 || k >= repeat) continue;
                    cell = column.cells().get(row * repeat + (int) k);
                }
                cellOf.put(g.id(), cell);
                shownIn.put(cell, g.id());
                restores.add(restore(cell, g));
            }
        }
        var stored = new ExperimentSetup.Stored(id, rev, storedVariants.stream().map(Experiment.Variant::id).toList());
        return new Loaded(setup, stored, latest, cols, table, restores);
    }

    /// Fills `cell` from a stored generation, on the UI thread later (its data is read now).
    private Runnable restore(CompareCell cell, Generation g) {
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
        var rendered = g.run().prompt();
        return () -> {
            cell.restore(g.output(), tokens, end, g.id(), figures, reason, score, latestNote);
            cell.prompt(rendered);
        };
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
            md.append(String.format(Locale.ROOT, "- **%s**: %s%s, temperature %s, top-k %d, seed %d, max %d tokens%s%n",
                    v.label(), v.load().model().getFileName(),
                    v.load().engine() == null ? "" : " on engine " + v.load().engine(),
                    v.sampling().temperature(), v.sampling().topK(),
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

    /// The summary table as CSV (RFC 4180), one line per variant (`engine` empty: the default engine).
    public String csv() {
        var out = new StringBuilder("variant,model,engine,outputs,mean_tokens,mean_logprob,perplexity,tokens_per_second_median,"
                + "tokens_per_second_min,tokens_per_second_max,ttft_median_ms,thumbs_up,thumbs_down\r\n");
        for (int i = 0; i < columns.size(); i++) {
            var c = columns.get(i);
            var s = VariantSummary.ofCells(c.variant().label(), c.cells());
            var engine = c.variant().load().engine(); // empty: the default engine
            out.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.2f,%.4f,%.4f,%.2f,%.2f,%.2f,%.1f,%d,%d\r\n",
                    quote(s.label()), quote(String.valueOf(c.variant().load().model().getFileName())),
                    quote(engine == null ? "" : engine), s.outputs(),
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
                var continued = new ArrayList<Map<String, Object>>();
                for (var k : cell.continuations()) {
                    var from = java.util.Objects.requireNonNull(k.continuedFrom());
                    var m = new LinkedHashMap<String, Object>();
                    m.put("generationId", k.generationId());
                    m.put("fromToken", from.tokenIndex());
                    m.put("token", from.token());
                    m.put("output", k.text());
                    continued.add(m);
                }
                line.put("continuations", continued);
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
