package dev.hearth.ui.history;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.storage.Generation;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.ModelFile;
import dev.hearth.storage.SearchHit;
import dev.hearth.storage.SearchQuery;
import dev.hearth.storage.Project;
import dev.hearth.storage.Session;
import dev.hearth.storage.SessionExport;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.StorageException;
import dev.hearth.storage.Token;
import dev.hearth.ui.Cancellable;
import dev.hearth.ui.UiTasks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// The History section's state and commands: the table of generations (browsed or searched, filtered in SQL),
/// the selected generation's detail and tokens, Replay, Compare and export. All database and engine work goes
/// through [UiTasks]; properties change on the UI thread only.
public final class HistoryViewModel {
    /// How many rows the table holds at most (the log's query limit; the table is virtualised).
    public static final int ROW_LIMIT = 2_000;

    public enum ReplayState { IDLE, RUNNING, IDENTICAL, DIFFERENT, FAILED }

    public enum ExportFormat { MARKDOWN, JSONL }

    /// The selected generation with its per-token data.
    public record Detail(Generation generation, List<Token> tokens) {}

    private final SessionLog log;
    private final java.util.function.Function<@org.jspecify.annotations.Nullable String, ? extends Engine> engines;
    private final UiTasks tasks;

    private final StringProperty searchText = new SimpleStringProperty("");
    private final ObjectProperty<@Nullable String> model = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable Session> session = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable Project> project = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable LocalDate> from = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable LocalDate> to = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable GenerationStatus> status = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable Double> minTokensPerSecond = new SimpleObjectProperty<>();
    private final ObjectProperty<@Nullable Double> maxTokensPerSecond = new SimpleObjectProperty<>();

    private final ObservableList<HistoryRow> rows = FXCollections.observableArrayList();
    /// Read-only view of `rows`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<HistoryRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<String> models = FXCollections.observableArrayList();
    /// Read-only view of `models`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<String> modelsView = FXCollections.unmodifiableObservableList(models);
    private final ObservableList<Session> sessions = FXCollections.observableArrayList();
    /// Read-only view of `sessions`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<Session> sessionsView = FXCollections.unmodifiableObservableList(sessions);
    private final ObservableList<Project> projects = FXCollections.observableArrayList();
    /// Read-only view of `projects`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<Project> projectsView = FXCollections.unmodifiableObservableList(projects);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private int searches;

    private List<HistoryRow> selection = List.of();
    private final ReadOnlyObjectWrapper<@Nullable Detail> detail = new ReadOnlyObjectWrapper<>();
    private @Nullable Cancellable detailLoad;

    private final ReadOnlyObjectWrapper<ReplayState> replayState = new ReadOnlyObjectWrapper<>(ReplayState.IDLE);
    private final ReadOnlyDoubleWrapper replayProgress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper replayMessage = new ReadOnlyStringWrapper("");
    private @Nullable Cancellable replayTask;
    /// The running replay's cancel flag and engine; each replay has its own, so a cancelled one finishing late
    /// cannot touch a newer one.
    private AtomicBoolean replayCancelled = new AtomicBoolean();
    private AtomicReference<@Nullable Engine> replayEngine = new AtomicReference<>();
    private long replayedId = -1;

    private final ReadOnlyObjectWrapper<@Nullable Comparison> comparison = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper compareMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper exportMessage = new ReadOnlyStringWrapper("");

    /// @param engines starts a fresh engine for each replay (the app starts an engine worker); it is closed after
    public HistoryViewModel(SessionLog log, Supplier<? extends Engine> engines, UiTasks tasks) {
        this(log, (java.util.function.Function<@org.jspecify.annotations.Nullable String, ? extends Engine>) _ -> engines.get(), tasks);
    }

    /// @param engines starts a fresh engine for each replay on the engine the run record names (null: the default
    ///                engine); it is closed after
    public HistoryViewModel(SessionLog log, java.util.function.Function<@org.jspecify.annotations.Nullable String, ? extends Engine> engines,
            UiTasks tasks) {
        this.log = log;
        this.engines = engines;
        this.tasks = tasks;
    }

    // ---- filters and the table ----

    public StringProperty searchTextProperty() { return searchText; }
    public ObjectProperty<@Nullable String> modelProperty() { return model; }
    public ObjectProperty<@Nullable Session> sessionProperty() { return session; }
    public ObjectProperty<@Nullable Project> projectProperty() { return project; }
    public ObjectProperty<@Nullable LocalDate> fromProperty() { return from; }
    public ObjectProperty<@Nullable LocalDate> toProperty() { return to; }
    public ObjectProperty<@Nullable GenerationStatus> statusProperty() { return status; }
    public ObjectProperty<@Nullable Double> minTokensPerSecondProperty() { return minTokensPerSecond; }
    public ObjectProperty<@Nullable Double> maxTokensPerSecondProperty() { return maxTokensPerSecond; }

