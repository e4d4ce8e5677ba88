package dev.hearth.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/// The SQLite [SessionLog]: one database file in WAL mode, foreign keys on, a busy timeout so that two Hearth
/// processes can share it. The only class with SQL.
///
/// **Threads.** One writer thread owns the write connection and commits queued work in batched transactions:
/// streamed tokens at least every [#COMMIT_INTERVAL_MS] ms, other verbs as they come (a verb that returns a value
/// waits for its commit). Reads borrow one of a few read connections and never wait for the writer.
///
/// **Open.** Creates the folder and file when missing; refuses a database written by a newer Hearth
/// (`NEWER_SCHEMA`); copies an older database to `hearth.db.schema-N-backup-TIME` and applies the numbered
/// migrations from `db/migrations.list`; marks generations left `running` by a process that is gone as
/// `interrupted` (keeping their tokens).
///
/// **Failures while writing** (disk full, folder made read-only) roll the whole transaction back and pause the
/// log ([#health()]); reads keep working; reopen to resume.
public final class SqliteSessionLog implements SessionLog {

    /// The longest streamed tokens wait in memory before they are committed.
    public static final long COMMIT_INTERVAL_MS = 250;
    static final String MIGRATIONS = "db/migrations.list";
    private static final int BUSY_TIMEOUT_MS = 10_000;
    private static final int READERS = 4;
    private static final int COMPACT_MAX_TOKENS = 65_536;
    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final Path file;
    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private final long ownerPid;
    private final @Nullable Long ownerStartedAt;
    private volatile Health health = new Health.Writing();
    private volatile boolean closed;
    private final int rankAtMost;

    private SqliteSessionLog(Path file, Connection writer, int rankAtMost) {
        this.file = file;
        this.rankAtMost = rankAtMost;
        this.writer = writer;
        var self = ProcessHandle.current();
        this.ownerPid = self.pid();
        this.ownerStartedAt = self.info().startInstant().map(Instant::toEpochMilli).orElse(null);
        this.writerThread = Thread.ofPlatform().name("hearth-session-log-writer").daemon().unstarted(this::writeLoop);
    }

    /// Opens (creating when missing) the database at `file`, for example `$HEARTH_HOME/hearth.db`.
    public static SqliteSessionLog open(Path file) {
        return open(file, new Options(MIGRATIONS, 0, RANK_AT_MOST));
    }

    /// Test seams: another migration list; a page limit that makes SQLite report a full disk; the ranking limit.
    record Options(String migrations, long maxPageCount, int rankAtMost) {}

    static SqliteSessionLog open(Path file, Options options) {
        file = file.toAbsolutePath();
        var folder = file.getParent();
        try {
            Files.createDirectories(folder);
        } catch (FileSystemException e) {
            throw new StorageException(StorageException.Kind.READ_ONLY,
                    "Cannot create the data folder " + folder + " (" + reason(e) + ").", e);
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.IO, "Cannot create the data folder " + folder + ": " + e, e);
        }
        if (!Files.isWritable(folder) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new StorageException(StorageException.Kind.READ_ONLY,
                    "The data folder " + folder + " is read-only; Hearth cannot keep its session log there.");
        }
        var migrations = Migrations.load(options.migrations());
        Connection connection = null;
        try {
            connection = connect(file, false);
            if (options.maxPageCount() > 0) {
                try (var st = connection.createStatement()) {
                    st.execute("PRAGMA max_page_count = " + options.maxPageCount());
                }
            }
            migrations.apply(connection, file);
            var log = new SqliteSessionLog(file, connection, options.rankAtMost());
            log.markInterrupted();
            log.writerThread.start();
            return log;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw translate(e, "open " + file);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
    }

    static Connection connect(Path file, boolean queryOnly) throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        var connection = config.createConnection("jdbc:sqlite:" + file);
        try (var st = connection.createStatement()) {
            // Fail now (not at first use) when the file is not a database.
            st.executeQuery("SELECT count(*) FROM sqlite_schema").close();
            if (queryOnly) st.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
        return connection;
    }

    /// Maps a SQLite failure to the [StorageException] kind a caller can act on.
    static StorageException translate(SQLException e, String what) {
        var code = e instanceof SQLiteException se ? se.getResultCode() : SQLiteErrorCode.UNKNOWN_ERROR;
        var name = code.name();
        if (name.startsWith("SQLITE_FULL")) {
            return new StorageException(StorageException.Kind.DISK_FULL, "The disk is full: could not " + what + ".", e);
        }
        if (name.startsWith("SQLITE_READONLY") || name.startsWith("SQLITE_CANTOPEN") || name.startsWith("SQLITE_PERM")) {
            return new StorageException(StorageException.Kind.READ_ONLY,
                    "The session log cannot be written: could not " + what + " (" + name + ").", e);
        }
        if (name.startsWith("SQLITE_NOTADB") || name.startsWith("SQLITE_CORRUPT")) {
            return new StorageException(StorageException.Kind.CORRUPT,
                    "The session log file is damaged or not a Hearth database: could not " + what + ".", e);
        }
        return new StorageException(StorageException.Kind.IO, "Could not " + what + ": " + e.getMessage(), e);
    }

