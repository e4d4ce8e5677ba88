package dev.hearth.ui.chat;

import dev.hearth.inference.Engine;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.TokenPiece;
import dev.hearth.inference.chat.BuiltinChatFormatter;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.EngineChatFormatter;
import dev.hearth.storage.Generation;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.Message;
import dev.hearth.storage.Session;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SessionMatch;
import dev.hearth.storage.Token;
import dev.hearth.storage.TopToken;
import dev.hearth.ui.Cancellable;
import dev.hearth.ui.FrameCoalescer;
import dev.hearth.ui.GenerationRecorder;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.engine.EngineFailures;
import dev.hearth.ui.engine.LoadedModel;
import dev.hearth.ui.engine.LoadedModels;
import dev.hearth.ui.inspector.PromptBreakdown;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.beans.InvalidationListener;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.jspecify.annotations.Nullable;

/// The Chat section's state and commands. Sessions come from the [SessionLog]; a session's messages form a tree
/// (an edit, a regeneration or a token branch adds a sibling and never overwrites) of which [#messages()] shows the
/// current branch. Answers stream from the active [LoadedModel]'s engine, recorded in the log as they stream
/// ([GenerationRecorder]); tokens reach the UI at most once per frame ([FrameCoalescer]). Nothing here blocks the UI
/// thread: engine and log calls run through [UiTasks].
public final class ChatViewModel {
    private static final Logger LOG = Logger.getLogger(ChatViewModel.class.getName());
    private static final long ROOT = 0;
    static final String NEW_TITLE = "New chat";

    /// Whether an answer is being generated.
    public enum State { IDLE, GENERATING }

    private final LoadedModels models;
    private final SessionLog log;
    private final BuiltinChatFormatter builtin;
    private final UiTasks tasks;
    private final SystemPromptPresets presets;
    private final SamplingViewModel sampling;

    private final ObservableList<Session> sessions = FXCollections.observableArrayList();
    private final FilteredList<Session> filteredSessions = new FilteredList<>(sessions);
    private final StringProperty search = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<Map<Long, SessionMatch>> searchMatches = new ReadOnlyObjectWrapper<>(Map.of());
    private @Nullable Cancellable searching;
    private final ReadOnlyObjectWrapper<@Nullable Session> session = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<@Nullable Session> lastDeleted = new ReadOnlyObjectWrapper<>();
    private final ObservableList<MessageItem> messages = FXCollections.observableArrayList();
    private final ObservableList<MessageItem> readOnlyMessages = FXCollections.unmodifiableObservableList(messages);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final StringProperty draft = new SimpleStringProperty("");
    private final StringProperty systemPrompt = new SimpleStringProperty("");
    private final ObservableList<String> presetNames = FXCollections.observableArrayList();
    /// Read-only view of `presetNames`, kept: listeners added to a wrapper made per call are lost when it is collected.
    private final ObservableList<String> presetNamesView = FXCollections.unmodifiableObservableList(presetNames);
    private final BooleanProperty heatmap = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper canSend = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper modelLine = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");

    // The open session's message tree (stored messages only), UI thread.
    private final Map<Long, List<Message>> children = new HashMap<>();
    private final Map<Long, Long> chosen = new HashMap<>();
    private final Map<Long, MessageItem> items = new HashMap<>();
    private final Map<Long, Generation> generations = new HashMap<>();
    /// Messages being written (not stored yet), shown after the branch cut at `pendingParent`.
    private final List<MessageItem> pending = new ArrayList<>();
    private @Nullable Long pendingParent;
    private @Nullable Engine generatingEngine;
    private boolean firstSessionsLoad = true;

    // The formatter for the engine it was made for (background threads).
    private @Nullable Engine formatterEngine;
    private @Nullable EngineChatFormatter formatter;

    public ChatViewModel(LoadedModels models, SessionLog log, BuiltinChatFormatter builtin,
            SystemPromptPresets presets, UiTasks tasks) {
        this(models, log, builtin, presets, tasks, () -> SamplingViewModel.DEFAULTS);
    }

    /// @param samplingDefaults the sampling panel's defaults (those saved in Settings)
    public ChatViewModel(LoadedModels models, SessionLog log, BuiltinChatFormatter builtin,
            SystemPromptPresets presets, UiTasks tasks, java.util.function.Supplier<Sampling> samplingDefaults) {
        this.sampling = new SamplingViewModel(samplingDefaults);
        this.models = models;
        this.log = log;
        this.builtin = builtin;
        this.presets = presets;
        this.tasks = tasks;
        presetNames.setAll(presets.all().keySet().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList());
        search.addListener((_, _, text) -> searchSessions(text));
        InvalidationListener update = _ -> updateDerived();
        var modelStateListener = (InvalidationListener) _ -> updateDerived();
        models.activeProperty().addListener((_, old, now) -> {
            if (old != null) old.stateProperty().removeListener(modelStateListener);
            if (now != null) now.stateProperty().addListener(modelStateListener);
            updateDerived();
        });
        var first = models.activeProperty().get();
        if (first != null) first.stateProperty().addListener(modelStateListener);
        draft.addListener(update);
        state.addListener(update);
        updateDerived();
    }

