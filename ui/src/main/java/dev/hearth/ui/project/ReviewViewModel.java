package dev.hearth.ui.project;

import dev.hearth.inference.project.edit.Checkpoint;
import dev.hearth.inference.project.edit.EditApplier;
import dev.hearth.inference.project.edit.EditException;
import dev.hearth.inference.project.edit.EditPlanner;
import dev.hearth.inference.project.edit.EditProblem;
import dev.hearth.inference.project.edit.FileChange;
import dev.hearth.inference.project.edit.GitCommitter;
import dev.hearth.ui.UiTasks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.beans.InvalidationListener;
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

/// Reviewing the edits of one answer: the files it would change, each split into hunks to accept or reject (all
/// accepted at first), what could not be applied (with a follow-up message for the model), then Apply (one undoable
/// step, optionally committed to git) and Undo. Reopened after an apply (even after a restart), it offers the Undo of
/// that apply. Files are read and written through [UiTasks], never on the UI thread.
public final class ReviewViewModel {
    private static final Logger LOG = Logger.getLogger(ReviewViewModel.class.getName());

    /// Where the review stands.
    public enum State {
        /// Reading the files.
        LOADING,
        /// Hunks can be accepted and rejected, then applied.
        REVIEWING,
        /// Applying, undoing or committing.
        WORKING,
        /// Applied: Undo is offered.
        APPLIED,
        /// Undone (the review is over).
        UNDONE
    }

    /// One file of the review with the acceptance of each of its hunks.
    public static final class FileItem {
        private final FileChange change;
        private final List<BooleanProperty> accepted = new ArrayList<>();

        FileItem(FileChange change) {
            this.change = change;
            for (int i = 0; i < change.hunks().size(); i++) accepted.add(new SimpleBooleanProperty(true));
        }

        public FileChange change() {
            return change;
        }

        /// Whether hunk `index` is accepted (bindable).
        public BooleanProperty acceptedProperty(int index) {
            return accepted.get(index);
        }

        public Set<Integer> acceptedHunks() {
            var set = new HashSet<Integer>();
            for (int i = 0; i < accepted.size(); i++) if (accepted.get(i).get()) set.add(i);
            return set;
        }

        /// "src/A.java · new · 2/3 changes".
        public String label() {
            var kind = switch (change.kind()) {
                case CREATE -> " · new";
                case DELETE -> " · deleted";
                case MODIFY -> "";
            };
            return change.path() + kind + " · " + acceptedHunks().size() + "/" + accepted.size()
                    + (accepted.size() == 1 ? " change" : " changes");
        }
    }

    private final Path root;
    private final String answer;
    private final EditApplier.Origin origin;
    private final EditLogJournal journal;
    private final @Nullable GitCommitter git;
    private final UiTasks tasks;
    private final Consumer<String> followUpSink;