    static void closeQuietly(@Nullable AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception _) {
            // closing after a failure: the first failure is the one reported
        }
    }

    /// The database file.
    public Path file() {
        return file;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Migrations

    /// The numbered schema files, in order. `PRAGMA user_version` holds the number of the last one applied.
    record Migrations(List<String> resources) {
        static Migrations load(String list) {
            var text = resource(list);
            var names = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            for (int i = 0; i < names.size(); i++) {
                var base = names.get(i).substring(names.get(i).lastIndexOf('/') + 1);
                if (!base.startsWith("V%03d__".formatted(i + 1))) {
                    throw new IllegalStateException("migration " + (i + 1) + " is misnamed: " + names.get(i));
                }
            }
            return new Migrations(names);
        }

        int latest() {
            return resources.size();
        }

        void apply(Connection c, Path file) throws SQLException {
            int version = userVersion(c);
            if (version > latest()) {
                throw new StorageException(StorageException.Kind.NEWER_SCHEMA,
                        "%s was written by a newer Hearth (schema %d; this Hearth knows up to %d). Update Hearth, or set HEARTH_HOME to another folder."
                                .formatted(file, version, latest()));
            }
            if (version == latest()) return;
            if (version > 0) backup(c, file, version);
            c.setAutoCommit(false);
            try {
                int now = userVersion(c); // another process may have migrated meanwhile
                try (var st = c.createStatement()) {
                    for (int v = now + 1; v <= latest(); v++) {
                        for (var sql : statements(resource(resources.get(v - 1)))) st.execute(sql);
                        st.execute("PRAGMA user_version = " + v);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }

        private static void backup(Connection c, Path file, int version) throws SQLException {
            var stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
            var copy = file.resolveSibling(file.getFileName() + ".schema-" + version + "-backup-" + stamp);
            try (var st = c.prepareStatement("VACUUM INTO ?")) {
                st.setString(1, copy.toString());
                st.execute();
            }
        }

        static int userVersion(Connection c) throws SQLException {
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }

        /// Splits a migration file into statements: at `;` ending a line, except inside `BEGIN … END;` of triggers.
        static List<String> statements(String sql) {
            var out = new ArrayList<String>();
            var current = new StringBuilder();
            boolean inTrigger = false;
            for (var line : sql.split("\n")) {
                var trimmed = line.strip();
                if (trimmed.startsWith("--") || trimmed.isEmpty()) continue;
                current.append(line).append('\n');
                var upper = trimmed.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("CREATE TRIGGER")) inTrigger = true;
                boolean ends = inTrigger ? upper.equals("END;") : trimmed.endsWith(";");
                if (ends) {
                    out.add(current.toString().strip());
                    current.setLength(0);
                    inTrigger = false;
                }
            }
            if (!current.toString().isBlank()) out.add(current.toString().strip());
            return out;
        }

        private static String resource(String name) {
            try (var in = SqliteSessionLog.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) throw new IllegalStateException("missing schema resource " + name);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Interrupted generations

    /// Marks `running` generations whose writing process is gone as `interrupted`, with the text of the tokens
    /// that reached the disk. Runs at open, before the writer thread starts.
    private void markInterrupted() throws SQLException {
        writer.setAutoCommit(false);
        try {
            record Running(long id, long pid, @Nullable Long pidStarted, long startedAt) {}
            var running = new ArrayList<Running>();
            try (var st = writer.createStatement();
                    var rs = st.executeQuery("""
                            SELECT id, owner_pid, owner_started_at, started_at
                            FROM generation WHERE status = 'running'""")) {
                while (rs.next()) {
                    running.add(new Running(rs.getLong(1), rs.getLong(2), nullableLong(rs, 3), rs.getLong(4)));
                }
            }
            for (var r : running) {
                if (ownerAlive(r.pid(), r.pidStarted())) continue;
                interrupt(r.id(), r.startedAt(), "Hearth stopped while generating (process " + r.pid() + " ended).");
            }
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            writer.rollback();
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
    }

    private static boolean ownerAlive(long pid, @Nullable Long startedAt) {
        if (pid <= 0) return false;
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) return false;
        if (startedAt == null) return true;
        var started = handle.get().info().startInstant();
        return started.isEmpty() || Math.abs(started.get().toEpochMilli() - startedAt) < 1000;
    }

    /// Within the writer's transaction: sets a running generation to `interrupted`, its output to the pieces kept.
    private void interrupt(long id, long startedAt, String reason) throws SQLException {
        var output = new StringBuilder();
        int count = 0;
        float lastMs = 0;
        try (var st = writer.prepareStatement("SELECT data FROM token_batch WHERE generation_id = ? ORDER BY first_index")) {
            st.setLong(1, id);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    for (var t : TokenCodec.decode(rs.getBytes(1))) {
                        output.append(t.piece());
                        count++;
                        lastMs = t.ms();
                    }
                }
            }
        }
        try (var st = writer.prepareStatement("""
                UPDATE generation
                SET status = 'interrupted', failure_reason = ?, token_count = ?, ended_at = ?,
                    owner_pid = NULL, owner_started_at = NULL
                WHERE id = ? AND status = 'running'""")) {
            st.setString(1, reason);
            st.setInt(2, count);
            st.setLong(3, startedAt + (long) lastMs);
            st.setLong(4, id);
            st.executeUpdate();
        }
        setOutput(writer, id, output.toString());
    }

    // ------------------------------------------------------------------------------------------------------------
    // The writer thread

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private sealed interface Op {}

    private record Work<T>(SqlWork<T> work, CompletableFuture<T> result) implements Op {}

    private record Start(Gen gen) implements Op {}

    private record Finish(Gen gen, GenerationEnd end) implements Op {}

    private record Flush(CompletableFuture<Void> done) implements Op {}

    private record Stop(CompletableFuture<Void> done) implements Op {}

    /// One streaming generation. Producer side: `pending`, `nextIndex`, `finished`. Writer side: the rest.
    private final class Gen implements GenerationWriter {
        final String uuid = UUID.randomUUID().toString();
        final @Nullable Long sessionId;
        final @Nullable Long variantId;
        final RunRecord run;
        final CompletableFuture<Long> id = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Token> pending = new ConcurrentLinkedQueue<>();
        int nextIndex;
        boolean finished;
        long rowId; // writer thread
        volatile boolean failed; // set by the writer thread when the row was refused
        int written; // writer thread
        int batches; // writer thread
        final StringBuilder output = new StringBuilder(); // writer thread

        Gen(@Nullable Long sessionId, @Nullable Long variantId, RunRecord run) {
            this.sessionId = sessionId;
            this.variantId = variantId;
            this.run = run;
        }

        @Override
        public String uuid() {
            return uuid;
        }

        @Override
        public CompletableFuture<Long> id() {
            return id;
        }

        @Override
        public void append(Token token) {
            if (finished) throw new IllegalStateException("generation " + uuid + " already finished");
            if (token.index() != nextIndex) {
                throw new IllegalArgumentException("token index " + token.index() + ", expected " + nextIndex);
            }
            nextIndex++;
            if (failed || closed || health instanceof Health.Paused) return; // not logged: dropped, never half-written
            pending.add(token);
        }

        @Override
        public void finish(GenerationEnd end) {
            if (finished) return;
            finished = true;
            if (closed) return;
            queue.add(new Finish(this, end));
        }
    }

    private final Map<String, Gen> active = new LinkedHashMap<>(); // writer thread

    private void writeLoop() {
        long lastCommit = System.nanoTime();
        var ops = new ArrayList<Op>();
        while (true) {
            long waitMs = COMMIT_INTERVAL_MS - (System.nanoTime() - lastCommit) / 1_000_000;
            Op first;
            try {
                first = waitMs > 0 ? queue.poll(waitMs, TimeUnit.MILLISECONDS) : queue.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ops.clear();
            if (first != null) {
                ops.add(first);
                queue.drainTo(ops, 4096);
            }
            boolean due = (System.nanoTime() - lastCommit) / 1_000_000 >= COMMIT_INTERVAL_MS;
            if (ops.isEmpty() && !due) continue;
            boolean stop = ops.stream().anyMatch(o -> o instanceof Stop);
            boolean flushTokens = due || stop || ops.stream().anyMatch(o -> o instanceof Flush);
            if (!ops.isEmpty() || hasPendingTokens()) runBatch(ops, flushTokens, stop);
            lastCommit = System.nanoTime();
            if (stop) {
                closeQuietly(writer);
                for (var op : ops) if (op instanceof Stop s) s.done().complete(null);
                return;
            }
        }
    }

    private boolean hasPendingTokens() {
        for (var g : active.values()) if (!g.pending.isEmpty()) return true;
        return false;
    }

    /// One transaction for everything queued: on a storage failure the whole of it is rolled back and the log
    /// pauses; a verb that fails on its own (a missing session, a constraint) fails alone.
    private void runBatch(List<Op> ops, boolean flushTokens, boolean stop) {
        var completions = new ArrayList<Runnable>();
        if (health instanceof Health.Paused paused) {
            for (var op : ops) failOp(op, paused.cause());
            return;
        }
        try {
            writer.setAutoCommit(false);
            for (var op : ops) {
                switch (op) {
                    case Work<?> w -> runWork(w, completions);
                    case Start s -> insertGeneration(s.gen(), completions);
                    case Finish f -> finishGeneration(f.gen(), f.end());
                    case Flush f -> completions.add(() -> f.done().complete(null));
                    case Stop _ -> {}
                }
            }
            if (flushTokens) {
                for (var g : active.values()) writeTokens(g);
            }
            if (stop) {
                for (var g : List.copyOf(active.values())) {
                    if (g.failed) continue;
                    writeTokens(g);
                    interrupt(g.rowId, g.run.startedAt().toEpochMilli(),
                            "Hearth closed the session log before the generation finished.");
                }
                active.clear();
            }
            writer.commit();
            writer.setAutoCommit(true);
            completions.forEach(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
                writer.setAutoCommit(true);
            } catch (SQLException _) {
                // the connection is unusable; the log is paused below either way
            }
            var cause = e instanceof SQLException se ? translate(se, "write the session log")
                    : e instanceof StorageException st ? st
                    : new StorageException(StorageException.Kind.IO, "Could not write the session log: " + e, e);
            health = new Health.Paused(cause);
            for (var g : active.values()) g.pending.clear();
            active.clear();
            for (var op : ops) failOp(op, cause);
        }
    }

    private void failOp(Op op, StorageException cause) {
        var paused = new StorageException(StorageException.Kind.PAUSED,
                "Logging is paused: " + cause.getMessage(), cause);
        switch (op) {
            case Work<?> w -> w.result().completeExceptionally(paused);
            case Start s -> s.gen().id.completeExceptionally(paused);
            case Finish _ -> {}
            case Flush f -> f.done().complete(null);
            case Stop _ -> {}
        }
    }

    private <T> void runWork(Work<T> w, List<Runnable> completions) throws SQLException {
        try (var st = writer.createStatement()) {
            st.execute("SAVEPOINT work");
        }
        try {
            T value = w.work().run(writer);
            release();
            completions.add(() -> w.result().complete(value));
        } catch (SQLException e) {
            if (!isConstraint(e)) throw e;
            rollbackToSavepoint();
            completions.add(() -> w.result().completeExceptionally(
                    new StorageException(StorageException.Kind.BAD_INPUT, "Refused: " + e.getMessage(), e)));
        } catch (StorageException | IllegalArgumentException e) {
            rollbackToSavepoint();
            completions.add(() -> w.result().completeExceptionally(e));
        }
    }

    private static boolean isConstraint(SQLException e) {
        return e instanceof SQLiteException se && se.getResultCode().name().startsWith("SQLITE_CONSTRAINT");
    }

    private void release() throws SQLException {
        try (var st = writer.createStatement()) {
            st.execute("RELEASE work");
        }
    }

    private void rollbackToSavepoint() throws SQLException {
        try (var st = writer.createStatement()) {
            st.execute("ROLLBACK TO work");
            st.execute("RELEASE work");
        }
    }

    private void insertGeneration(Gen g, List<Runnable> completions) throws SQLException {
        try (var st = writer.createStatement()) {
            st.execute("SAVEPOINT work");
        }
        try {
            long modelId = upsertModelRef(g.run);
            try (var st = writer.prepareStatement("""
                    INSERT INTO generation (uuid, session_id, variant_id, model_id, model_path, model_name, model_sha256,
                        native_build, engine, load_options, sampling, seed, prompt_tokens, status, started_at,
                        owner_pid, owner_started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)""")) {
                bindRun(st, g.uuid, g.sessionId, g.variantId, modelId, g.run);
                st.setLong(15, ownerPid);
                setNullableLong(st, 16, ownerStartedAt);
                st.executeUpdate();
            }
            g.rowId = lastRowId();
            insertText(writer, g.rowId, g.run.prompt(), null);
            touchSession(g.sessionId, g.run.startedAt());
            release();
            active.put(g.uuid, g);
            long rowId = g.rowId;
            completions.add(() -> g.id.complete(rowId));
        } catch (SQLException e) {
            if (!isConstraint(e)) throw e;
            rollbackToSavepoint();
            g.failed = true;
            g.pending.clear();
            completions.add(() -> g.id.completeExceptionally(
                    new StorageException(StorageException.Kind.BAD_INPUT, "Generation refused: " + e.getMessage(), e)));
        }
    }

    private void bindRun(PreparedStatement st, String uuid, @Nullable Long sessionId, @Nullable Long variantId,
            long modelId, RunRecord run) throws SQLException {
        st.setString(1, uuid);
        setNullableLong(st, 2, sessionId);
        setNullableLong(st, 3, variantId);
        st.setLong(4, modelId);
        st.setString(5, run.modelPath());
        st.setString(6, run.modelName());
        st.setString(7, run.modelSha256());
        st.setString(8, run.nativeBuild());
        st.setString(9, run.engine());
        st.setString(10, json(run.loadOptions()));
        st.setString(11, json(run.sampling()));
        st.setLong(12, run.seed());
        st.setInt(13, run.promptTokens());
        st.setLong(14, run.startedAt().toEpochMilli());
    }

    private static void insertText(Connection c, long generationId, String prompt, @Nullable String output)
            throws SQLException {
        try (var st = c.prepareStatement("INSERT INTO generation_text (generation_id, prompt, output) VALUES (?, ?, ?)")) {
            st.setLong(1, generationId);
            st.setString(2, prompt);
            st.setString(3, output);
            st.executeUpdate();
        }
    }

    private static void setOutput(Connection c, long generationId, String output) throws SQLException {
        try (var st = c.prepareStatement("UPDATE generation_text SET output = ? WHERE generation_id = ?")) {
            st.setString(1, output);
            st.setLong(2, generationId);
            st.executeUpdate();
        }
    }

    private long upsertModelRef(RunRecord run) throws SQLException {
        try (var st = writer.prepareStatement("""
                INSERT INTO model (path, name, sha256, added_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (path) DO UPDATE SET sha256 = coalesce(excluded.sha256, model.sha256)
                RETURNING id""")) {
            st.setString(1, run.modelPath());
            st.setString(2, run.modelName());
            st.setString(3, run.modelSha256());
            st.setLong(4, run.startedAt().toEpochMilli());
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void touchSession(@Nullable Long sessionId, Instant when) throws SQLException {
        if (sessionId == null) return;
        try (var st = writer.prepareStatement("UPDATE session SET updated_at = max(updated_at, ?) WHERE id = ?")) {
            st.setLong(1, when.toEpochMilli());
            st.setLong(2, sessionId);
            st.executeUpdate();
        }
    }

    private long lastRowId() throws SQLException {
        try (var st = writer.createStatement(); var rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void writeTokens(Gen g) throws SQLException {
        if (g.failed || g.pending.isEmpty()) return;
        var batch = new ArrayList<Token>();
        for (Token t; (t = g.pending.poll()) != null; ) batch.add(t);
        insertBatch(g.rowId, batch);
        for (var t : batch) g.output.append(t.piece());
        g.written += batch.size();
        g.batches++;
        try (var st = writer.prepareStatement("UPDATE generation SET token_count = ? WHERE id = ?")) {
            st.setInt(1, g.written);
            st.setLong(2, g.rowId);
            st.executeUpdate();
        }
    }

    private void insertBatch(long generationId, List<Token> batch) throws SQLException {
        try (var st = writer.prepareStatement(
                "INSERT INTO token_batch (generation_id, first_index, token_count, data) VALUES (?, ?, ?, ?)")) {
            st.setLong(1, generationId);
            st.setInt(2, batch.getFirst().index());
            st.setInt(3, batch.size());
            st.setBytes(4, TokenCodec.encode(batch));
            st.executeUpdate();
        }
    }

    private void finishGeneration(Gen g, GenerationEnd end) throws SQLException {
        if (g.failed || !active.containsKey(g.uuid)) return;
        writeTokens(g);
        if (g.batches > 1 && g.written <= COMPACT_MAX_TOKENS) compact(g.rowId);
        var stats = end.stats();
        try (var st = writer.prepareStatement("""
                UPDATE generation
                SET status = ?, stop_reason = ?, failure_reason = ?, ended_at = ?,
                    stat_prompt_tokens = ?, stat_prompt_ms = ?, stat_generated_tokens = ?, stat_generated_ms = ?,
                    stat_tokens_per_s = ?, stat_prompt_tokens_per_s = ?, stat_ttft_ms = ?,
                    owner_pid = NULL, owner_started_at = NULL
                WHERE id = ?""")) {
            st.setString(1, end.status().code());
            st.setString(2, end.stopReason());
            st.setString(3, end.failureReason());
            st.setLong(4, end.endedAt().toEpochMilli());
            bindStats(st, 5, stats);
            st.setLong(12, g.rowId);
            st.executeUpdate();
        }
        setOutput(writer, g.rowId, end.output() != null ? end.output() : g.output.toString());
        active.remove(g.uuid);
    }

    private static void bindStats(PreparedStatement st, int at, @Nullable GenerationStats s) throws SQLException {
        if (s == null) {
            for (int i = 0; i < 7; i++) st.setNull(at + i, Types.NULL);
            return;
        }
        st.setInt(at, s.promptTokens());
        setFinite(st, at + 1, s.promptMs());
        st.setInt(at + 2, s.generatedTokens());
        setFinite(st, at + 3, s.generatedMs());
        setFinite(st, at + 4, s.tokensPerSecond());
        setFinite(st, at + 5, s.promptTokensPerSecond());
        setFinite(st, at + 6, s.ttftMs());
    }

    private static void setFinite(PreparedStatement st, int i, double v) throws SQLException {
        if (Double.isFinite(v)) st.setDouble(i, v);
        else st.setNull(i, Types.REAL);
    }

    /// Rewrites a finished generation's batches as one blob: fewer rows, better compression.
    private void compact(long generationId) throws SQLException {
        var all = readTokens(writer, generationId);
        try (var st = writer.prepareStatement("DELETE FROM token_batch WHERE generation_id = ?")) {
            st.setLong(1, generationId);
            st.executeUpdate();
        }
        if (!all.isEmpty()) insertBatch(generationId, all);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Plumbing for verbs

    private <T> T write(SqlWork<T> work) {
        checkOpen();
        if (health instanceof Health.Paused p) {
            throw new StorageException(StorageException.Kind.PAUSED, "Logging is paused: " + p.cause().getMessage(), p.cause());
        }
        var future = new CompletableFuture<T>();
        queue.add(new Work<>(work, future));
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    private <T> T read(SqlWork<T> work) {
        checkOpen();
        var c = readers.poll();
        try {
            if (c == null) c = connect(file, true);
            var result = work.run(c);
            if (closed || !readers.offer(c)) closeQuietly(c);
            return result;
        } catch (SQLException e) {
            closeQuietly(c);
            throw translate(e, "read the session log");
        }
    }

    private void checkOpen() {
        if (closed) throw new StorageException(StorageException.Kind.CLOSED, "The session log is closed.");
    }

    static String json(Map<String, Object> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-able: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> map(@Nullable String json) {
        if (json == null) return Map.of();
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StorageException(StorageException.Kind.CORRUPT, "A stored JSON value is damaged: " + e.getOriginalMessage(), e);
        }
    }

    private static void setNullableLong(PreparedStatement st, int i, @Nullable Long v) throws SQLException {
        if (v == null) st.setNull(i, Types.INTEGER);
        else st.setLong(i, v);
    }

    private static @Nullable Long nullableLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static double nullableDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Models, projects, sessions

    @Override
    public long registerModel(ModelFile model) {
        var gguf = json(model.gguf());
        return write(c -> {
            try (var st = c.prepareStatement("""
                    INSERT INTO model (path, name, size_bytes, sha256, gguf_summary, source_repo, source_file,
                        source_revision, added_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (path) DO UPDATE SET
                        name = excluded.name, size_bytes = excluded.size_bytes,
                        sha256 = coalesce(excluded.sha256, model.sha256), gguf_summary = excluded.gguf_summary,
                        source_repo = coalesce(excluded.source_repo, model.source_repo),
                        source_file = coalesce(excluded.source_file, model.source_file),
                        source_revision = coalesce(excluded.source_revision, model.source_revision)
                    RETURNING id""")) {
                st.setString(1, model.path());
                st.setString(2, model.name());
                st.setLong(3, model.sizeBytes());
                st.setString(4, model.sha256());
                st.setString(5, gguf);
                st.setString(6, model.sourceRepo());
                st.setString(7, model.sourceFile());
                st.setString(8, model.sourceRevision());
                st.setLong(9, model.addedAt().toEpochMilli());
                try (var rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public List<ModelFile> models() {
        return read(c -> {
            var out = new ArrayList<ModelFile>();
            try (var st = c.createStatement(); var rs = st.executeQuery("""
                    SELECT id, path, name, size_bytes, sha256, gguf_summary, source_repo, source_file, source_revision,
                        added_at
                    FROM model ORDER BY name, path""")) {
                while (rs.next()) {
                    out.add(new ModelFile(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), map(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
                            Instant.ofEpochMilli(rs.getLong(10))));
                }
            }
            return out;
        });
    }

    @Override
    public long createProject(String name, @Nullable String folder) {
        if (name.isBlank()) throw new IllegalArgumentException("project name is blank");
        return write(c -> {
            try (var st = c.prepareStatement("INSERT INTO project (name, folder, created_at) VALUES (?, ?, ?)")) {
                st.setString(1, name);
                st.setString(2, folder);
                st.setLong(3, System.currentTimeMillis());
                st.executeUpdate();
            }
            return lastRowId();
        });
    }

    @Override
    public List<Project> projects() {
        return read(c -> {
            var out = new ArrayList<Project>();
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT id, name, folder, created_at FROM project ORDER BY name")) {
                while (rs.next()) {
                    out.add(new Project(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return out;
        });
    }

    @Override
    public void projectOpened(long projectId) {
        int n = write(c -> {
            try (var st = c.prepareStatement("UPDATE project SET opened_at = ? WHERE id = ?")) {
                st.setLong(1, System.currentTimeMillis());
                st.setLong(2, projectId);
                return st.executeUpdate();
            }
        });
        if (n == 0) throw new StorageException(StorageException.Kind.BAD_INPUT, "No project " + projectId + ".");
    }

    @Override
    public List<Project> recentProjects(int limit) {
        return read(c -> {
            var out = new ArrayList<Project>();
            try (var st = c.prepareStatement("""
                    SELECT id, name, folder, created_at FROM project
                    ORDER BY coalesce(opened_at, created_at) DESC, id DESC LIMIT ?""")) {
                st.setInt(1, limit);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Project(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void recordContext(String generationUuid, GenerationContext context) {
        int n = write(c -> {
            long id;
            try (var st = c.prepareStatement("SELECT id FROM generation WHERE uuid = ?")) {
                st.setString(1, generationUuid);
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) return 0;
                    id = rs.getLong(1);
                }
            }
            try (var st = c.prepareStatement("""
                    INSERT OR REPLACE INTO generation_context (generation_id, project_id, repo_map_budget, repo_map_tokens)
                    VALUES (?, ?, ?, ?)""")) {
                st.setLong(1, id);
                setNullableLong(st, 2, context.projectId());
                setNullableLong(st, 3, context.repoMapBudget() == null ? null : context.repoMapBudget().longValue());
                setNullableLong(st, 4, context.repoMapTokens() == null ? null : context.repoMapTokens().longValue());
                st.executeUpdate();
            }
            try (var st = c.prepareStatement("DELETE FROM generation_context_file WHERE generation_id = ?")) {
                st.setLong(1, id);
                st.executeUpdate();
            }
            try (var st = c.prepareStatement("""
                    INSERT INTO generation_context_file (generation_id, position, path, sha256, tokens) VALUES (?, ?, ?, ?, ?)""")) {
                int position = 0;
                for (var f : context.files()) {
                    st.setLong(1, id);
                    st.setInt(2, position++);
                    st.setString(3, f.path());
                    st.setString(4, f.sha256());
                    st.setInt(5, f.tokens());
                    st.addBatch();
                }
                st.executeBatch();
            }
            return 1;
        });
        if (n == 0) throw new StorageException(StorageException.Kind.BAD_INPUT, "No generation " + generationUuid + ".");
    }

    @Override
    public Optional<GenerationContext> context(long generationId) {
        return read(c -> {
            Long projectId;
            Integer budget;
            Integer tokens;
            try (var st = c.prepareStatement(
                    "SELECT project_id, repo_map_budget, repo_map_tokens FROM generation_context WHERE generation_id = ?")) {
                st.setLong(1, generationId);
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) return Optional.<GenerationContext>empty();
                    projectId = rs.getObject(1) == null ? null : rs.getLong(1);
                    budget = rs.getObject(2) == null ? null : rs.getInt(2);
                    tokens = rs.getObject(3) == null ? null : rs.getInt(3);
                }
            }
            var files = new ArrayList<GenerationContext.File>();
            try (var st = c.prepareStatement(
                    "SELECT path, sha256, tokens FROM generation_context_file WHERE generation_id = ? ORDER BY position")) {
                st.setLong(1, generationId);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) files.add(new GenerationContext.File(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
            }
            return Optional.of(new GenerationContext(projectId, files, budget, tokens));
        });
    }

    @Override
    public long createSession(String title, @Nullable Long projectId) {
        return insertSession(UUID.randomUUID().toString(), title, projectId, Instant.now());
    }

    private long insertSession(String uuid, String title, @Nullable Long projectId, Instant createdAt) {
        return write(c -> insertSessionRow(c, uuid, title, projectId, createdAt));
    }

    private static long insertSessionRow(Connection c, String uuid, String title, @Nullable Long projectId,
            Instant createdAt) throws SQLException {
        try (var st = c.prepareStatement("""
                INSERT INTO session (uuid, project_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                RETURNING id""")) {
            st.setString(1, uuid);
            setNullableLong(st, 2, projectId);
            st.setString(3, title);
            st.setLong(4, createdAt.toEpochMilli());
            st.setLong(5, createdAt.toEpochMilli());
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void renameSession(long sessionId, String title) {
        updateSession("UPDATE session SET title = ?, updated_at = ? WHERE id = ?", title, sessionId);
    }

    private void updateSession(String sql, @Nullable String text, long sessionId) {
        int n = write(c -> {
            try (var st = c.prepareStatement(sql)) {
                int i = 1;
                if (text != null) st.setString(i++, text);
                st.setLong(i++, System.currentTimeMillis());
                st.setLong(i, sessionId);
                return st.executeUpdate();
            }
        });
        if (n == 0) throw new StorageException(StorageException.Kind.BAD_INPUT, "No session " + sessionId + ".");
    }

    private static final String SESSION_COLUMNS = "id, uuid, project_id, title, created_at, updated_at, deleted_at";

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getLong(1), rs.getString(2), nullableLong(rs, 3), rs.getString(4),
                Instant.ofEpochMilli(rs.getLong(5)), Instant.ofEpochMilli(rs.getLong(6)), nullableInstant(rs, 7));
    }

    private List<Session> sessionList(String sql, long... args) {
        return read(c -> {
            var out = new ArrayList<Session>();
            try (var st = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) st.setLong(i + 1, args[i]);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) out.add(session(rs));
                }
            }
            return out;
        });
    }

    @Override
    public List<Session> sessions(int limit) {
        return sessionList("SELECT " + SESSION_COLUMNS
                + " FROM session WHERE deleted_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT ?", limit);
    }

    @Override
    public List<Session> sessions() {
        return sessionList("SELECT " + SESSION_COLUMNS
                + " FROM session WHERE deleted_at IS NULL ORDER BY updated_at DESC, id DESC");
    }

    @Override
    public List<Session> deletedSessions() {
        return sessionList("SELECT " + SESSION_COLUMNS
                + " FROM session WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC, id DESC");
    }

    @Override
    public Optional<Session> session(long sessionId) {
        return sessionList("SELECT " + SESSION_COLUMNS + " FROM session WHERE id = ?", sessionId).stream().findFirst();
    }

    @Override
    public void deleteSession(long sessionId) {
        updateSession("UPDATE session SET deleted_at = ? WHERE id = ?", null, sessionId);
    }

    @Override
    public void restoreSession(long sessionId) {
        int n = write(c -> {
            try (var st = c.prepareStatement("UPDATE session SET deleted_at = NULL WHERE id = ?")) {
                st.setLong(1, sessionId);
                return st.executeUpdate();
            }
        });
        if (n == 0) throw new StorageException(StorageException.Kind.BAD_INPUT, "No session " + sessionId + ".");
    }

    @Override
    public int purgeDeleted(Instant cutoff) {
        return write(c -> {
            try (var st = c.prepareStatement("DELETE FROM session WHERE deleted_at IS NOT NULL AND deleted_at < ?")) {
                st.setLong(1, cutoff.toEpochMilli());
                return st.executeUpdate();
            }
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Messages

    @Override
    public long addMessage(long sessionId, @Nullable Long parentId, Message.Role role, String content,
            @Nullable Long generationId) {
        return write(c -> {
            if (parentId != null) {
                try (var st = c.prepareStatement("SELECT session_id FROM message WHERE id = ?")) {
                    st.setLong(1, parentId);
                    try (var rs = st.executeQuery()) {
                        if (!rs.next() || rs.getLong(1) != sessionId) {
                            throw new StorageException(StorageException.Kind.BAD_INPUT,
                                    "Message " + parentId + " is not in session " + sessionId + ".");
                        }
                    }
                }
            }
            long now = System.currentTimeMillis();
            try (var st = c.prepareStatement("""
                    INSERT INTO message (session_id, parent_id, role, content, generation_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                st.setLong(1, sessionId);
                setNullableLong(st, 2, parentId);
                st.setString(3, role.code());
                st.setString(4, content);
                setNullableLong(st, 5, generationId);
                st.setLong(6, now);
                st.executeUpdate();
            }
            long id = lastRowId();
            touchSession(sessionId, Instant.ofEpochMilli(now));
            return id;
        });
    }

    @Override
    public List<Message> messages(long sessionId) {
        return read(c -> {
            var out = new ArrayList<Message>();
            try (var st = c.prepareStatement("""
                    SELECT id, session_id, parent_id, role, content, generation_id, created_at
                    FROM message WHERE session_id = ? ORDER BY id""")) {
                st.setLong(1, sessionId);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Message(rs.getLong(1), rs.getLong(2), nullableLong(rs, 3),
                                Message.Role.ofCode(rs.getString(4)), rs.getString(5), nullableLong(rs, 6),
                                Instant.ofEpochMilli(rs.getLong(7))));
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Generations

    @Override
    public GenerationWriter startGeneration(@Nullable Long sessionId, @Nullable Long variantId, RunRecord run) {
        checkOpen();
        var g = new Gen(sessionId, variantId, run);
        if (health instanceof Health.Paused p) {
            g.finished = true;
            g.id.completeExceptionally(new StorageException(StorageException.Kind.PAUSED,
                    "Logging is paused: " + p.cause().getMessage(), p.cause()));
            return g;
        }
        queue.add(new Start(g));
        return g;
    }

    private static final String GENERATION_COLUMNS = """
            g.id, g.uuid, g.session_id, g.variant_id, g.model_path, g.model_name, g.model_sha256, g.native_build,
            g.engine, g.load_options, g.sampling, g.seed, t.prompt, g.prompt_tokens, g.started_at, g.status,
            g.stop_reason, g.failure_reason, t.output, g.ended_at, g.token_count,
            g.stat_prompt_tokens, g.stat_prompt_ms, g.stat_generated_tokens, g.stat_generated_ms,
            g.stat_tokens_per_s, g.stat_prompt_tokens_per_s, g.stat_ttft_ms""";

    private static Generation generation(ResultSet rs) throws SQLException {
        var run = new RunRecord(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                map(rs.getString(10)), map(rs.getString(11)), rs.getLong(12), rs.getString(13), rs.getInt(14),
                Instant.ofEpochMilli(rs.getLong(15)));
        rs.getInt(22);
        GenerationStats stats = rs.wasNull() ? null : new GenerationStats(rs.getInt(22), nullableDouble(rs, 23),
                rs.getInt(24), nullableDouble(rs, 25), nullableDouble(rs, 26), nullableDouble(rs, 27),
                nullableDouble(rs, 28));
        var output = rs.getString(19);
        return new Generation(rs.getLong(1), rs.getString(2), nullableLong(rs, 3), nullableLong(rs, 4), run,
                GenerationStatus.ofCode(rs.getString(16)), rs.getString(17), rs.getString(18),
                output == null ? "" : output, stats, nullableInstant(rs, 20), rs.getInt(21));
    }

    private List<Generation> generationList(String where, Object... args) {
        return read(c -> {
            var out = new ArrayList<Generation>();
            try (var st = c.prepareStatement("SELECT " + GENERATION_COLUMNS
                    + " FROM generation g JOIN generation_text t ON t.generation_id = g.id"
                    + " LEFT JOIN session s ON s.id = g.session_id " + where)) {
                for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) out.add(generation(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Generation> generation(long generationId) {
        return generationList("WHERE g.id = ?", generationId).stream().findFirst();
    }

    @Override
    public Optional<Generation> generationByUuid(String uuid) {
        return generationList("WHERE g.uuid = ?", uuid).stream().findFirst();
    }

    @Override
    public List<Generation> recentGenerations(int limit) {
        return generationList("WHERE s.deleted_at IS NULL ORDER BY g.started_at DESC, g.id DESC LIMIT ?", limit);
    }

    @Override
    public List<Generation> generations(long sessionId) {
        return generationList("WHERE g.session_id = ? ORDER BY g.started_at, g.id", sessionId);
    }

    @Override
    public List<Token> tokens(long generationId) {
        return read(c -> readTokens(c, generationId));
    }

    private static List<Token> readTokens(Connection c, long generationId) throws SQLException {
        var out = new ArrayList<Token>();
        try (var st = c.prepareStatement("SELECT data FROM token_batch WHERE generation_id = ? ORDER BY first_index")) {
            st.setLong(1, generationId);
            try (var rs = st.executeQuery()) {
                while (rs.next()) out.addAll(TokenCodec.decode(rs.getBytes(1)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Experiments, ratings, notes

    @Override
    public long createExperiment(String name, @Nullable Long sessionId) {
        return write(c -> {
            try (var st = c.prepareStatement("INSERT INTO experiment (name, session_id, created_at) VALUES (?, ?, ?)")) {
                st.setString(1, name);
                setNullableLong(st, 2, sessionId);
                st.setLong(3, System.currentTimeMillis());
                st.executeUpdate();
            }
            return lastRowId();
        });
    }

    @Override
    public long addVariant(long experimentId, int revision, String label, Map<String, Object> settings) {
        if (revision < 1) throw new IllegalArgumentException("revision < 1: " + revision);
        var json = json(settings);
        return write(c -> {
            try (var st = c.prepareStatement(
                    "INSERT INTO experiment_variant (experiment_id, revision, label, settings) VALUES (?, ?, ?, ?)")) {
                st.setLong(1, experimentId);
                st.setInt(2, revision);
                st.setString(3, label);
                st.setString(4, json);
                st.executeUpdate();
            }
            return lastRowId();
        });
    }

    @Override
    public void renameExperiment(long experimentId, String name) {
        write(c -> {
            try (var st = c.prepareStatement("UPDATE experiment SET name = ? WHERE id = ?")) {
                st.setString(1, name);
                st.setLong(2, experimentId);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public void recordContinuation(long generationId, long sourceId, int tokenIndex) {
        if (tokenIndex < 0) throw new IllegalArgumentException("token index < 0: " + tokenIndex);
        write(c -> {
            try (var st = c.prepareStatement(
                    "INSERT INTO generation_continuation (generation_id, source_id, token_index) VALUES (?, ?, ?)")) {
                st.setLong(1, generationId);
                st.setLong(2, sourceId);
                st.setInt(3, tokenIndex);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public List<Continuation> continuations(List<Long> generationIds) {
        if (generationIds.isEmpty()) return List.of();
        var ids = json(Map.of("ids", generationIds));
        return read(c -> {
            var found = new ArrayList<Continuation>();
            try (var st = c.prepareStatement("""
                    SELECT k.generation_id, k.source_id, k.token_index
                    FROM json_each(json_extract(?, '$.ids')) i JOIN generation_continuation k ON k.generation_id = i.value
                    ORDER BY i.key""")) {
                st.setString(1, ids);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) found.add(new Continuation(rs.getLong(1), rs.getLong(2), rs.getInt(3)));
                }
            }
            return found;
        });
    }

    @Override
    public List<Experiment> experiments(int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit < 1: " + limit);
        List<Long> ids = read(c -> {
            var found = new ArrayList<Long>();
            try (var st = c.prepareStatement("SELECT id FROM experiment ORDER BY created_at DESC, id DESC LIMIT ?")) {
                st.setInt(1, limit);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) found.add(rs.getLong(1));
                }
            }
            return found;
        });
        var experiments = new ArrayList<Experiment>();
        for (long id : ids) experiment(id).ifPresent(experiments::add);
        return experiments;
    }

    @Override
    public Optional<Experiment> experiment(long experimentId) {
        return read(c -> {
            String name;
            Long sessionId;
            Instant created;
            try (var st = c.prepareStatement("SELECT name, session_id, created_at FROM experiment WHERE id = ?")) {
                st.setLong(1, experimentId);
                try (var rs = st.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    name = rs.getString(1);
                    sessionId = nullableLong(rs, 2);
                    created = Instant.ofEpochMilli(rs.getLong(3));
                }
            }
            var variants = new ArrayList<Experiment.Variant>();
            try (var st = c.prepareStatement("""
                    SELECT v.id, v.label, v.settings,
                        (SELECT json_group_array(id) FROM
                            (SELECT id FROM generation WHERE variant_id = v.id ORDER BY started_at, id)),
                        v.revision
                    FROM experiment_variant v WHERE v.experiment_id = ? ORDER BY v.revision, v.id""")) {
                st.setLong(1, experimentId);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        List<Long> ids;
                        try {
                            ids = JSON.readValue(rs.getString(4), new TypeReference<List<Long>>() {});
                        } catch (JsonProcessingException e) {
                            throw new SQLException(e);
                        }
                        variants.add(new Experiment.Variant(rs.getLong(1), rs.getString(2), map(rs.getString(3)), ids,
                                rs.getInt(5)));
                    }
                }
            }
            return Optional.of(new Experiment(experimentId, name, sessionId, created, variants));
        });
    }

    @Override
    public void rate(long generationId, int score) {
        if (score < -1 || score > 5) throw new IllegalArgumentException("rating outside -1…5: " + score);
        write(c -> {
            try (var st = c.prepareStatement("""
                    INSERT INTO rating (generation_id, score, rated_at) VALUES (?, ?, ?)
                    ON CONFLICT (generation_id) DO UPDATE SET score = excluded.score, rated_at = excluded.rated_at""")) {
                st.setLong(1, generationId);
                st.setInt(2, score);
                st.setLong(3, System.currentTimeMillis());
                return st.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Integer> rating(long generationId) {
        return read(c -> {
            try (var st = c.prepareStatement("SELECT score FROM rating WHERE generation_id = ?")) {
                st.setLong(1, generationId);
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getInt(1)) : Optional.<Integer>empty();
                }
            }
        });
    }

    @Override
    public long addNote(@Nullable Long sessionId, @Nullable Long generationId, String text) {
        if ((sessionId == null) == (generationId == null)) {
            throw new IllegalArgumentException("a note belongs to exactly one session or one generation");
        }
        return write(c -> {
            try (var st = c.prepareStatement(
                    "INSERT INTO note (session_id, generation_id, text, created_at) VALUES (?, ?, ?, ?)")) {
                setNullableLong(st, 1, sessionId);
                setNullableLong(st, 2, generationId);
                st.setString(3, text);
                st.setLong(4, System.currentTimeMillis());
                st.executeUpdate();
            }
            return lastRowId();
        });
    }

    @Override
    public List<Note> notes(@Nullable Long sessionId, @Nullable Long generationId) {
        return read(c -> {
            var out = new ArrayList<Note>();
            try (var st = c.prepareStatement("""
                    SELECT id, session_id, generation_id, text, created_at FROM note
                    WHERE (?1 IS NULL OR session_id = ?1) AND (?2 IS NULL OR generation_id = ?2) ORDER BY id""")) {
                setNullableLong(st, 1, sessionId);
                setNullableLong(st, 2, generationId);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Note(rs.getLong(1), nullableLong(rs, 2), nullableLong(rs, 3), rs.getString(4),
                                Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Applied edits

    @Override
    public long recordEdit(NewEdit edit) {
        return write(c -> {
            long id;
            try (var st = c.prepareStatement("""
                    INSERT INTO edit_apply (session_id, generation_id, root, applied_at) VALUES (?, ?, ?, ?)
                    RETURNING id""")) {
                setNullableLong(st, 1, edit.sessionId());
                setNullableLong(st, 2, edit.generationId());
                st.setString(3, edit.root());
                st.setLong(4, edit.appliedAt().toEpochMilli());
                try (var rs = st.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (var st = c.prepareStatement("""
                    INSERT INTO edit_file (apply_id, position, path, before_sha256, after_sha256, before)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                int position = 0;
                for (var f : edit.files()) {
                    st.setLong(1, id);
                    st.setInt(2, position++);
                    st.setString(3, f.path());
                    st.setString(4, f.beforeSha256());
                    st.setString(5, f.afterSha256());
                    if (f.before() == null) st.setNull(6, Types.BLOB);
                    else st.setBytes(6, f.before());
                    st.addBatch();
                }
                st.executeBatch();
            }
            if (!edit.createdFolders().isEmpty()) {
                try (var st = c.prepareStatement("INSERT INTO edit_folder (apply_id, position, path) VALUES (?, ?, ?)")) {
                    int position = 0;
                    for (var folder : edit.createdFolders()) {
                        st.setLong(1, id);
                        st.setInt(2, position++);
                        st.setString(3, folder);
                        st.addBatch();
                    }
                    st.executeBatch();
                }
            }
            return id;
        });
    }

    @Override
    public void deleteEdit(long editId) {
        write(c -> {
            try (var st = c.prepareStatement("DELETE FROM edit_apply WHERE id = ?")) {
                st.setLong(1, editId);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public void markEditUndone(long editId, Instant when) {
        updateEdit("UPDATE edit_apply SET undone_at = ? WHERE id = ?", when.toEpochMilli(), editId);
    }

    @Override
    public void setEditCommit(long editId, String commit) {
        updateEdit("UPDATE edit_apply SET git_commit = ? WHERE id = ?", commit, editId);
    }

    private void updateEdit(String sql, Object value, long editId) {
        int n = write(c -> {
            try (var st = c.prepareStatement(sql)) {
                st.setObject(1, value);
                st.setLong(2, editId);
                return st.executeUpdate();
            }
        });
        if (n == 0) throw new StorageException(StorageException.Kind.BAD_INPUT, "No applied edit " + editId + ".");
    }

    @Override
    public Optional<EditRecord> edit(long editId) {
        return editList("WHERE id = ?", editId, 1).stream().findFirst();
    }

    @Override
    public List<EditRecord> edits(@Nullable Long sessionId, int limit) {
        return sessionId == null ? editList("", null, limit) : editList("WHERE session_id = ?", sessionId, limit);
    }

    private List<EditRecord> editList(String where, @Nullable Long arg, int limit) {
        return read(c -> {
            record Row(long id, @Nullable Long session, @Nullable Long generation, String root, Instant applied,
                    @Nullable Instant undone, @Nullable String commit) {}
            var rows = new ArrayList<Row>();
            try (var st = c.prepareStatement("""
                    SELECT id, session_id, generation_id, root, applied_at, undone_at, git_commit FROM edit_apply
                    """ + where + " ORDER BY applied_at DESC, id DESC LIMIT ?")) {
                int i = 1;
                if (arg != null) st.setLong(i++, arg);
                st.setInt(i, limit);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), nullableLong(rs, 2), nullableLong(rs, 3), rs.getString(4),
                                Instant.ofEpochMilli(rs.getLong(5)), nullableInstant(rs, 6), rs.getString(7)));
                    }
                }
            }
            var out = new ArrayList<EditRecord>();
            try (var st = c.prepareStatement(
                    "SELECT path, before_sha256, after_sha256 FROM edit_file WHERE apply_id = ? ORDER BY position");
                    var folderSt = c.prepareStatement("SELECT path FROM edit_folder WHERE apply_id = ? ORDER BY position")) {
                for (var r : rows) {
                    var files = new ArrayList<EditRecord.EditedFile>();
                    st.setLong(1, r.id());
                    try (var rs = st.executeQuery()) {
                        while (rs.next()) files.add(new EditRecord.EditedFile(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                    var folders = new ArrayList<String>();
                    folderSt.setLong(1, r.id());
                    try (var rs = folderSt.executeQuery()) {
                        while (rs.next()) folders.add(rs.getString(1));
                    }
                    out.add(new EditRecord(r.id(), r.session(), r.generation(), r.root(), r.applied(), r.undone(),
                            r.commit(), files, folders));
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, byte[]> editCheckpoint(long editId) {
        return read(c -> {
            var out = new LinkedHashMap<String, byte[]>();
            try (var st = c.prepareStatement(
                    "SELECT path, before FROM edit_file WHERE apply_id = ? AND before IS NOT NULL ORDER BY position")) {
                st.setLong(1, editId);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        var bytes = rs.getBytes(2);
                        out.put(rs.getString(1), bytes == null ? new byte[0] : bytes);
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Search and metrics

    /// Turns the user's words into an FTS5 query: every word quoted (so no word is read as syntax), all required;
    /// a trailing `*` keeps its prefix meaning.
    static String ftsQuery(String text) {
        var terms = new ArrayList<String>();
        for (var word : text.strip().split("\\s+")) {
            boolean prefix = word.endsWith("*");
            var bare = (prefix ? word.substring(0, word.length() - 1) : word).replace("\"", "");
            if (bare.isBlank()) continue;
            terms.add('"' + bare + '"' + (prefix ? "*" : ""));
        }
        if (terms.isEmpty()) throw new StorageException(StorageException.Kind.BAD_INPUT, "The search has no words.");
        return String.join(" ", terms);
    }

    @Override
    public List<SessionMatch> searchSessions(String text, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit < 1: " + limit);
        var match = ftsQuery(text);
        var words = new ArrayList<String>();
        for (var word : text.strip().toLowerCase(java.util.Locale.ROOT).split("\\s+")) {
            var bare = word.endsWith("*") ? word.substring(0, word.length() - 1) : word;
            if (!bare.isBlank()) words.add(bare);
        }
        return read(c -> {
            // Like generations, messages are ranked (bm25) among the newest rankAtMost matches only, so a word found
            // everywhere stays fast; an older match still finds its session, which then names its newest match.
            // The oldest message in the ranked window: the rankAtMost-th newest match (FTS5 streams matches in
            // rowid order, so this stops early); 0 when fewer match.
            long bound = 0;
            try (var st = c.prepareStatement(
                    "SELECT rowid FROM message_fts WHERE message_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2")) {
                st.setString(1, match);
                st.setInt(2, rankAtMost - 1);
                try (var rs = st.executeQuery()) {
                    if (rs.next()) bound = rs.getLong(1);
                }
            }
            // Every match, newest first, with its session: the best ranked message of each session (bm25: lower is
            // better; equal scores: the newer), else, for a session matched only before the window, its newest match.
            var best = new HashMap<Long, Long>();
            var bestScore = new HashMap<Long, Double>();
            try (var st = c.prepareStatement("""
                    SELECT m.session_id, f.rowid, CASE WHEN f.rowid >= ?2 THEN bm25(message_fts) END
                    FROM message_fts f JOIN message m ON m.id = f.rowid
                    WHERE message_fts MATCH ?1
                    ORDER BY f.rowid DESC""")) {
                st.setString(1, match);
                st.setLong(2, bound);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        long session = rs.getLong(1);
                        double score = rs.getDouble(3);
                        boolean ranked = !rs.wasNull();
                        var known = bestScore.get(session);
                        if (!best.containsKey(session) || ranked && (known == null || score < known)) {
                            best.put(session, rs.getLong(2));
                            if (ranked) bestScore.put(session, score);
                        }
                    }
                }
            }
            // Sessions in the bin drop out; title matches join in; newest first.
            var sessions = new ArrayList<Session>();
            try (var st = c.prepareStatement("SELECT " + SESSION_COLUMNS + """
                     FROM session
                    WHERE deleted_at IS NULL
                      AND (id IN (SELECT value FROM json_each(?1))
                           OR (SELECT count(*) FROM json_each(?2) w WHERE instr(lower(title), w.value) > 0)
                              = json_array_length(?2))
                    ORDER BY updated_at DESC, id DESC LIMIT ?3""")) {
                st.setString(1, best.keySet().toString());
                st.setString(2, jsonArray(words));
                st.setInt(3, limit);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) sessions.add(session(rs));
                }
            }
            // Snippets of the chosen messages only. Given `rowid IN (…)`, FTS5 runs the whole match once per id
            // (seconds for thousands of sessions and a common word); for more than a few, one pass over the match
            // with the id test kept from FTS5 (`+f.rowid`).
            var chosen = new ArrayList<Long>();
            for (var s : sessions) if (best.containsKey(s.id())) chosen.add(best.get(s.id()));
            var snippets = new HashMap<Long, String>();
            var roles = new HashMap<Long, Message.Role>();
            if (!chosen.isEmpty()) {
                try (var st = c.prepareStatement("""
                        SELECT f.rowid, snippet(message_fts, 0, char(2), char(3), '…', 12), m.role
                        FROM message_fts f JOIN message m ON m.id = f.rowid
                        WHERE message_fts MATCH ?1 AND""" + (chosen.size() > 200 ? " +" : " ")
                        + "f.rowid IN (SELECT value FROM json_each(?2))")) {
                    st.setString(1, match);
                    st.setString(2, chosen.toString());
                    try (var rs = st.executeQuery()) {
                        while (rs.next()) {
                            snippets.put(rs.getLong(1), rs.getString(2));
                            roles.put(rs.getLong(1), Message.Role.ofCode(rs.getString(3)));
                        }
                    }
                }
            }
            var out = new ArrayList<SessionMatch>();
            for (var s : sessions) {
                var message = best.get(s.id());
                out.add(message == null ? new SessionMatch(s, null, null, "")
                        : new SessionMatch(s, message, roles.get(message), snippets.getOrDefault(message, "")));
            }
            return out;
        });
    }

    private static String jsonArray(List<String> values) {
        var sb = new StringBuilder("[");
        for (var v : values) {
            if (sb.length() > 1) sb.append(',');
            sb.append('"');
            for (char ch : v.toCharArray()) {
                if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
                else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                else sb.append(ch);
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    /// Search ranks (bm25) the newest this-many matching generations and no more: bm25 must visit every match it
    /// ranks (a few µs each), so the window keeps a search of a word found everywhere as fast as one of a rare
    /// word. A word found in fewer generations is ranked over all of them; a search asking for more hits than this
    /// ranks that many (an export of every match). The session search ranks messages the same way (there a match
    /// outside the window still finds its session).
    static final int RANK_AT_MOST = 5_000;

    private static final String SEARCH_FILTERS = """
              AND (?2 IS NULL OR g.model_name = ?2 OR g.model_path = ?2)
              AND (?3 IS NULL OR g.session_id = ?3)
              AND (?4 IS NULL OR s.project_id = ?4)
              AND (?5 IS NULL OR g.started_at >= ?5)
              AND (?6 IS NULL OR g.started_at < ?6)
              AND (?7 IS NULL OR g.status = ?7)
              AND (?10 IS NULL OR g.stat_tokens_per_s >= ?10)
              AND (?11 IS NULL OR g.stat_tokens_per_s <= ?11)
              AND (g.session_id IS NULL OR s.deleted_at IS NULL)""";

    private static void bindSearch(PreparedStatement st, @Nullable String match, SearchQuery q) throws SQLException {
        st.setString(1, match);
        st.setString(2, q.modelName());
        setNullableLong(st, 3, q.sessionId());
        setNullableLong(st, 4, q.projectId());
        setNullableLong(st, 5, q.from() == null ? null : q.from().toEpochMilli());
        setNullableLong(st, 6, q.to() == null ? null : q.to().toEpochMilli());
        st.setString(7, q.status() == null ? null : q.status().code());
        setNullableDouble(st, 10, q.minTokensPerSecond());
        setNullableDouble(st, 11, q.maxTokensPerSecond());
    }

    private static void setNullableDouble(PreparedStatement st, int index, @Nullable Double value) throws SQLException {
        if (value == null) st.setNull(index, java.sql.Types.DOUBLE);
        else st.setDouble(index, value);
    }

    @Override
    public List<Generation> browse(SearchQuery q) {
        return read(c -> {
            var out = new ArrayList<Generation>();
            try (var st = c.prepareStatement("SELECT " + GENERATION_COLUMNS
                    + " FROM generation g JOIN generation_text t ON t.generation_id = g.id"
                    + " LEFT JOIN session s ON s.id = g.session_id WHERE ?1 IS NULL\n" + SEARCH_FILTERS
                    + "\nORDER BY g.started_at DESC, g.id DESC LIMIT ?8")) {
                bindSearch(st, null, q);
                st.setInt(8, q.limit());
                try (var rs = st.executeQuery()) {
                    while (rs.next()) out.add(generation(rs));
                }
            }
            return out;
        });
    }

    @Override
    public List<Generation> generations(List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        var found = new HashMap<Long, Generation>();
        for (var g : generationList("WHERE g.id IN (SELECT value FROM json_each(?))", ids.toString())) found.put(g.id(), g);
        return ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public List<SearchHit> search(SearchQuery q) {
        var match = ftsQuery(q.text());
        return read(c -> {
            // The oldest generation in the window: the rankAtMost-th newest match (FTS5 streams matches in rowid
            // order, so this stops early). With filters, the rankAtMost-th newest match that passes them. Never fewer
            // than the hits asked for.
            int window = Math.max(rankAtMost, q.limit());
            boolean filtered = q.filtered();
            long bound = 0;
            try (var st = c.prepareStatement(filtered ? """
                    SELECT g.id
                    FROM generation_fts f
                    JOIN generation g ON g.id = f.rowid
                    LEFT JOIN session s ON s.id = g.session_id
                    WHERE generation_fts MATCH ?1
                    """ + SEARCH_FILTERS + "\nORDER BY f.rowid DESC LIMIT 1 OFFSET ?8" : """
                    SELECT rowid FROM generation_fts WHERE generation_fts MATCH ?1
                    ORDER BY rowid DESC LIMIT 1 OFFSET ?2""")) {
                if (filtered) {
                    bindSearch(st, match, q);
                    st.setInt(8, window - 1);
                } else {
                    st.setString(1, match);
                    st.setInt(2, window - 1);
                }
                try (var rs = st.executeQuery()) {
                    if (rs.next()) bound = rs.getLong(1);
                }
            }
            // bm25 as an expression, not FTS5's `rank` shortcut: the shortcut ranks every match, ignoring the bound.
            record Row(long id, @Nullable Long sessionId, String model, GenerationStatus status, Instant startedAt,
                    double score) {}
            var rows = new ArrayList<Row>();
            if (!filtered) {
                // Unfiltered: rank in the FTS index alone, then read just the rows shown (a few extra absorb
                // generations of sessions in the bin).
                int wanted = (int) Math.min(Integer.MAX_VALUE, q.limit() + 32L);
                var scores = new LinkedHashMap<Long, Double>();
                try (var st = c.prepareStatement("""
                        SELECT rowid, bm25(generation_fts) FROM generation_fts
                        WHERE generation_fts MATCH ?1 AND rowid >= ?2
                        ORDER BY bm25(generation_fts), rowid DESC LIMIT ?3""")) {
                    st.setString(1, match);
                    st.setLong(2, bound);
                    st.setInt(3, wanted);
                    try (var rs = st.executeQuery()) {
                        while (rs.next()) scores.put(rs.getLong(1), rs.getDouble(2));
                    }
                }
                var found = new HashMap<Long, Row>();
                try (var st = c.prepareStatement("""
                        SELECT g.id, g.session_id, g.model_name, g.status, g.started_at
                        FROM generation g LEFT JOIN session s ON s.id = g.session_id
                        WHERE g.id IN (SELECT value FROM json_each(?1))
                          AND (g.session_id IS NULL OR s.deleted_at IS NULL)""")) {
                    st.setString(1, scores.keySet().toString());
                    try (var rs = st.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(1);
                            found.put(id, new Row(id, nullableLong(rs, 2), rs.getString(3),
                                    GenerationStatus.ofCode(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)),
                                    scores.get(id)));
                        }
                    }
                }
                for (var id : scores.keySet()) {
                    var row = found.get(id);
                    if (row != null && rows.size() < q.limit()) rows.add(row);
                }
                if (rows.size() < q.limit() && scores.size() == wanted) {
                    filtered = true; // many hits in the bin: rank with the join below
                    rows.clear();
                }
            }
            if (filtered) {
                try (var st = c.prepareStatement("""
                        SELECT g.id, g.session_id, g.model_name, g.status, g.started_at, bm25(generation_fts)
                        FROM generation_fts f
                        JOIN generation g ON g.id = f.rowid
                        LEFT JOIN session s ON s.id = g.session_id
                        WHERE generation_fts MATCH ?1 AND f.rowid >= ?9
                        """ + SEARCH_FILTERS + "\nORDER BY bm25(generation_fts), g.id DESC LIMIT ?8")) {
                    bindSearch(st, match, q);
                    st.setInt(8, q.limit());
                    st.setLong(9, bound);
                    try (var rs = st.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Row(rs.getLong(1), nullableLong(rs, 2), rs.getString(3),
                                    GenerationStatus.ofCode(rs.getString(4)), Instant.ofEpochMilli(rs.getLong(5)),
                                    rs.getDouble(6)));
                        }
                    }
                }
            }
            // Snippets only for the hits shown. Given `rowid IN (…)`, FTS5 runs the match once per id: quickest for
            // a page of hits; for many (the History's 2,000, an export's every match) one pass over the match with
            // the id test kept from FTS5 (`+rowid`) is (100,000 hits of 'w1': 9 s the first way).
            var snippets = new HashMap<Long, String>();
            try (var st = c.prepareStatement("""
                    SELECT rowid, snippet(generation_fts, -1, char(2), char(3), '…', 16)
                    FROM generation_fts
                    WHERE generation_fts MATCH ? AND""" + (rows.size() > 200 ? " +" : " ")
                    + "rowid IN (SELECT value FROM json_each(?))")) {
                st.setString(1, match);
                st.setString(2, rows.stream().map(r -> Long.toString(r.id())).collect(
                        java.util.stream.Collectors.joining(",", "[", "]")));
                try (var rs = st.executeQuery()) {
                    while (rs.next()) snippets.put(rs.getLong(1), rs.getString(2));
                }
            }
            var out = new ArrayList<SearchHit>(rows.size());
            for (var r : rows) {
                out.add(new SearchHit(r.id(), r.sessionId(), r.model(), r.status(), r.startedAt(),
                        snippets.getOrDefault(r.id(), ""), r.score()));
            }
            return out;
        });
    }

    @Override
    public List<ThroughputRow> throughput(ThroughputQuery q) {
        return read(c -> {
            var out = new ArrayList<ThroughputRow>();
            // Nearest-rank percentiles with window functions: the p-th value of n is the one ranked ceil(p·n).
            try (var st = c.prepareStatement("""
                    WITH g AS (
                        SELECT model_name AS model,
                               CASE WHEN ?1 THEN sampling END AS params,
                               CASE WHEN ?2 = 0 THEN 0 ELSE (started_at / ?2) * ?2 END AS bucket,
                               stat_tokens_per_s AS tps, stat_prompt_tokens_per_s AS ptps, stat_ttft_ms AS ttft
                        FROM generation
                        WHERE status IN ('done', 'cancelled')
                          AND (?3 IS NULL OR model_name = ?3 OR model_path = ?3)
                          AND (?4 IS NULL OR started_at >= ?4)
                          AND (?5 IS NULL OR started_at < ?5)
                    ), r AS (
                        SELECT *,
                            row_number() OVER (PARTITION BY model, params, bucket ORDER BY tps NULLS LAST) AS r_tps,
                            count(tps) OVER (PARTITION BY model, params, bucket) AS n_tps,
                            row_number() OVER (PARTITION BY model, params, bucket ORDER BY ptps NULLS LAST) AS r_ptps,
                            count(ptps) OVER (PARTITION BY model, params, bucket) AS n_ptps,
                            row_number() OVER (PARTITION BY model, params, bucket ORDER BY ttft NULLS LAST) AS r_ttft,
                            count(ttft) OVER (PARTITION BY model, params, bucket) AS n_ttft
                        FROM g
                    )
                    SELECT model, params, bucket, count(*),
                        max(CASE WHEN r_tps = (n_tps * 50 + 99) / 100 THEN tps END),
                        max(CASE WHEN r_tps = (n_tps * 90 + 99) / 100 THEN tps END),
                        max(CASE WHEN r_ptps = (n_ptps * 50 + 99) / 100 THEN ptps END),
                        max(CASE WHEN r_ptps = (n_ptps * 90 + 99) / 100 THEN ptps END),
                        max(CASE WHEN r_ttft = (n_ttft * 50 + 99) / 100 THEN ttft END),
                        max(CASE WHEN r_ttft = (n_ttft * 90 + 99) / 100 THEN ttft END)
                    FROM r
                    GROUP BY model, params, bucket
                    ORDER BY model, params, bucket""")) {
                st.setBoolean(1, q.bySampling());
                st.setLong(2, q.bucket().millis);
                st.setString(3, q.modelName());
                setNullableLong(st, 4, q.from() == null ? null : q.from().toEpochMilli());
                setNullableLong(st, 5, q.to() == null ? null : q.to().toEpochMilli());
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ThroughputRow(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getInt(4), nullableDouble(rs, 5), nullableDouble(rs, 6), nullableDouble(rs, 7),
                                nullableDouble(rs, 8), nullableDouble(rs, 9), nullableDouble(rs, 10)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Map<String, String> latestModelPaths() {
        return read(c -> {
            var out = new java.util.TreeMap<String, String>();
            // SQLite's bare-column rule: with max(), model_path comes from the row that has the maximum.
            try (var st = c.prepareStatement(
                    "SELECT model_name, model_path, max(started_at) FROM generation GROUP BY model_name");
                 var rs = st.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Maintenance

    @Override
    public LogFileSize fileSize() {
        long free = read(c -> {
            try (var st = c.createStatement()) {
                long pages;
                long pageSize;
                try (var rs = st.executeQuery("PRAGMA freelist_count")) {
                    rs.next();
                    pages = rs.getLong(1);
                }
                try (var rs = st.executeQuery("PRAGMA page_size")) {
                    rs.next();
                    pageSize = rs.getLong(1);
                }
                return pages * pageSize;
            }
        });
        return new LogFileSize(sizeOf(file), sizeOf(file.resolveSibling(file.getFileName() + "-wal")), free);
    }

    private static long sizeOf(Path path) {
        try {
            return Files.exists(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void vacuum() {
        checkOpen();
        flush();
        // VACUUM cannot run inside the writer's batched transactions: it gets a connection of its own, and the
        // busy timeout makes it wait for the writer's current commit.
        try (var c = connect(file, false); var st = c.createStatement()) {
            st.execute("VACUUM");
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            throw translate(e, "vacuum the session log");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Import

    @Override
    public boolean importGeneration(@Nullable SessionRef session, Generation imported, List<Token> tokens) {
        // A generation exported while it was still streaming arrives as an interrupted one.
        var g = imported.status() != GenerationStatus.RUNNING ? imported : new Generation(imported.id(), imported.uuid(),
                imported.sessionId(), imported.variantId(), imported.run(), GenerationStatus.INTERRUPTED,
                imported.stopReason(), "It was still running when it was exported.",
                tokens.stream().map(Token::piece).collect(java.util.stream.Collectors.joining()),
                imported.stats(), imported.endedAt(), imported.tokenCount());
        return write(c -> {
            try (var st = c.prepareStatement("SELECT 1 FROM generation WHERE uuid = ?")) {
                st.setString(1, g.uuid());
                try (var rs = st.executeQuery()) {
                    if (rs.next()) return false;
                }
            }
            Long sessionId = null;
            if (session != null) {
                try (var st = c.prepareStatement("SELECT id FROM session WHERE uuid = ?")) {
                    st.setString(1, session.uuid());
                    try (var rs = st.executeQuery()) {
                        if (rs.next()) sessionId = rs.getLong(1);
                    }
                }
                if (sessionId == null) {
                    sessionId = insertSessionRow(c, session.uuid(), session.title(), null, session.createdAt());
                }
            }
            long modelId = upsertModelRef(g.run());
            try (var st = c.prepareStatement("""
                    INSERT INTO generation (uuid, session_id, variant_id, model_id, model_path, model_name, model_sha256,
                        native_build, engine, load_options, sampling, seed, prompt_tokens, started_at, status,
                        stop_reason, failure_reason, ended_at, token_count,
                        stat_prompt_tokens, stat_prompt_ms, stat_generated_tokens, stat_generated_ms,
                        stat_tokens_per_s, stat_prompt_tokens_per_s, stat_ttft_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                bindRun(st, g.uuid(), sessionId, null, modelId, g.run());
                st.setString(15, g.status().code());
                st.setString(16, g.stopReason());
                st.setString(17, g.failureReason());
                setNullableLong(st, 18, g.endedAt() == null ? null : g.endedAt().toEpochMilli());
                st.setInt(19, tokens.size());
                bindStats(st, 20, g.stats());
                st.executeUpdate();
            }
            long id = lastRowId();
            insertText(c, id, g.run().prompt(), g.output());
            if (!tokens.isEmpty()) insertBatch(id, tokens);
            touchSession(sessionId, g.run().startedAt());
            return true;
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Lifecycle

    @Override
    public Health health() {
        return health;
    }

    @Override
    public void flush() {
        checkOpen();
        var done = new CompletableFuture<Void>();
        queue.add(new Flush(done));
        done.join();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        var done = new CompletableFuture<Void>();
        queue.add(new Stop(done));
        try {
            done.get(30, TimeUnit.SECONDS);
            writerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception _) {
            // the writer thread is stuck (a busy database): the daemon thread dies with the process
        }
        for (Connection c; (c = readers.poll()) != null; ) closeQuietly(c);
    }

    /// Runs `PRAGMA integrity_check` on a reading connection; "ok" when the file is sound.
    public String integrityCheck() {
        return read(c -> {
            var lines = new ArrayList<String>();
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) lines.add(rs.getString(1));
            }
            return String.join("\n", lines);
        });
    }

    /// Bytes the token data takes in the file (sum of blob sizes) and the number of tokens stored.
    public Map<String, Long> tokenStorage() {
        return read(c -> {
            var out = new HashMap<String, Long>();
            try (var st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT coalesce(sum(length(data)), 0), coalesce(sum(token_count), 0), count(*) FROM token_batch")) {
                rs.next();
                out.put("bytes", rs.getLong(1));
                out.put("tokens", rs.getLong(2));
                out.put("rows", rs.getLong(3));
            }
            return out;
        });
    }
}