    // ------------------------------------------------------------------ state out

    /// Sessions not in the bin, most recent first, filtered by [#searchProperty()].
    public ObservableList<Session> sessions() {
        return filteredSessions;
    }

    /// Words that filter the session list: a session stays when its title or one of its messages holds them all
    /// (titles at once; message bodies through the session log's full-text index, off the UI thread).
    public StringProperty searchProperty() {
        return search;
    }

    /// For each listed session found through a message while [#searchProperty()] has words: the best matching
    /// message and its snippet (an unmodifiable map, replaced whole by each search: one change, however many
    /// sessions match; empty when nothing is searched for).
    public ReadOnlyObjectProperty<Map<Long, SessionMatch>> searchMatchesProperty() {
        return searchMatches.getReadOnlyProperty();
    }

    /// The current [#searchMatchesProperty()].
    public Map<Long, SessionMatch> searchMatches() {
        return searchMatches.get();
    }

    /// The open session; null before the first message of a new chat.
    public ReadOnlyObjectProperty<@Nullable Session> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    /// The session deleted last, while its Undo is offered; null otherwise.
    public ReadOnlyObjectProperty<@Nullable Session> lastDeletedProperty() {
        return lastDeleted.getReadOnlyProperty();
    }

    /// The current branch of the open session, first message first, then any answer being written.
    public ObservableList<MessageItem> messages() {
        return readOnlyMessages;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public StringProperty draftProperty() {
        return draft;
    }

    /// The system prompt that starts every conversation sent from now on (empty: none).
    public StringProperty systemPromptProperty() {
        return systemPrompt;
    }

    /// Names of the saved system prompts.
    public ObservableList<String> presetNames() {
        return presetNamesView;
    }

    public SamplingViewModel sampling() {
        return sampling;
    }

    /// Whether answers are shown as a token heatmap (the token inspector) instead of Markdown.
    public BooleanProperty heatmapProperty() {
        return heatmap;
    }

    /// True when a model is ready, nothing is being generated and the draft has text.
    public ReadOnlyBooleanProperty canSendProperty() {
        return canSend.getReadOnlyProperty();
    }

    /// One line about the model the chat talks to ("tiny.gguf — Ready", "No model loaded").
    public ReadOnlyStringProperty modelLineProperty() {
        return modelLine.getReadOnlyProperty();
    }

    /// A passing message (a failed save, a deleted session); empty when there is none.
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public LoadedModels models() {
        return models;
    }

    // ------------------------------------------------------------------ project context (the Project section)

    /// Builds each turn's conversation with a project's context, on the background thread that runs the turn.
    public interface ContextSource {
        /// The conversation to send instead of `conversation` (the system prompt, the branch, the user's new message
        /// last) to `model`, and what to do once the generation's recording has started.
        Prepared prepare(Engine engine, ModelSummary model, List<ChatMessage> conversation, Sampling sampling);

        /// A prepared turn.
        record Prepared(List<ChatMessage> conversation, Consumer<GenerationRecorder> started) {}
    }

    private volatile @Nullable ContextSource contextSource;
    private volatile @Nullable Long projectId;
    private @Nullable Consumer<Session> projectSessions;
    private @Nullable Session pendingOpen;

    /// Binds this chat to a project (the Project section's chat): new sessions belong to `projectId`, the session
    /// list shows only its sessions, and `source` builds each turn's conversation. Nulls unbind.
    public void useProject(@Nullable Long projectId, @Nullable ContextSource source) {
        this.projectId = projectId;
        this.contextSource = source;
        firstSessionsLoad = projectId != null; // a project's latest session reopens with it
        refreshSessions();
    }

    /// Binds this chat to the project of `session` (as [#useProject(Long, ContextSource)]) and opens that session
    /// rather than the project's latest.
    public void useProject(long projectId, ContextSource source, Session session) {
        this.projectId = projectId;
        this.contextSource = source;
        firstSessionsLoad = false;
        newSession(); // nothing stays selected in a list while it is replaced with the project's sessions
        pendingOpen = session;
        refreshSessions(); // then opens it, once the list holds it
    }

    /// A chat bound to no project (the Chat section's) hands each project's session it is asked to open to `opener`,
    /// which opens it with its project (the Project section), instead of showing it without the project's context.
    /// Such a chat also reopens its latest session without a project at start.
    public void openProjectSessionsWith(Consumer<Session> opener) {
        this.projectSessions = opener;
    }

    /// Whether [#openSession(Session)] hands `s` to the project opener rather than showing it here.
    public boolean opensElsewhere(Session s) {
        return projectSessions != null && projectId == null && s.projectId() != null;
    }

    // ------------------------------------------------------------------ sessions

    /// Reads the session list again (every session not in the bin, however many: the list is virtualised, and 20,000
    /// read in ~40 ms); the first time, opens the most recent session (Hearth reopens where it was).
    public void refreshSessions() {
        var project = projectId;
        tasks.run(() -> inProject(log.sessions(), project), list -> {
            sessions.setAll(list);
            var open = pendingOpen;
            pendingOpen = null;
            if (open != null) {
                openSession(open);
            } else if (firstSessionsLoad && session.get() == null) {
                list.stream().filter(x -> !opensElsewhere(x)).findFirst().ifPresent(this::openSession);
            }
            firstSessionsLoad = false;
        }, e -> fail("The session list could not be read", e));
    }

    private static List<Session> inProject(List<Session> all, @Nullable Long project) {
        return project == null ? all : all.stream().filter(s -> project.equals(s.projectId())).toList();
    }

    /// How long a search of the messages waits for the next keystroke before it reads the log: a common word in a
    /// large log takes a few hundred milliseconds, and typing a word should not start a search per letter.
    static final java.time.Duration SEARCH_PAUSE = java.time.Duration.ofMillis(150);

    private void searchSessions(String text) {
        var running = searching;
        if (running != null) running.cancel();
        searching = null;
        var words = List.of(text.strip().toLowerCase(Locale.ROOT).split("\\s+")).stream()
                .map(w -> w.endsWith("*") ? w.substring(0, w.length() - 1) : w).filter(w -> !w.isBlank()).toList();
        if (!searchMatches.get().isEmpty()) searchMatches.set(Map.of());
        if (words.isEmpty()) {
            filteredSessions.setPredicate(null);
            return;
        }
        java.util.function.Predicate<Session> byTitle = s -> {
            var title = s.title().toLowerCase(Locale.ROOT);
            return words.stream().allMatch(title::contains);
        };
        filteredSessions.setPredicate(byTitle);
        searching = tasks.run(() -> {
            Thread.sleep(SEARCH_PAUSE); // the next keystroke cancels this search (interrupting the wait) and starts its own
            return log.searchSessions(text);
        }, found -> {
            if (!search.get().equals(text)) return;
            searching = null;
            var byId = new HashMap<Long, SessionMatch>();
            for (var m : found) if (m.messageId() != null) byId.put(m.session().id(), m);
            searchMatches.set(java.util.Collections.unmodifiableMap(byId));
            filteredSessions.setPredicate(s -> byTitle.test(s) || byId.containsKey(s.id()));
        }, e -> {
            if (!(e instanceof dev.hearth.storage.StorageException se && se.kind() == dev.hearth.storage.StorageException.Kind.BAD_INPUT)) {
                fail("The sessions could not be searched", e);
            }
        });
    }

    /// Starts a new, empty conversation; the session is stored when its first message is sent.
    public void newSession() {
        if (state.get() == State.GENERATING) return;
        session.set(null);
        clearTree();
        rebuild();
    }

    /// Opens a session: reads its message tree and shows its latest branch. A project's session goes to the project
    /// opener instead when one is set ([#openProjectSessionsWith(Consumer)]).
    public void openSession(Session s) {
        var opener = projectSessions;
        if (opener != null && opensElsewhere(s)) {
            opener.accept(s);
            return;
        }
        if (state.get() == State.GENERATING) return;
        tasks.run(() -> loadKeepingCutOffAnswers(s.id()), loaded -> {
            session.set(s);
            clearTree();
            loaded.generations().forEach(g -> generations.put(g.id(), g));
            loaded.messages().forEach(this::insert);
            rebuild();
        }, e -> fail("The session could not be read", e));
    }

    private record Loaded(List<Message> messages, List<Generation> generations) {}

    /// A session's tree and generations, read off the UI thread. An answer's message is written when the answer
    /// ends, so an answer cut off by Hearth itself stopping (a crash, a kill, a power cut: the log marks its
    /// generation interrupted at the next open) has none yet. It gets one now, with the tokens the log kept, under
    /// the question it answered (the last question written before it started), and shows as interrupted.
    private Loaded loadKeepingCutOffAnswers(long sessionId) {
        var messages = log.messages(sessionId);
        var generations = log.generations(sessionId);
        var answered = new java.util.HashSet<Long>();
        for (var m : messages) if (m.generationId() != null) answered.add(m.generationId());
        boolean added = false;
        for (var g : generations) {
            if (answered.contains(g.id()) || g.status() != GenerationStatus.INTERRUPTED || g.variantId() != null) continue;
            Message question = null;
            for (var m : messages) {
                if (m.role() == Message.Role.USER && !m.createdAt().isAfter(g.run().startedAt())) question = m;
            }
            if (question == null) continue;
            var text = new StringBuilder();
            for (var t : log.tokens(g.id())) text.append(t.piece());
            log.addMessage(sessionId, question.id(), Message.Role.ASSISTANT, text.toString(), g.id());
            added = true;
        }
        return new Loaded(added ? log.messages(sessionId) : messages, generations);
    }

    public void renameSession(Session s, String title) {
        var t = title.strip();
        if (t.isEmpty()) return;
        tasks.run(() -> {
            log.renameSession(s.id(), t);
            return log.session(s.id()).orElse(s);
        }, renamed -> {
            replaceSession(renamed);
            if (session.get() != null && session.get().id() == s.id()) session.set(renamed);
        }, e -> fail("The session could not be renamed", e));
    }

    /// Moves a session to the bin (the view asks for confirmation first); [#undoDelete()] brings it back.
    public void deleteSession(Session s) {
        if (state.get() == State.GENERATING && session.get() != null && session.get().id() == s.id()) return;
        tasks.run(() -> {
            log.deleteSession(s.id());
            return s;
        }, deleted -> {
            sessions.removeIf(x -> x.id() == deleted.id());
            lastDeleted.set(deleted);
            notice.set("Deleted “" + deleted.title() + "”.");
            if (session.get() != null && session.get().id() == deleted.id()) newSession();
        }, e -> fail("The session could not be deleted", e));
    }

    /// Takes the last deleted session out of the bin.
    public void undoDelete() {
        var s = lastDeleted.get();
        if (s == null) return;
        lastDeleted.set(null);
        notice.set("");
        var project = projectId;
        tasks.run(() -> {
            log.restoreSession(s.id());
            return inProject(log.sessions(), project);
        }, sessions::setAll, e -> fail("The session could not be restored", e));
    }

    /// Hides the Undo offer.
    public void dismissNotice() {
        lastDeleted.set(null);
        notice.set("");
    }

    // ------------------------------------------------------------------ system prompt presets

    /// Puts a saved system prompt into the system prompt field.
    public void usePreset(String name) {
        var text = presets.all().get(name);
        if (text != null) systemPrompt.set(text);
    }

    /// Saves the current system prompt under `name`.
    public void savePreset(String name) {
        var text = systemPrompt.get();
        var n = name.strip();
        if (n.isEmpty()) return;
        tasks.run(() -> {
            presets.save(n, text);
            return presets.all().keySet().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        }, presetNames::setAll, e -> fail("The preset could not be saved", e));
    }

    public void deletePreset(String name) {
        tasks.run(() -> {
            presets.delete(name);
            return presets.all().keySet().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        }, presetNames::setAll, e -> fail("The preset could not be deleted", e));
    }

    // ------------------------------------------------------------------ conversation commands

    /// Sends the draft as the next message of the current branch and streams the answer.
    public void send() {
        if (!canSend.get()) return;
        var text = draft.get().strip();
        draft.set("");
        var path = storedPath();
        startTurn(path.isEmpty() ? null : path.getLast().id(), text);
    }

    /// Sends `newText` as a sibling of a user message (the old one stays, reachable with ‹ ›) and streams its answer.
    public void editAndResend(MessageItem message, String newText) {
        if (!ready() || message.role() != Message.Role.USER || message.id() == 0 || newText.isBlank()) return;
        startTurn(message.parentId(), newText.strip());
    }

    /// Writes a new answer to the same message; the old answer stays as a sibling.
    public void regenerate(MessageItem answer) {
        if (!ready() || !answer.isAnswer() || answer.id() == 0 || answer.parentId() == null) return;
        var model = models.activeProperty().get();
        var userId = answer.parentId();
        var conversation = conversationThrough(userId);
        var item = new MessageItem(0, Message.Role.ASSISTANT, userId, "", MessageItem.State.STREAMING);
        begin(model, userId, List.of(item));
        var sessionId = session.get().id();
        var coalescer = coalescerFor(item);
        tasks.run(() -> answer(model, sessionId, userId, conversation, sampling.sampling(), coalescer),
                result -> finishAnswer(model, item, coalescer, result), e -> unexpected(model, item, e));
    }

    /// Stops the answer being written (Esc); its text so far is kept.
    public void stop() {
        var engine = generatingEngine;
        if (engine != null) engine.cancel();
    }

    /// Shows the previous (`-1`) or next (`+1`) sibling of a message, and that sibling's latest branch below it.
    public void showSibling(MessageItem message, int delta) {
        if (state.get() == State.GENERATING || message.id() == 0) return;
        var siblings = children.getOrDefault(key(message.parentId()), List.of());
        int at = indexOf(siblings, message.id());
        int next = at + delta;
        if (at < 0 || next < 0 || next >= siblings.size()) return;
        chosen.put(key(message.parentId()), siblings.get(next).id());
        rebuild();
    }

    /// Reloads the active model in a fresh engine (after the engine stopped).
    public void reloadModel() {
        var model = models.activeProperty().get();
        if (model != null) models.reload(model);
    }

    // ------------------------------------------------------------------ for the token inspector

    /// Fills an older answer's [MessageItem#tokens()] from the session log (live answers have theirs already).
    public void loadTokens(MessageItem answer) {
        loadTokens(answer, () -> {});
    }

    private void loadTokens(MessageItem answer, Runnable then) {
        var generationId = answer.generationId();
        if (answer.tokensLoaded() || generationId == null) {
            then.run();
            return;
        }
        tasks.run(() -> log.tokens(generationId), tokens -> {
            answer.tokensLoaded(tokens);
            then.run();
        }, e -> fail("The answer's tokens could not be read", e));
    }

    /// Makes a new sibling answer that keeps `answer`'s tokens before `tokenIndex`, takes `alternative` there, and
    /// lets the model continue: the prompt's tokens, those tokens and the alternative go to
    /// [Engine#generateTokens] (the KV cache keeps the common prefix, so only the new token is evaluated). It streams
    /// and is recorded like any answer.
    public void continueWith(MessageItem answer, int tokenIndex, TopToken alternative) {
        if (!ready() || !answer.isAnswer() || answer.id() == 0 || answer.parentId() == null) return;
        loadTokens(answer, () -> startContinuation(answer, tokenIndex, alternative));
    }

    private void startContinuation(MessageItem answer, int tokenIndex, TopToken alternative) {
        var prompt = answer.prompt();
        var tokens = List.copyOf(answer.tokens());
        if (prompt == null || tokenIndex < 0 || tokenIndex >= tokens.size() || !ready()) {
            notice.set("This answer cannot be continued from that token (its prompt or tokens are not recorded).");
            return;
        }
        var model = models.activeProperty().get();
        var at = tokens.get(tokenIndex);
        var prefix = new ArrayList<>(tokens.subList(0, tokenIndex));
        int rank = indexOfAlternative(at.top(), alternative.id());
        prefix.add(new Token(tokenIndex, alternative.id(), alternative.text(), alternative.logprob(), rank,
                at.entropy(), at.ms(), at.top()));
        var userId = answer.parentId();
        var item = new MessageItem(0, Message.Role.ASSISTANT, userId, "", MessageItem.State.STREAMING);
        item.append(prefix);
        item.startTokens(prefix);
        begin(model, userId, List.of(item));
        var sessionId = session.get().id();
        var samplingNow = sampling.sampling();
        var coalescer = coalescerFor(item);
        tasks.run(() -> continuation(model, sessionId, userId, prompt, prefix, samplingNow, coalescer),
                result -> finishAnswer(model, item, coalescer, result), e -> unexpected(model, item, e));
    }

    /// Works out, off the UI thread, how the prompt behind an answer (or the next message, for a user message)
    /// was tokenised: its text, tokens, and the share of system prompt, history and newest message.
    public void promptBreakdown(MessageItem message, Consumer<PromptBreakdown> onReady, Consumer<String> onFailure) {
        var model = models.activeProperty().get();
        if (model == null || model.state() != LoadedModel.State.READY && model.state() != LoadedModel.State.GENERATING) {
            onFailure.accept("Load a model to see how it tokenises the prompt.");
            return;
        }
        Long lastUser = message.isAnswer() ? message.parentId() : Long.valueOf(message.id());
        if (lastUser == null || lastUser == 0) {
            onFailure.accept("This message is not stored yet.");
            return;
        }
        var conversation = conversationThrough(lastUser);
        tasks.run(() -> breakdown(model, conversation), onReady, e -> onFailure.accept(EngineFailures.sentence(e)));
    }

    private PromptBreakdown breakdown(LoadedModel model, List<ChatMessage> conversation) {
        var engine = model.engine();
        var f = formatter(model, engine);
        boolean hasSystem = !conversation.isEmpty() && conversation.getFirst().role().equals("system");
        var system = hasSystem ? conversation.subList(0, 1) : List.<ChatMessage>of();
        var history = conversation.subList(0, conversation.size() - 1);
        var text = f.promptFor(conversation);
        var pieces = engine.tokenize(text, true, true);
        int systemTokens = system.isEmpty() ? 0 : count(engine, f.engineText(f.format(system, false)));
        int throughHistory = history.size() == system.size() ? systemTokens : count(engine, f.engineText(f.format(history, false)));
        int historyTokens = Math.max(0, throughHistory - systemTokens);
        int newTokens = Math.max(0, pieces.size() - systemTokens - historyTokens);
        int contextSize = model.summary().map(s -> s.contextSize()).orElse(0);
        return new PromptBreakdown(text, pieces, systemTokens, historyTokens, newTokens, contextSize);
    }

    private static int count(Engine engine, String text) {
        return engine.tokenize(text, true, true).size();
    }

    // ------------------------------------------------------------------ turns

    private void startTurn(@Nullable Long parentId, String text) {
        var model = models.activeProperty().get();
        var conversation = new ArrayList<>(parentId == null ? systemOnly() : conversationThrough(parentId));
        conversation.add(ChatMessage.user(text));
        var user = new MessageItem(0, Message.Role.USER, parentId, text, MessageItem.State.DONE);
        var item = new MessageItem(0, Message.Role.ASSISTANT, null, "", MessageItem.State.STREAMING);
        begin(model, parentId, List.of(user, item));
        var existing = session.get();
        var samplingNow = sampling.sampling();
        var coalescer = coalescerFor(item);
        tasks.run(() -> {
            var s = existing != null ? existing : newStoredSession(text);
            if (existing != null && existing.title().equals(NEW_TITLE)) log.renameSession(s.id(), titleFrom(text));
            long userId = log.addMessage(s.id(), parentId, Message.Role.USER, text, null);
            var answer = answer(model, s.id(), userId, conversation, samplingNow, coalescer);
            return new Turn(log.session(s.id()).orElse(s), new Message(userId, s.id(), parentId, Message.Role.USER, text,
                    null, Instant.now()), answer);
        }, turn -> {
            var s = turn.session();
            session.set(s);
            replaceSession(s);
            user.stored(turn.user().id(), parentId, null);
            items.put(turn.user().id(), user);
            insert(turn.user());
            chosen.put(key(parentId), turn.user().id());
            finishAnswer(model, item, coalescer, turn.answer());
        }, e -> unexpected(model, item, e));
    }

    private record Turn(Session session, Message user, Answer answer) {}

    /// What one generation left: the stored answer (message and generation), its figures, or how it failed.
    private record Answer(Message message, @Nullable Long generationId, String prompt, @Nullable GenerationStats stats,
            @Nullable EngineException failure) {}

    private Session newStoredSession(String firstMessage) {
        long id = log.createSession(titleFrom(firstMessage), projectId);
        return log.session(id).orElseThrow();
    }

    /// Runs one generation and stores its answer (background thread).
    private Answer answer(LoadedModel model, long sessionId, long userId, List<ChatMessage> conversation, Sampling s,
            FrameCoalescer<Token> coalescer) {
        var engine = model.engine();
        var source = contextSource;
        var prepared = source == null ? null : source.prepare(engine, model.summary().orElseThrow(), conversation, s);
        var prompt = formatter(model, engine).promptFor(prepared == null ? conversation : prepared.conversation());
        int promptTokens = engine.tokenize(prompt, true, true).size();
        var recorder = GenerationRecorder.start(log, sessionId, model.request().model(), engine.capabilities().libraryBuild(),
                model.engineKind(), model.request().options(), s, prompt, promptTokens);
        if (prepared != null) prepared.started().accept(recorder);
        return stream(sessionId, userId, recorder, new StringBuilder(), prompt, coalescer,
                events -> engine.generate(new GenerationRequest(prompt, s).withTruncateLeft(true), events));
    }

    /// Runs a branch from a token (background thread): the prefix tokens are recorded first, then the continuation.
    private Answer continuation(LoadedModel model, long sessionId, long userId, String prompt, List<Token> prefix,
            Sampling s, FrameCoalescer<Token> coalescer) {
        var engine = model.engine();
        var ids = new ArrayList<Integer>();
        for (TokenPiece p : engine.tokenize(prompt, true, true)) ids.add(p.id());
        int promptTokens = ids.size();
        for (var t : prefix) ids.add(t.id());
        var recorder = GenerationRecorder.start(log, sessionId, model.request().model(), engine.capabilities().libraryBuild(),
                model.engineKind(), model.request().options(), s, prompt, promptTokens);
        var text = new StringBuilder();
        for (var t : prefix) {
            recorder.copy(t);
            text.append(t.piece());
        }
        return stream(sessionId, userId, recorder, text, prompt, coalescer, events -> engine.generateTokens(ids, s, true, events));
    }

    /// Streams one generation (background thread) into the log, `text` and the coalescer, then stores the answer's
    /// message; an engine failure is recorded and carried in the answer, not thrown.
    private Answer stream(long sessionId, long userId, GenerationRecorder recorder, StringBuilder text, String prompt,
            FrameCoalescer<Token> coalescer, java.util.function.Function<Consumer<GenerationEvent>, GenerationStats> generation) {
        GenerationStats stats = null;
        EngineException failure = null;
        try {
            stats = generation.apply(event -> {
                if (event instanceof GenerationEvent.Token t) {
                    var row = recorder.token(t);
                    text.append(t.text());
                    coalescer.add(row);
                }
            });
            recorder.finish(stats);
        } catch (EngineException e) {
            failure = e;
            recorder.fail(EngineFailures.sentence(e) + " (" + e.getMessage() + ")");
        }
        return store(sessionId, userId, recorder, text.toString(), prompt, stats, failure);
    }

    private Answer store(long sessionId, long userId, GenerationRecorder recorder, String text, String prompt,
            @Nullable GenerationStats stats, @Nullable EngineException failure) {
        var generationId = recorder.id();
        long id = log.addMessage(sessionId, userId, Message.Role.ASSISTANT, text, generationId);
        return new Answer(new Message(id, sessionId, userId, Message.Role.ASSISTANT, text, generationId, Instant.now()),
                generationId, prompt, stats, failure);
    }

    private void begin(LoadedModel model, @Nullable Long parentId, List<MessageItem> writing) {
        pending.clear();
        pending.addAll(writing);
        pendingParent = parentId;
        state.set(State.GENERATING);
        generatingEngine = model.engine();
        model.generating(true);
        rebuild();
    }

    private FrameCoalescer<Token> coalescerFor(MessageItem item) {
        return new FrameCoalescer<>(tasks, item::append);
    }

    private void finishAnswer(LoadedModel model, MessageItem item, FrameCoalescer<Token> coalescer, Answer answer) {
        coalescer.flush();
        var stored = answer.message();
        item.stored(stored.id(), stored.parentId(), answer.generationId());
        item.prompt(answer.prompt());
        items.put(stored.id(), item);
        insert(stored, item);
        chosen.put(key(stored.parentId()), stored.id());
        var stats = answer.stats();
        var failure = answer.failure();
        if (failure != null) {
            boolean stopped = EngineFailures.engineStopped(failure.kind());
            item.fail(stopped ? "The engine stopped while generating." : EngineFailures.sentence(failure), stopped);
            if (stopped) models.engineStopped(model, failure.failure());
        } else if (stats != null) {
            item.finish(stats.stopReason() == dev.hearth.inference.StopReason.CANCELLED ? MessageItem.State.STOPPED
                    : MessageItem.State.DONE, figures(stats.generatedTokens(), stats.generationTokensPerSecond(),
                            stats.timeToFirstTokenMs(), stats.stopReason().wireName()));
        }
        endGeneration(model);
        if (failure == null) models.refreshMemory(model);
    }

    private void unexpected(LoadedModel model, MessageItem item, Throwable e) {
        LOG.log(Level.WARNING, "an answer could not be completed", e);
        notice.set("The answer could not be completed: " + e.getMessage());
        item.fail(e instanceof EngineException ee ? EngineFailures.sentence(ee.kind())
                : "The answer could not be saved: " + e.getMessage(), false);
        if (e instanceof EngineException ee && EngineFailures.engineStopped(ee.kind())) models.engineStopped(model, ee.failure());
        endGeneration(model);
    }

    private void endGeneration(LoadedModel model) {
        pending.clear();
        pendingParent = null;
        generatingEngine = null;
        model.generating(false);
        state.set(State.IDLE);
        rebuild();
    }

    // ------------------------------------------------------------------ the tree

    private void clearTree() {
        children.clear();
        chosen.clear();
        items.clear();
        generations.clear();
        pending.clear();
        pendingParent = null;
    }

    private void insert(Message m) {
        insert(m, null);
    }

    private void insert(Message m, @Nullable MessageItem existing) {
        var list = children.computeIfAbsent(key(m.parentId()), _ -> new ArrayList<>());
        if (indexOf(list, m.id()) < 0) list.add(m);
        if (existing == null && !items.containsKey(m.id())) items.put(m.id(), itemFor(m));
    }

    private MessageItem itemFor(Message m) {
        var gen = m.generationId() == null ? null : generations.get(m.generationId());
        if (gen == null) return new MessageItem(m.id(), m.role(), m.parentId(), m.content(), MessageItem.State.DONE);
        var end = switch (gen.status()) {
            case DONE, RUNNING -> MessageItem.State.DONE;
            case CANCELLED -> MessageItem.State.STOPPED;
            case FAILED, INTERRUPTED -> MessageItem.State.FAILED;
        };
        var item = new MessageItem(m.id(), m.role(), m.parentId(), m.content(), MessageItem.State.DONE);
        item.stored(m.id(), m.parentId(), gen.id());
        item.prompt(gen.run().prompt());
        var s = gen.stats();
        if (end == MessageItem.State.FAILED) {
            item.fail(gen.status() == GenerationStatus.INTERRUPTED ? "This answer was interrupted."
                    : gen.failureReason() != null ? gen.failureReason() : "This answer failed.", false);
        } else {
            item.finish(end, s == null ? "" : figures(s.generatedTokens(), s.tokensPerSecond(), s.ttftMs(),
                    gen.stopReason() == null ? "" : gen.stopReason()));
        }
        return item;
    }

    /// The stored messages of the current branch, from the first message down.
    private List<Message> storedPath() {
        var path = new ArrayList<Message>();
        long at = ROOT;
        while (true) {
            var kids = children.get(at);
            if (kids == null || kids.isEmpty()) return path;
            Long pick = chosen.get(at);
            Message next = kids.getLast();
            if (pick != null) {
                for (var k : kids) if (k.id() == pick) next = k;
            }
            path.add(next);
            at = next.id();
        }
    }

    private void rebuild() {
        var path = storedPath();
        var shown = new ArrayList<MessageItem>();
        boolean cut = !pending.isEmpty();
        if (!(cut && pendingParent == null)) {
            for (var m : path) {
                var item = items.get(m.id());
                if (item == null) continue;
                var siblings = children.getOrDefault(key(m.parentId()), List.of());
                item.siblings(indexOf(siblings, m.id()), siblings.size());
                shown.add(item);
                if (cut && pendingParent != null && m.id() == pendingParent) break;
            }
        }
        shown.addAll(pending);
        // Only the tail that changed: messages still shown keep their cells (a long answer is not laid out again).
        int same = 0;
        while (same < shown.size() && same < messages.size() && messages.get(same) == shown.get(same)) same++;
        if (same < messages.size()) messages.remove(same, messages.size());
        if (same < shown.size()) messages.addAll(shown.subList(same, shown.size()));
    }

    private List<ChatMessage> systemOnly() {
        var system = systemPrompt.get().strip();
        return system.isEmpty() ? List.of() : List.of(ChatMessage.system(system));
    }

    /// The conversation for the engine: the system prompt, then the current branch up to and including `lastId`.
    private List<ChatMessage> conversationThrough(long lastId) {
        var conversation = new ArrayList<>(systemOnly());
        for (var m : storedPath()) {
            conversation.add(ChatMessage.of(m.role().code(), m.content()));
            if (m.id() == lastId) break;
        }
        return conversation;
    }

    private EngineChatFormatter formatter(LoadedModel model, Engine engine) {
        return formatter(engine, model.summary().orElseThrow());
    }

    /// The formatter this chat renders its prompts with for the model loaded in `engine` (made once per engine;
    /// any thread): the Project section counts the chat template's tokens with it.
    public EngineChatFormatter formatter(Engine engine, ModelSummary model) {
        synchronized (this) {
            if (formatterEngine == engine && formatter != null) return formatter;
        }
        var made = EngineChatFormatter.of(engine, model, builtin);
        synchronized (this) {
            formatterEngine = engine;
            formatter = made;
        }
        return made;
    }

    // ------------------------------------------------------------------ helpers

    private boolean ready() {
        var model = models.activeProperty().get();
        return state.get() == State.IDLE && model != null && model.state() == LoadedModel.State.READY && session.get() != null;
    }

    private void updateDerived() {
        var model = models.activeProperty().get();
        boolean modelReady = model != null && model.state() == LoadedModel.State.READY;
        canSend.set(modelReady && state.get() == State.IDLE && !draft.get().isBlank());
        modelLine.set(model == null ? "No model loaded" : model.name() + " — " + switch (model.state()) {
            case LOADING -> "loading…";
            case READY -> "ready";
            case GENERATING -> "generating";
            case FAILED -> "stopped";
            case UNLOADED -> "unloaded";
        });
    }

    /// Updates a listed session in place (so a list's selection stays on it), or lists a new one first.
    private void replaceSession(Session s) {
        for (int i = 0; i < sessions.size(); i++) {
            if (sessions.get(i).id() == s.id()) {
                sessions.set(i, s);
                return;
            }
        }
        sessions.addFirst(s);
    }

    private void fail(String what, Throwable e) {
        LOG.log(Level.WARNING, what, e);
        notice.set(what + ": " + (e instanceof IOException ? e.getMessage() : String.valueOf(e.getMessage())));
    }

    static String titleFrom(String text) {
        var line = text.strip().lines().findFirst().orElse("").strip();
        if (line.isEmpty()) return NEW_TITLE;
        return line.length() <= 48 ? line : line.substring(0, 47).strip() + "…";
    }

    static String figures(int tokens, double tokensPerSecond, double ttftMs, String stopReason) {
        return String.format(Locale.ROOT, "%d tokens · %.1f tok/s · TTFT %.0f ms%s", tokens, tokensPerSecond, ttftMs,
                stopReason.isEmpty() ? "" : " · stop: " + stopReason);
    }

    private static long key(@Nullable Long parentId) {
        return parentId == null ? ROOT : parentId;
    }

    private static int indexOf(List<Message> list, long id) {
        for (int i = 0; i < list.size(); i++) if (list.get(i).id() == id) return i;
        return -1;
    }

    private static int indexOfAlternative(List<TopToken> top, int id) {
        for (int i = 0; i < top.size(); i++) if (top.get(i).id() == id) return i;
        return -1;
    }
}
