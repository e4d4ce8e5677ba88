package dev.hearth.ui.project;

import dev.hearth.inference.Engine;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.project.ContextBudget;
import dev.hearth.inference.project.ContextFile;
import dev.hearth.inference.project.ProjectContext;
import dev.hearth.inference.project.ProjectException;
import dev.hearth.inference.project.ProjectFile;
import dev.hearth.inference.project.ProjectFiles;
import dev.hearth.inference.project.ProjectPrompt;
import dev.hearth.inference.project.PromptTokens;
import dev.hearth.inference.project.RepoMap;
import dev.hearth.inference.project.TokenCount;
import dev.hearth.storage.Project;
import dev.hearth.storage.Session;
import dev.hearth.storage.SessionLog;
import dev.hearth.ui.ProjectRecords;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.chat.ChatViewModel;
import dev.hearth.ui.engine.LoadedModel;
import dev.hearth.ui.engine.LoadedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javafx.beans.InvalidationListener;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// The Project section's state: the open folder, its files, the files in context (chips with token counts), the
/// budget plan, the repo map's switch and budget, and recent projects. It binds the section's [ChatViewModel] to
/// the project, so each turn is built with [ProjectPrompt] (as `hearth project ask` builds it) and its context is
/// recorded in the session log. Files changed on disk are re-read before each turn; `@path` in a message adds the
/// file. Properties change on the FX thread only.
public final class ProjectViewModel {
    /// Whether a project is open.
    public enum State { CLOSED, OPENING, OPEN }

    /// A file in context as a chip shows it; `estimated` when no model was loaded to count with.
    public record Chip(String path, int tokens, boolean estimated) {}

    private static final Pattern MENTION = Pattern.compile("(?<![\\w@])@([\\w./\\-]+[\\w/])");
    private static final int RECENT = 10;