    /// The generations shown, newest first when browsing, best match first when searching.
    public ObservableList<HistoryRow> rows() { return rowsView; }

    /// Model names to filter by.
    public ObservableList<String> models() { return modelsView; }

    /// Sessions to filter by: every session outside the bin, most recently updated first.
    public ObservableList<Session> sessions() { return sessionsView; }
    /// Projects to filter by (sessions opened on a project folder).
    public ObservableList<Project> projects() { return projectsView; }

    /// A problem with the last search or load, in one sentence; empty when there is none.
    public ReadOnlyStringProperty messageProperty() { return message.getReadOnlyProperty(); }

    /// The query the filters describe (the date range covers whole local days).
    public SearchQuery query() {
        var zone = ZoneId.systemDefault();
        var f = from.get();
        var t = to.get();
        var sel = session.get();
        var inProject = project.get();
        return new SearchQuery(searchText.get().strip(), model.get(), sel == null ? null : sel.id(),
                inProject == null ? null : inProject.id(),
                f == null ? null : f.atStartOfDay(zone).toInstant(),
                t == null ? null : t.plusDays(1).atStartOfDay(zone).toInstant(),
                status.get(), ROW_LIMIT, minTokensPerSecond.get(), maxTokensPerSecond.get());
    }

    /// Reads the table again with the current text and filters, and the filter choices.
    public void refresh() {
        var query = query();
        int search = ++searches;
        record Result(List<HistoryRow> rows, List<String> models, List<Session> sessions, List<Project> projects) {}
        tasks.run(() -> {
            List<HistoryRow> found;
            if (query.text().isBlank()) {
                found = log.browse(query).stream().map(g -> new HistoryRow(g, null)).toList();
            } else {
                var hits = log.search(query);
                var byId = new java.util.HashMap<Long, Generation>();
                for (var g : log.generations(hits.stream().map(SearchHit::generationId).toList())) byId.put(g.id(), g);
                found = hits.stream().filter(h -> byId.containsKey(h.generationId()))
                        .map(h -> new HistoryRow(byId.get(h.generationId()), h.snippet())).toList();
            }
            return new Result(found, log.models().stream().map(ModelFile::name).distinct().sorted().toList(),
                    log.sessions(), log.projects());
        }, result -> {
            if (search != searches) return;
            rows.setAll(result.rows());
            keepChoices(models, result.models());
            keepChoices(sessions, result.sessions());
            keepChoices(projects, result.projects());
            message.set(result.rows().isEmpty()
                    ? (query.text().isBlank() && !query.filtered() ? "No generations yet: what Hearth runs is listed here."
                            : "No generation matches.")
                    : "");
        }, e -> {
            if (search != searches) return;
            rows.clear();
            message.set(e instanceof StorageException s && s.kind() == StorageException.Kind.BAD_INPUT
                    ? "Type a word to search for." : "The history cannot be read: " + e.getMessage());
        });
    }

    private static <T> void keepChoices(ObservableList<T> list, List<T> fresh) {
        if (!list.equals(fresh)) list.setAll(fresh);
    }

    /// Clears every filter and the search text, then refreshes.
    public void clearFilters() {
        searchText.set("");
        model.set(null);
        session.set(null);
        project.set(null);
        from.set(null);
        to.set(null);
        status.set(null);
        minTokensPerSecond.set(null);
        maxTokensPerSecond.set(null);
        refresh();
    }

    // ---- selection and detail ----

    /// Tells the view model which rows are selected (the view's table selection); the first is shown in detail.
    public void select(List<HistoryRow> selected) {
        selection = List.copyOf(selected);
        var load = detailLoad;
        if (load != null) load.cancel();
        comparison.set(null);
        compareMessage.set("");
        exportMessage.set("");
        if (replayState.get() != ReplayState.RUNNING) {
            replayState.set(ReplayState.IDLE);
            replayMessage.set("");
            replayProgress.set(0);
        }
        if (selection.isEmpty()) {
            detail.set(null);
            return;
        }
        var g = selection.getFirst().generation();
        detailLoad = tasks.run(() -> log.tokens(g.id()), tokens -> detail.set(new Detail(g, tokens)),
                e -> {
                    detail.set(new Detail(g, List.of()));
                    message.set("The tokens of generation " + g.id() + " cannot be read: " + e.getMessage());
                });
    }