    private final ObservableList<FileItem> files = FXCollections.observableArrayList();
    private final ObservableList<EditProblem> problems = FXCollections.observableArrayList();
    // one read-only view of each, kept: a listener on a view lives as long as the view
    private final ObservableList<FileItem> readOnlyFiles = FXCollections.unmodifiableObservableList(files);
    private final ObservableList<EditProblem> readOnlyProblems = FXCollections.unmodifiableObservableList(problems);
    private final ObjectProperty<@Nullable FileItem> selected = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.LOADING);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Reading the files…");
    private final ReadOnlyBooleanWrapper canApply = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper staleUndo = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper gitRepository = new ReadOnlyBooleanWrapper(false);
    private final BooleanProperty commit = new SimpleBooleanProperty(false);
    private final InvalidationListener acceptanceChanged = _ -> update();
    private @Nullable Checkpoint applied;

    /// @param root the project folder the edits apply to
    /// @param answer the answer's Markdown text
    /// @param origin the session and generation the answer came from (recorded with every apply)
    /// @param git commits applied edits when the project is a git repository; null: never
    /// @param followUp receives the message for the model when [#sendFollowUp()] is asked for
    public ReviewViewModel(Path root, String answer, EditApplier.Origin origin, EditLogJournal journal,
            @Nullable GitCommitter git, UiTasks tasks, Consumer<String> followUp) {
        this.root = root;
        this.answer = answer;
        this.origin = origin;
        this.journal = journal;
        this.git = git;
        this.tasks = tasks;
        this.followUpSink = followUp;
        state.addListener(acceptanceChanged);
        load();
    }

    private record Loaded(EditPlanner.Plan plan, Optional<Checkpoint> previous, boolean repository) {}

    private void load() {
        tasks.run(() -> {
            var plan = EditPlanner.plan(root, answer);
            var previous = journal.latest(origin);
            boolean repository = false;
            if (git != null) {
                try {
                    repository = git.isRepository(root);
                } catch (EditException e) {
                    LOG.log(Level.FINE, "git is not available", e);
                }
            }
            return new Loaded(plan, previous, repository);
        }, loaded -> {
            for (var f : loaded.plan().files()) {
                var item = new FileItem(f);
                item.accepted.forEach(p -> p.addListener(acceptanceChanged));
                files.add(item);
            }
            problems.setAll(loaded.plan().problems());
            gitRepository.set(loaded.repository());
            if (!files.isEmpty()) selected.set(files.getFirst());
            var previous = loaded.previous().orElse(null);
            if (previous != null && !previous.undone()) {
                applied = previous;
                message.set("These edits were applied " + when(previous) + ". Undo puts the files back.");
                state.set(State.APPLIED);
            } else {
                message.set(files.isEmpty() ? "Nothing in this answer can be applied." : summary());
                state.set(State.REVIEWING);
            }
        }, e -> {
            message.set("The files could not be read: " + e.getMessage());
            state.set(State.REVIEWING);
        });
    }

    private static String when(Checkpoint c) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(java.time.ZoneId.systemDefault()).format(c.appliedAt());
    }

    // ------------------------------------------------------------------ state out

    public Path root() {
        return root;
    }

    public ObservableList<FileItem> files() {
        return readOnlyFiles;
    }

    /// Edits that cannot be applied as written.
    public ObservableList<EditProblem> problems() {
        return readOnlyProblems;
    }

    /// The file whose hunks are shown.
    public ObjectProperty<@Nullable FileItem> selectedProperty() {
        return selected;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /// One sentence on what happened last (or what the review holds).
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /// True while reviewing with at least one hunk accepted.
    public ReadOnlyBooleanProperty canApplyProperty() {
        return canApply.getReadOnlyProperty();
    }

    /// True after an Undo was refused because a file changed since the apply: the view offers "Undo anyway".
    public ReadOnlyBooleanProperty staleUndoProperty() {
        return staleUndo.getReadOnlyProperty();
    }

    /// Whether the project is a git repository (so that the apply can be committed).
    public ReadOnlyBooleanProperty gitRepositoryProperty() {
        return gitRepository.getReadOnlyProperty();
    }

    /// Whether Apply also commits the applied files to git.
    public BooleanProperty commitProperty() {
        return commit;
    }

    /// The apply that Undo would undo; null before one.
    public @Nullable Checkpoint applied() {
        return applied;
    }

    /// The message for the model about [#problems()].
    public String followUp() {
        return problems.isEmpty() ? "" : EditProblem.followUp(problems);
    }

    // ------------------------------------------------------------------ commands

    /// Accepts (or rejects) every hunk of every file.
    public void acceptAll(boolean accept) {
        for (var f : files) f.accepted.forEach(p -> p.set(accept));
    }

    /// Sends [#followUp()] to the chat.
    public void sendFollowUp() {
        if (!problems.isEmpty()) followUpSink.accept(followUp());
    }

    private record Outcome(Checkpoint checkpoint, @Nullable String commit, @Nullable String gitProblem) {}

    /// Writes the accepted hunks (all files or none) after keeping a checkpoint; commits when asked.
    public void apply() {
        if (!canApply.get()) return;
        var accepted = files.stream().map(f -> new EditApplier.Accepted(f.change(), f.acceptedHunks())).toList();
        boolean andCommit = commit.get() && gitRepository.get() && git != null;
        state.set(State.WORKING);
        tasks.run(() -> {
            var checkpoint = EditApplier.apply(root, accepted, journal, origin);
            if (!andCommit) return new Outcome(checkpoint, null, null);
            var paths = checkpoint.files().stream().map(Checkpoint.File::path).toList();
            try {
                var hash = git.commit(root, paths, commitMessage(paths));
                journal.committed(checkpoint.id(), hash);
                return new Outcome(checkpoint.withGitCommit(hash), hash, null);
            } catch (EditException e) {
                return new Outcome(checkpoint, null, e.getMessage());
            }
        }, outcome -> {
            applied = outcome.checkpoint();
            int n = outcome.checkpoint().files().size();
            var text = "Applied " + n + (n == 1 ? " file" : " files") + ". Undo puts the previous contents back.";
            if (outcome.commit() != null) text += " Committed as " + outcome.commit().substring(0, 7) + ".";
            if (outcome.gitProblem() != null) text += " Not committed: " + outcome.gitProblem();
            message.set(text);
            state.set(State.APPLIED);
        }, e -> {
            message.set(sentence(e));
            state.set(State.REVIEWING);
        });
    }

    /// Undoes the apply; refused (see [#staleUndoProperty()]) when a file changed since.
    public void undo() {
        undo(false);
    }

    /// Undoes the apply even though files changed since (their changes are lost).
    public void undoAnyway() {
        undo(true);
    }

    private void undo(boolean force) {
        var checkpoint = applied;
        if (checkpoint == null || state.get() != State.APPLIED) return;
        state.set(State.WORKING);
        tasks.run(() -> EditApplier.undo(checkpoint, journal, force), undone -> {
            applied = undone;
            staleUndo.set(false);
            message.set("Undone: the files are as they were before the apply.");
            state.set(State.UNDONE);
        }, e -> {
            staleUndo.set(e instanceof EditException ee && ee.kind() == EditException.Kind.STALE);
            message.set(sentence(e));
            state.set(State.APPLIED);
        });
    }

    private String commitMessage(List<String> paths) {
        var subject = paths.size() == 1 ? "Apply the model's edit to " + paths.getFirst()
                : "Apply the model's edits to " + paths.size() + " files";
        var body = new StringBuilder(subject).append("\n\n");
        for (var p : paths) body.append("- ").append(p).append('\n');
        body.append("\nApplied with Hearth");
        if (origin.sessionId() != null) body.append(" (session ").append(origin.sessionId());
        if (origin.generationId() != null) body.append(", generation ").append(origin.generationId());
        if (origin.sessionId() != null) body.append(')');
        return body.append('.').toString();
    }

    static String sentence(Throwable e) {
        if (!(e instanceof EditException ee)) return "The edit failed: " + e.getMessage();
        return switch (ee.kind()) {
            case UNSAFE_PATH -> ee.getMessage() + " Nothing was written.";
            case STALE, ALREADY_UNDONE, GIT -> ee.getMessage();
            case NOT_TEXT -> ee.getMessage() + " Nothing was written.";
            case NOTHING_TO_APPLY -> "Accept at least one change to apply.";
            case IO -> "A file could not be written: " + ee.getMessage();
        };
    }

    private String summary() {
        int hunks = files.stream().mapToInt(f -> f.acceptedHunks().size()).sum();
        return hunks + (hunks == 1 ? " change" : " changes") + " in " + files.size()
                + (files.size() == 1 ? " file" : " files") + " accepted"
                + (problems.isEmpty() ? "." : "; " + problems.size() + " could not be applied.");
    }

    private void update() {
        canApply.set(state.get() == State.REVIEWING && files.stream().anyMatch(f -> !f.acceptedHunks().isEmpty()));
        if (state.get() == State.REVIEWING && !files.isEmpty()) message.set(summary());
    }
}