    private final SessionLog log;
    private final LoadedModels models;
    private final ChatViewModel chat;
    private final UiTasks tasks;

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.CLOSED);
    private final ReadOnlyObjectWrapper<@Nullable Project> project = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Project> recent = FXCollections.observableArrayList();
    /// Read-only view of `recent`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<Project> recentView = FXCollections.unmodifiableObservableList(recent);
    private final ObservableList<ProjectFile> files = FXCollections.observableArrayList();
    /// Read-only view of `files`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<ProjectFile> filesView = FXCollections.unmodifiableObservableList(files);
    private final ObservableList<Chip> chips = FXCollections.observableArrayList();
    /// Read-only view of `chips`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<Chip> chipsView = FXCollections.unmodifiableObservableList(chips);
    private final ReadOnlyObjectWrapper<ContextBudget.@Nullable Plan> budget = new ReadOnlyObjectWrapper<>();
    private final BooleanProperty repoMap = new SimpleBooleanProperty(false);
    private final IntegerProperty repoMapTokens = new SimpleIntegerProperty(1024);
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final javafx.beans.property.ReadOnlyBooleanWrapper estimated = new javafx.beans.property.ReadOnlyBooleanWrapper(true);

    // Background state: guarded by `lock`.
    private final Object lock = new Object();
    private @Nullable ProjectContext context;
    private ProjectFiles.@Nullable Listing listing;
    private @Nullable Engine countedWith;
    /// Token counts of texts seen lately (files, history messages, the draft, repo-map lines), the least recently used
    /// dropped past [#COUNTS_KEPT]: the draft changes with every keystroke, and an unbounded map kept every prefix typed.
    private final Map<String, Integer> counts = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<String, Integer>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                    return size() > COUNTS_KEPT;
                }
            });
    private static final int COUNTS_KEPT = 4_096;
    private final AtomicLong budgetRound = new AtomicLong();
    /// What to say while the open project's folder is missing (a session opened from History or Chat); null otherwise.
    private volatile @Nullable String folderMissing;
    // The budget's repo map, built again only when the files in context, its budget or the model change (not per keystroke).
    private record MapKey(Set<String> inContext, int budget, @Nullable Engine engine) {}
    private volatile @Nullable MapKey mapKey;
    private volatile @Nullable RepoMap budgetMap;
    // The live budget's count of the rendered prompt, for the engine it was made for (keeps the counts of the prompt's
    // head, which stays the same while a message is typed).
    private record Rendered(Engine engine, PromptTokens tokens) {}
    private volatile @Nullable Rendered rendered;

    public ProjectViewModel(SessionLog log, LoadedModels models, ChatViewModel chat, UiTasks tasks) {
        this.log = log;
        this.models = models;
        this.chat = chat;
        this.tasks = tasks;
        InvalidationListener update = _ -> updateBudget();
        chat.draftProperty().addListener(update);
        chat.systemPromptProperty().addListener(update);
        chat.messages().addListener(update);
        repoMap.addListener(update);
        repoMapTokens.addListener(update);
        models.activeProperty().addListener(_ -> recount());
    }

    // ------------------------------------------------------------------ state out

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<@Nullable Project> projectProperty() {
        return project.getReadOnlyProperty();
    }

    /// Recently opened projects, the last opened first.
    public ObservableList<Project> recentProjects() {
        return recentView;
    }

    /// The project's files as listed (ignored files left out; not includable ones with their reason).
    public ObservableList<ProjectFile> files() {
        return filesView;
    }

    /// The files in context, in the order added.
    public ObservableList<Chip> chips() {
        return chipsView;
    }

    /// The budget of the next turn (system prompt, files, repo map, history, the draft, answer room); null before
    /// a project is open.
    public ReadOnlyObjectProperty<ContextBudget.@Nullable Plan> budgetProperty() {
        return budget.getReadOnlyProperty();
    }

    /// True while no model is loaded: counts are estimates and the budget's context size is unknown (the plan then
    /// uses the parts' own sum).
    public javafx.beans.property.ReadOnlyBooleanProperty estimatedProperty() {
        return estimated.getReadOnlyProperty();
    }

    public BooleanProperty repoMapProperty() {
        return repoMap;
    }

    public IntegerProperty repoMapTokensProperty() {
        return repoMapTokens;
    }

    /// The last thing worth saying (a file that could not be added, files re-read after changing on disk).
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public ChatViewModel chat() {
        return chat;
    }

    // ------------------------------------------------------------------ commands

    /// Reads the recent projects again.
    public void refreshRecent() {
        tasks.run(() -> log.recentProjects(RECENT), recent::setAll, e -> notice.set("Recent projects could not be read: " + e.getMessage()));
    }

    private record Opened(ProjectFiles files, ProjectFiles.Listing listing, Project row) {}

    /// Opens a folder: lists its files, finds or creates its project in the log, and binds the chat to it (its
    /// most recent session reopens).
    public void open(Path folder) {
        state.set(State.OPENING);
        tasks.run(() -> {
            var pf = ProjectFiles.of(folder);
            var l = pf.list();
            var row = ProjectRecords.open(log, pf.root());
            return new Opened(pf, l, row);
        }, opened -> show(opened, null), e -> {
            state.set(project.get() == null ? State.CLOSED : State.OPEN);
            notice.set(e instanceof ProjectException ? e.getMessage() : "The folder could not be opened: " + e.getMessage());
        });
    }

    /// Shows an opened project and binds the chat to it, with `session` open (else a new conversation; the
    /// project's latest session reopens).
    private void show(Opened opened, @Nullable Session session) {
        synchronized (lock) {
            context = new ProjectContext(opened.files(), TokenCount.ESTIMATE);
            listing = opened.listing();
            countedWith = null;
            budgetMap = null;
        }
        folderMissing = null;
        files.setAll(opened.listing().files());
        chips.clear();
        project.set(opened.row());
        state.set(State.OPEN);
        notice.set(opened.listing().truncated() ? "Only the first " + ProjectFiles.MAX_FILES + " files are listed." : "");
        if (session == null) {
            chat.newSession();
            chat.useProject(opened.row().id(), this::prepare);
        } else {
            chat.useProject(opened.row().id(), this::prepare, session);
        }
        refreshRecent();
        recount();
    }

    /// How a session's project was found: opened, or without its folder (gone, or never set).
    private sealed interface ForSession {
        record Found(Opened opened) implements ForSession {}

        record FolderMissing(Project row) implements ForSession {}
    }

    /// Opens a project's session (from History or the Chat section's list): opens its project's folder (unless that
    /// project is open already) and shows that session. When the folder no longer exists, the conversation is still
    /// shown, with a notice saying so; its files cannot be listed, added or sent until the folder is back.
    public void openSession(Session session) {
        var projectId = session.projectId();
        if (projectId == null) throw new IllegalArgumentException("session " + session.id() + " belongs to no project");
        var current = project.get();
        if (current != null && current.id() == projectId && state.get() == State.OPEN && folderMissing == null) {
            chat.openSession(session);
            return;
        }
        state.set(State.OPENING);
        tasks.run(() -> {
            var row = log.projects().stream().filter(p -> p.id() == projectId).findFirst()
                    .orElseThrow(() -> new ProjectException("The project of this session is no longer in the log."));
            var folder = row.folder() == null ? null : Path.of(row.folder());
            if (folder == null || !Files.isDirectory(folder)) return new ForSession.FolderMissing(row);
            var pf = ProjectFiles.of(folder);
            var l = pf.list();
            log.projectOpened(row.id());
            return new ForSession.Found(new Opened(pf, l, row));
        }, found -> {
            switch (found) {
                case ForSession.Found(var opened) -> show(opened, session);
                case ForSession.FolderMissing(var row) -> showWithoutFolder(row, session);
            }
        }, e -> {
            state.set(project.get() == null ? State.CLOSED : State.OPEN);
            notice.set(e instanceof ProjectException ? e.getMessage() : "The project's folder could not be opened: " + e.getMessage());
        });
    }

    private void showWithoutFolder(Project row, Session session) {
        synchronized (lock) {
            context = null;
            listing = null;
            countedWith = null;
            budgetMap = null;
        }
        var missing = row.folder() == null
                ? "The project " + row.name() + " has no folder"
                : "The folder " + row.folder() + " of the project " + row.name() + " no longer exists";
        folderMissing = missing + ": its conversation is shown, but no file can be added, sent or edited until the "
                + "folder is back (or open the project's folder where it is now).";
        files.clear();
        chips.clear();
        project.set(row);
        state.set(State.OPEN);
        notice.set(folderMissing);
        chat.useProject(row.id(), this::prepare, session);
        refreshRecent();
    }

    /// Opens a recent project's folder.
    public void open(Project recentProject) {
        var folder = recentProject.folder();
        if (folder == null) {
            notice.set("The project " + recentProject.name() + " has no folder.");
            return;
        }
        open(Path.of(folder));
    }

    /// Puts the file at `path` (relative to the project) into the context.
    public void add(String path) {
        withContext(c -> List.of(c.add(path)));
    }

    /// Puts every includable file under `folder` ("" for all) into the context.
    public void addFolder(String folder) {
        withContext(c -> {
            var l = listing;
            return l == null ? List.of() : c.addFolder(l, folder);
        });
    }

    /// Takes `path` out of the context.
    public void remove(String path) {
        withContext(c -> {
            c.remove(path);
            return List.of();
        });
    }

    /// Checks or unchecks a file in the tree.
    public void setIncluded(String path, boolean included) {
        if (included == contains(path)) return;
        if (included) add(path);
        else remove(path);
    }

    /// Whether `path` is in the context.
    public boolean contains(String path) {
        return chips.stream().anyMatch(c -> c.path().equals(path));
    }

    /// The file path of a dropped file (absolute), relative to the project; null when it is outside.
    public @Nullable String relativePath(Path dropped) {
        synchronized (lock) {
            var c = context;
            if (c == null) return null;
            try {
                var real = dropped.toRealPath();
                if (!real.startsWith(c.project().root())) return null;
                return c.project().root().relativize(real).toString().replace('\\', '/');
            } catch (java.io.IOException e) {
                return null;
            }
        }
    }

    /// Includable paths for `@` completion: those starting with `prefix` first, then those containing it; at most 20.
    public List<String> completions(String prefix) {
        var includable = files.stream().filter(ProjectFile::includable).map(ProjectFile::path).toList();
        var out = new LinkedHashSet<String>();
        for (var p : includable) if (p.startsWith(prefix) || fileName(p).startsWith(prefix)) out.add(p);
        for (var p : includable) if (p.contains(prefix)) out.add(p);
        return out.stream().limit(20).toList();
    }

    /// Looks for files in context that changed on disk and re-reads them.
    public void refreshFiles() {
        tasks.run(() -> {
            synchronized (lock) {
                var c = context;
                return c == null ? List.<ProjectContext.Change>of() : c.refresh();
            }
        }, changes -> {
            if (!changes.isEmpty()) notice.set(describe(changes));
            updateChips();
        }, e -> notice.set(e.getMessage()));
    }

    public void dismissNotice() {
        notice.set("");
    }

    // ------------------------------------------------------------------ the chat's turns

    /// Builds a turn's conversation (the chat's background thread): re-reads changed files, adds `@path` mentions,
    /// builds the repo map, plans the budget, and records the context once the generation starts.
    ChatViewModel.ContextSource.Prepared prepare(Engine engine, ModelSummary model, List<ChatMessage> conversation,
            Sampling sampling) {
        var system = !conversation.isEmpty() && conversation.getFirst().role().equals("system")
                ? conversation.getFirst().text() : ProjectPrompt.DEFAULT_SYSTEM;
        int from = !conversation.isEmpty() && conversation.getFirst().role().equals("system") ? 1 : 0;
        var history = conversation.subList(from, Math.max(from, conversation.size() - 1));
        var question = conversation.isEmpty() ? "" : conversation.getLast().text();
        var count = TokenCount.of(engine);
        boolean withMap = repoMap.get();
        int mapBudget = repoMapTokens.get();
        Long projectId = project.get() == null ? null : project.get().id();
        ProjectPrompt.Built built;
        List<ProjectContext.Change> changes;
        synchronized (lock) {
            var c = context;
            if (c == null) throw new ProjectException(folderMissing != null ? folderMissing : "No project is open.");
            if (countedWith != engine) {
                c.recount(count);
                countedWith = engine;
            }
            changes = c.refresh();
            for (var mention : mentions(question)) {
                if (!c.contains(mention) && c.project().file(mention).filter(ProjectFile::includable).isPresent()) c.add(mention);
            }
            RepoMap map = null;
            var l = listing;
            if (withMap && l != null) {
                var symbols = new HashSet<>(RepoMap.symbolsIn(question));
                if (!history.isEmpty()) symbols.addAll(RepoMap.symbolsIn(history.getLast().text()));
                var inContext = c.files().stream().map(ContextFile::path).collect(Collectors.toSet());
                map = RepoMap.build(l, inContext, symbols, mapBudget, count);
            }
            built = ProjectPrompt.build(system, c.files(), map, history, question, model.contextSize(), sampling.maxTokens(), count,
                    PromptTokens.of(engine, chat.formatter(engine, model)));
        }
        var plan = built.plan();
        tasks.post(() -> {
            updateChips();
            budget.set(plan);
            if (!changes.isEmpty()) notice.set(describe(changes));
            else if (!plan.cut().isEmpty()) notice.set("Over budget, left out: " + plan.cut().stream()
                    .map(ContextBudget.Part::label).collect(Collectors.joining(", ")));
        });
        var record = ProjectRecords.context(projectId, built, withMap ? mapBudget : null);
        return new ChatViewModel.ContextSource.Prepared(built.messages(), recorder -> ProjectRecords.record(log, recorder, record));
    }

    /// The `@path` mentions of a message, in order.
    static List<String> mentions(String text) {
        var out = new ArrayList<String>();
        var m = MENTION.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    // ------------------------------------------------------------------ internals

    private interface ContextWork {
        List<ContextFile> run(ProjectContext c);
    }

    private void withContext(ContextWork work) {
        tasks.run(() -> {
            synchronized (lock) {
                var c = context;
                if (c == null) throw new ProjectException(folderMissing != null ? folderMissing : "No project is open.");
                return work.run(c);
            }
        }, _ -> updateChips(), e -> {
            notice.set(e instanceof ProjectException ? e.getMessage() : "The file could not be read: " + e.getMessage());
            updateChips();
        });
    }

    /// Counts the files in context again with the active model's tokenizer (or the estimate without one).
    private void recount() {
        var engine = activeEngine();
        counts.clear();
        tasks.run(() -> {
            synchronized (lock) {
                var c = context;
                if (c != null && countedWith != engine) {
                    c.recount(engine == null ? TokenCount.ESTIMATE : TokenCount.of(engine));
                    countedWith = engine;
                }
            }
            return true;
        }, _ -> updateChips(), e -> notice.set("The files could not be counted: " + e.getMessage()));
    }

    private void updateChips() {
        List<ContextFile> now;
        boolean estimated;
        synchronized (lock) {
            var c = context;
            now = c == null ? List.of() : c.files();
            estimated = countedWith == null;
        }
        chips.setAll(now.stream().map(f -> new Chip(f.path(), f.tokens(), estimated)).toList());
        updateBudget();
    }

    /// Plans the next turn's budget in the background; the latest request wins.
    private void updateBudget() {
        if (state.get() != State.OPEN) return;
        long round = budgetRound.incrementAndGet();
        var engine = activeEngine();
        var active = models.activeProperty().get();
        var summary = active == null ? null : active.summary().orElse(null);
        int contextSize = summary == null ? 0 : summary.contextSize();
        var system = chat.systemPromptProperty().get().strip();
        var draft = chat.draftProperty().get();
        var history = chat.messages().stream().map(m -> ChatMessage.of(m.role().code(), m.text())).toList();
        boolean withMap = repoMap.get();
        int mapBudget = repoMapTokens.get();
        int answerRoom = chat.sampling().sampling().maxTokens();
        tasks.run(() -> {
            TokenCount base = engine == null ? TokenCount.ESTIMATE : TokenCount.of(engine);
            TokenCount count = text -> counts.computeIfAbsent(text, base::count);
            List<ContextFile> inContext;
            synchronized (lock) {
                var c = context;
                inContext = c == null ? List.of() : c.files();
            }
            RepoMap map = null;
            var l = listing;
            if (withMap && l != null) {
                var key = new MapKey(inContext.stream().map(ContextFile::path).collect(Collectors.toSet()), mapBudget, engine);
                var cached = budgetMap;
                if (cached != null && key.equals(mapKey)) {
                    map = cached;
                } else {
                    map = RepoMap.build(l, key.inContext(), Set.of(), mapBudget, count);
                    budgetMap = map;
                    mapKey = key;
                }
            }
            var systemText = system.isEmpty() ? ProjectPrompt.DEFAULT_SYSTEM : system;
            if (engine != null && summary != null && contextSize > 0) {
                // the prompt as the chat would render it: the template's own tokens are a part of the plan
                return ProjectPrompt.build(systemText, inContext, map, history, draft, contextSize, answerRoom, count,
                        promptTokens(engine, summary)).plan();
            }
            var parts = ProjectPrompt.parts(systemText, inContext, map, history, draft, answerRoom, count);
            int size = contextSize > 0 ? contextSize : parts.stream().mapToInt(ContextBudget.Part::tokens).sum() + 1;
            return ContextBudget.plan(Math.max(1, size), parts);
        }, plan -> {
            if (budgetRound.get() != round) return;
            estimated.set(contextSize <= 0 || engine == null);
            budget.set(plan);
        }, e -> notice.set("The budget could not be counted: " + e.getMessage()));
    }

    private PromptTokens promptTokens(Engine engine, ModelSummary summary) {
        var r = rendered;
        if (r != null && r.engine() == engine) return r.tokens();
        var made = new Rendered(engine, PromptTokens.reusingHead(engine, chat.formatter(engine, summary), 8));
        rendered = made;
        return made.tokens();
    }

    private @Nullable Engine activeEngine() {
        var active = models.activeProperty().get();
        if (active == null) return null;
        var s = active.state();
        return s == LoadedModel.State.READY || s == LoadedModel.State.GENERATING ? active.engine() : null;
    }

    private static String describe(List<ProjectContext.Change> changes) {
        var changed = changes.stream().filter(c -> c.kind() == ProjectContext.Change.Kind.CHANGED).map(ProjectContext.Change::path).toList();
        var gone = changes.stream().filter(c -> c.kind() == ProjectContext.Change.Kind.GONE).map(ProjectContext.Change::path).toList();
        var sb = new StringBuilder();
        if (!changed.isEmpty()) sb.append("Changed on disk, read again: ").append(String.join(", ", changed)).append(". ");
        if (!gone.isEmpty()) sb.append("Gone from the project, left out: ").append(String.join(", ", gone)).append('.');
        return sb.toString().strip();
    }

    private static String fileName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