    public List<HistoryRow> selection() { return selection; }

    // ---- open a session ----

    private java.util.function.@Nullable Consumer<Session> sessionOpener;

    /// Where "Open session" sends a session: the app opens a project's session in the Project section with its
    /// project, any other in the Chat section.
    public void openSessionsWith(java.util.function.Consumer<Session> opener) {
        this.sessionOpener = opener;
    }

    /// Opens the session of the first selected row (its conversation, where it belongs); says so when the row has
    /// no session (a run or an experiment's) or the session is in the bin or gone.
    public void openSession() {
        var opener = sessionOpener;
        if (opener == null || selection.isEmpty()) return;
        var sessionId = selection.getFirst().generation().sessionId();
        if (sessionId == null) {
            message.set("This generation belongs to no session (a run or an experiment): there is no conversation to open.");
            return;
        }
        tasks.run(() -> log.session(sessionId), found -> {
            var s = found.orElse(null);
            if (s == null) message.set("The session of this generation was deleted.");
            else if (s.deletedAt() != null) message.set("The session \"" + s.title() + "\" is in the bin: restore it to open it.");
            else opener.accept(s);
        }, e -> message.set("The session could not be read: " + e.getMessage()));
    }

    public ReadOnlyObjectProperty<@Nullable Detail> detailProperty() { return detail.getReadOnlyProperty(); }

    // ---- replay ----

