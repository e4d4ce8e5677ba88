package dev.hearth.storage;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/// Everything Hearth runs, kept: sessions, their message trees, generations with their per-token data,
/// experiments, ratings and notes. Writes go through one writer thread (a producer never waits for the disk);
/// reads use their own connections. Verbs that return a value wait for their own commit (call them off the UI
/// thread); [GenerationWriter] never waits.
///
/// Failures are [StorageException]s: `NEWER_SCHEMA`, `READ_ONLY` and `CORRUPT` at open; `PAUSED` when a write
/// failure paused logging ([#health()]).
public interface SessionLog extends AutoCloseable {

    // ---- models, projects, sessions ----

    /// Stores a model or updates the one with the same path; returns its id.
    long registerModel(ModelFile model);

    List<ModelFile> models();

    long createProject(String name, @Nullable String folder);

    List<Project> projects();

    /// Marks a project as opened now: [#recentProjects] lists the most recently opened first.
    void projectOpened(long projectId);

    /// Projects, the most recently opened (or, never opened, created) first.
    List<Project> recentProjects(int limit);

    long createSession(String title, @Nullable Long projectId);

    void renameSession(long sessionId, String title);

    /// Sessions not in the bin, most recently updated first, at most `limit`.
    List<Session> sessions(int limit);

    /// Every session not in the bin, most recently updated first (the chat's session list: ~40 ms for 20,000).
    List<Session> sessions();

    /// Sessions in the bin (soft-deleted), most recently deleted first.
    List<Session> deletedSessions();

    Optional<Session> session(long sessionId);

    /// Moves a session to the bin: hidden from lists and search, kept until purged.
    void deleteSession(long sessionId);

    /// Takes a session out of the bin.
    void restoreSession(long sessionId);

    /// Removes for good the sessions deleted before `cutoff`, with their messages and generations; returns how many.
    int purgeDeleted(Instant cutoff);

    // ---- messages (a tree) ----

    long addMessage(long sessionId, @Nullable Long parentId, Message.Role role, String content, @Nullable Long generationId);

    /// All messages of a session, in creation order (parents before children).
    List<Message> messages(long sessionId);

    // ---- generations ----

    /// Starts logging a generation: queues its row (status `RUNNING`) and returns at once.
    GenerationWriter startGeneration(@Nullable Long sessionId, @Nullable Long variantId, RunRecord run);

    Optional<Generation> generation(long generationId);

    Optional<Generation> generationByUuid(String uuid);

    /// The latest generations (of sessions not in the bin, and outside sessions), newest first.
    List<Generation> recentGenerations(int limit);

    /// A session's generations, oldest first.
    List<Generation> generations(long sessionId);

    /// The generations that pass `query`'s filters (its text is ignored), newest first, at most `query.limit()`:
    /// the history's list when nothing is searched for.
    List<Generation> browse(SearchQuery query);

    /// These generations, in the order given; ids not in the log are left out.
    List<Generation> generations(List<Long> ids);

    /// Records what was in a generation's context (its project files and repo map), once its row is queued by
    /// [#startGeneration]; waits for the commit.
    void recordContext(String generationUuid, GenerationContext context);

    /// What was in a generation's context, if [#recordContext] recorded it.
    Optional<GenerationContext> context(long generationId);

    /// A generation's per-token data, in order.
    List<Token> tokens(long generationId);

    // ---- experiments, ratings, notes ----

    long createExperiment(String name, @Nullable Long sessionId);

    /// Adds a variant to the experiment's first revision.
    default long addVariant(long experimentId, String label, Map<String, Object> settings) {
        return addVariant(experimentId, 1, label, settings);
    }

    /// Adds a variant to a revision of the experiment (an experiment edited and run again gets the next revision,
    /// with variants of its own; labels are unique within a revision).
    long addVariant(long experimentId, int revision, String label, Map<String, Object> settings);

    void renameExperiment(long experimentId, String name);

    Optional<Experiment> experiment(long experimentId);

    /// The latest experiments, newest first.
    List<Experiment> experiments(int limit);

    /// Rates a generation (-1 = bad, 0 = unrated, 1…5 stars); replaces an earlier rating.
    void rate(long generationId, int score);

    Optional<Integer> rating(long generationId);

    long addNote(@Nullable Long sessionId, @Nullable Long generationId, String text);

    List<Note> notes(@Nullable Long sessionId, @Nullable Long generationId);

    /// Records that `generationId` continues `sourceId` from its token `tokenIndex` with another token there.
    void recordContinuation(long generationId, long sourceId, int tokenIndex);

    /// Which of these generations are continuations, and of what (in the order given).
    List<Continuation> continuations(List<Long> generationIds);
    // ---- applied edits (project sessions) ----

    /// Keeps an edit about to be applied, with the previous content of every file it writes; returns its id.
    long recordEdit(NewEdit edit);

    /// Forgets an edit whose apply failed and changed nothing.
    void deleteEdit(long editId);

    /// Marks an edit undone at `when`.
    void markEditUndone(long editId, Instant when);

    /// Records the git commit made of an edit.
    void setEditCommit(long editId, String commit);

    Optional<EditRecord> edit(long editId);

    /// Applied edits of a session (all sessions when null), newest first.
    List<EditRecord> edits(@Nullable Long sessionId, int limit);

    /// The previous content of each file of an edit that existed before it (path → bytes); files it created are
    /// absent.
    Map<String, byte[]> editCheckpoint(long editId);

    // ---- search and metrics ----

    List<SearchHit> search(SearchQuery query);

    /// Sessions not in the bin whose title or a message's text holds every word of `text` (a word ending in `*`
    /// matches as a prefix; never parsed as FTS5 syntax), most recently updated first, at most `limit`; however old
    /// a session and however common the words, it is found. Each found through a message names its best matching
    /// message with a snippet.
    List<SessionMatch> searchSessions(String text, int limit);

    /// Every session [#searchSessions(String, int)] finds, most recently updated first.
    default List<SessionMatch> searchSessions(String text) {
        return searchSessions(text, Integer.MAX_VALUE);
    }

    List<ThroughputRow> throughput(ThroughputQuery query);

    /// For each model name in the log, the model file of its most recent generation (to read its weight size).
    Map<String, String> latestModelPaths();

    // ---- maintenance ----

    /// The file's size on disk and how much of it is free pages.
    LogFileSize fileSize();

    /// Rebuilds the database file without its free pages (SQLite `VACUUM`) and truncates the write-ahead log.
    /// Blocks while it runs (seconds for a large log); writers wait for it.
    void vacuum();

    // ---- import ----

    /// Stores a whole generation as exported elsewhere (same uuid, times, status, tokens), creating its session
    /// (matched by uuid) when needed; one exported while still `RUNNING` is stored as `INTERRUPTED`. Returns false
    /// when a generation with that uuid is already here.
    boolean importGeneration(@Nullable SessionRef session, Generation generation, List<Token> tokens);

    /// A session as carried in exports.
    record SessionRef(String uuid, String title, Instant createdAt) {}

    // ---- lifecycle ----

    Health health();

    /// Waits until everything queued before this call is committed (or has failed).
    void flush();

    /// Flushes, marks generations this log started and never finished as `INTERRUPTED`, and closes. Idempotent.
    @Override
    void close();
}