    public ReadOnlyObjectProperty<ReplayState> replayStateProperty() { return replayState.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty replayProgressProperty() { return replayProgress.getReadOnlyProperty(); }
    /// The replay's outcome or problem, in one line.
    public ReadOnlyStringProperty replayMessageProperty() { return replayMessage.getReadOnlyProperty(); }

    /// Runs the shown generation again in a fresh engine with its recorded model, load options, sampling
    /// parameters and seed, and compares the tokens with the recording.
    public void replay() {
        var d = detail.get();
        if (d == null || replayState.get() == ReplayState.RUNNING) return;
        var g = d.generation();
        var recorded = d.tokens();
        replayedId = g.id();
        var cancelled = new AtomicBoolean();
        var current = new AtomicReference<@Nullable Engine>();
        replayCancelled = cancelled;
        replayEngine = current;
        replayState.set(ReplayState.RUNNING);
        replayProgress.set(0);
        replayMessage.set("Starting an engine…");
        double[] shown = {0};
        replayTask = tasks.run(() -> {
            var run = g.run();
            var model = Path.of(run.modelPath());
            if (!Files.isRegularFile(model)) throw new ReplayProblem("The recorded model " + model + " is not there any more.");
            var parameters = readParameters(g);
            var sha = run.modelSha256();
            if (sha != null && !sha.equalsIgnoreCase(sha256(model))) {
                throw new ReplayProblem("The model file " + model + " has changed since this run (its SHA-256 differs).");
            }
            try (var engine = engines.apply(Replay.engineName(run))) {
                current.set(engine);
                if (cancelled.get()) engine.cancel();
                var replayed = Replay.run(engine, run, parameters, recorded.size(), p -> {
                    if (p - shown[0] >= 0.01 || p >= 1.0) {
                        shown[0] = p;
                        tasks.post(() -> {
                            if (!cancelled.get() && replayState.get() == ReplayState.RUNNING) replayProgress.set(p);
                        });
                    }
                }, cancelled::get);
                return Replay.compare(recorded, replayed);
            } finally {
                current.set(null);
            }
        }, outcome -> {
            if (cancelled.get()) return;
            replayProgress.set(1);
            replayState.set(outcome instanceof Replay.Outcome.Identical ? ReplayState.IDENTICAL : ReplayState.DIFFERENT);
            replayMessage.set(outcome.describe());
        }, e -> {
            if (cancelled.get()) return;
            replayState.set(ReplayState.FAILED);
            replayMessage.set(describe(e));
        });
    }

    /// Stops a running replay; the engine it started is closed.
    public void cancelReplay() {
        if (replayState.get() != ReplayState.RUNNING) return;
        replayCancelled.set(true);
        var engine = replayEngine.get();
        if (engine != null) engine.cancel();
        var task = replayTask;
        if (task != null) task.cancel();
        replayState.set(ReplayState.IDLE);
        replayProgress.set(0);
        replayMessage.set("Replay cancelled.");
    }

    /// The id of the generation the last replay ran (for tests and the view), -1 before any.
    public long replayedId() { return replayedId; }

    private static Replay.Parameters readParameters(Generation g) {
        try {
            return Replay.parameters(g.run());
        } catch (IllegalArgumentException e) {
            throw new ReplayProblem("This Hearth cannot read the recorded parameters of generation " + g.id() + ".");
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            var digest = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /// A replay that cannot run, said plainly.
    private static final class ReplayProblem extends RuntimeException {
        ReplayProblem(String message) {
            super(message);
        }
    }

    static String describe(Throwable e) {
        if (e instanceof ReplayProblem p) return Objects.requireNonNullElse(p.getMessage(), "The replay failed.");
        if (e instanceof EngineException ee) {
            return switch (ee.kind()) {
                case MODEL_FILE_MISSING -> "The recorded model file is not there any more.";
                case NOT_A_MODEL_FILE, MODEL_FILE_CORRUPT -> "The recorded model file is no longer a readable GGUF model.";
                case UNSUPPORTED_ARCHITECTURE -> "This llama.cpp build cannot run the recorded model's architecture.";
                case NATIVE_LIBRARY_INVALID, NATIVE_LIBRARY_MISSING -> "The llama.cpp library cannot be loaded.";
                case NOT_ENOUGH_MEMORY -> "There is not enough memory to load the recorded model with its options.";
                case LOAD_FAILED -> "llama.cpp could not load the recorded model with its options.";
                case LOAD_CANCELLED, CANCELLED -> "Replay cancelled.";
                case NO_MODEL_LOADED, INVALID_REQUEST -> "The engine refused the recorded request.";
                case CONTEXT_FULL -> "The recorded prompt does not fit the recorded context size.";
                case DECODE_FAILED -> "llama.cpp failed while generating.";
                case ENGINE_CLOSED, ENGINE_CRASHED, PROTOCOL_ERROR -> "The engine worker stopped during the replay.";
            };
        }
        return "The replay failed: " + e.getMessage();
    }

    // ---- compare ----

    public ReadOnlyObjectProperty<@Nullable Comparison> comparisonProperty() { return comparison.getReadOnlyProperty(); }
    public ReadOnlyStringProperty compareMessageProperty() { return compareMessage.getReadOnlyProperty(); }

    /// Compares the two selected generations, the older one first.
    public void compare() {
        if (selection.size() != 2) {
            comparison.set(null);
            compareMessage.set("Select two generations to compare (Ctrl+click the second).");
            return;
        }
        compareMessage.set("");
        var a = selection.get(0).generation();
        var b = selection.get(1).generation();
        boolean aFirst = a.run().startedAt().isBefore(b.run().startedAt())
                || a.run().startedAt().equals(b.run().startedAt()) && a.id() < b.id();
        comparison.set(aFirst ? Comparison.of(a, b) : Comparison.of(b, a));
    }

    // ---- export ----

    /// What the last export did or why it failed, in one line.
    public ReadOnlyStringProperty exportMessageProperty() { return exportMessage.getReadOnlyProperty(); }

    /// Writes the selected generations, or the whole session of the first selected one, to `file`.
    public void export(Path file, ExportFormat format, boolean wholeSession) {
        if (selection.isEmpty()) {
            exportMessage.set("Select the generations to export first.");
            return;
        }
        var first = selection.getFirst().generation();
        var chosen = selection.stream().map(HistoryRow::generation).toList();
        var sessionId = first.sessionId();
        if (wholeSession && sessionId == null) {
            exportMessage.set("Generation " + first.id() + " is not part of a session; export the selection instead.");
            return;
        }
        exportMessage.set("Exporting…");
        tasks.run(() -> {
            List<Generation> generations = chosen;
            String title = "Hearth history";
            if (wholeSession) {
                generations = log.generations((long) sessionId);
                title = log.session(sessionId).map(Session::title).orElse("Session " + sessionId);
            }
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                switch (format) {
                    case MARKDOWN -> SessionExport.writeMarkdown(title, generations, out);
                    case JSONL -> SessionExport.writeJsonl(log, generations, out);
                }
            }
            return generations.size();
        }, n -> exportMessage.set("Exported " + n + (n == 1 ? " generation" : " generations") + " to " + file + "."),
                e -> exportMessage.set("Cannot write " + file + ": " + (e instanceof java.nio.file.NoSuchFileException
                        ? "its folder does not exist." : e instanceof java.nio.file.AccessDeniedException
                        ? "permission denied." : e.getMessage())));
    }
}
