package dev.hearth.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/// The session log's performance figures (a bench main, not a test):
///
/// 1. streaming at 2,000 tokens/s with top-10 alternatives: the producer's cost per `append`, how far the writer
///    falls behind, and bytes per token stored;
/// 2. opening a past 4,000-token generation with all its token data;
/// 3. full-text search over 100,000 generations;
/// 4. the chat's session list and session search over 20,000 sessions with 60,000 messages.
///
/// Run (from the repository root):
///
/// ```
/// ./mvnw -q -B -pl storage test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
/// java --enable-native-access=ALL-UNNAMED -cp storage/target/test-classes:storage/target/classes:$(cat storage/target/cp.txt) \
///      dev.hearth.storage.SessionLogBench [folder [stream,open,search,sessions]]
/// ```
public final class SessionLogBench {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private SessionLogBench() {}

    public static void main(String[] args) throws Exception {
        var folder = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("hearth-bench");
        Files.createDirectories(folder);
        System.out.println("folder: " + folder + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version() + ", load average " + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("(CPU = the calling thread's CPU time: SQLite runs on it, so this is the work without waiting for a core)");
        var sections = args.length > 1 ? List.of(args[1].split(",")) : List.of("stream", "open", "search");
        if (sections.contains("stream")) stream(folder.resolve("stream.db"));
        if (sections.contains("open")) open(folder.resolve("open.db"));
        if (sections.contains("search")) search(folder.resolve("search.db")); // the corpus is kept and reused
        if (sections.contains("sessions")) sessions(folder.resolve("sessions.db")); // kept and reused too
    }

    // ---- 1. streaming ----

    static void stream(Path db) throws Exception {
        Files.deleteIfExists(db);
        int rate = 2_000;
        int seconds = 10;
        int count = rate * seconds;
        var tokens = Fixtures.tokens(count, 10, 1); // what the engine hands over; made before timing
        try (var log = SqliteSessionLog.open(db)) {
            long s = log.createSession("bench", null);
            var w = log.startGeneration(s, null, Fixtures.run("stream bench"));
            long id = w.id().join();
            var appended = new AtomicLong();
            var maxLagTokens = new AtomicLong();
            var done = new java.util.concurrent.atomic.AtomicBoolean();
            var watcher = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    long before = appended.get();
                    int committed = log.generation(id).orElseThrow().tokenCount();
                    maxLagTokens.accumulateAndGet(before - committed, Math::max);
                    LockSupport.parkNanos(50_000_000);
                }
            });
            var cost = new long[count];
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + i * period;
                while (System.nanoTime() < due) LockSupport.parkNanos(Math.max(1, due - System.nanoTime() - 50_000));
                long t0 = System.nanoTime();
                w.append(tokens.get(i));
                cost[i] = System.nanoTime() - t0;
                appended.set(i + 1);
            }
            long streamed = System.nanoTime() - start;
            long flushStart = System.nanoTime();
            log.flush();
            long flushMs = (System.nanoTime() - flushStart) / 1_000_000;
            var batchForm = log.tokenStorage();
            w.finish(Fixtures.done(Fixtures.text(tokens), count));
            log.flush();
            done.set(true);
            watcher.join();
            var compact = log.tokenStorage();
            Arrays.sort(cost);
            System.out.printf("stream: %d tokens with top-10 at %d tokens/s target, achieved %.0f tokens/s%n",
                    count, rate, count / (streamed / 1e9));
            System.out.printf("  producer append cost: median %d ns, p99 %d ns, p99.9 %d ns, max %d ns (token period %d ns)%n",
                    cost[count / 2], cost[(int) (count * 0.99)], cost[(int) (count * 0.999)], cost[count - 1], period);
            System.out.printf("  writer lag: at most %d tokens (%.0f ms) behind; flush after the stream took %d ms%n",
                    maxLagTokens.get(), maxLagTokens.get() * 1000.0 / rate, flushMs);
            System.out.printf("  bytes per token: %.1f while streaming (%d batches), %.1f after compaction (top-10 alternatives)%n",
                    (double) batchForm.get("bytes") / batchForm.get("tokens"), batchForm.get("rows"),
                    (double) compact.get("bytes") / compact.get("tokens"));
            var noTop = Fixtures.tokens(count, 0, 2);
            System.out.printf("  bytes per token without alternatives: %.1f%n",
                    (double) TokenCodec.encode(noTop).length / count);
        }
        System.out.printf("  database file: %.1f MB for %d tokens%n", Files.size(db) / 1e6, count);
    }

    // ---- 2. opening a past generation ----

    static void open(Path db) throws Exception {
        Files.deleteIfExists(db);
        long id;
        try (var log = SqliteSessionLog.open(db)) {
            long s = log.createSession("open bench", null);
            id = Fixtures.generate(log, s, Fixtures.run("open bench"), Fixtures.tokens(4_000, 10, 3));
        }
        var times = new long[30];
        try (var log = SqliteSessionLog.open(db)) {
            long first = System.nanoTime();
            var g = log.generation(id).orElseThrow();
            var tokens = log.tokens(id);
            long firstNs = System.nanoTime() - first;
            if (tokens.size() != 4_000 || g.tokenCount() != 4_000) throw new AssertionError("wrong token count");
            var cpu = new long[times.length];
            for (int i = 0; i < times.length; i++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                log.generation(id).orElseThrow();
                if (log.tokens(id).size() != 4_000) throw new AssertionError();
                times[i] = System.nanoTime() - t0;
                cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
            }
            Arrays.sort(times);
            Arrays.sort(cpu);
            System.out.printf("open: a 4,000-token generation with top-10 data: first %.1f ms (cold JVM, fresh log), then median %.1f ms (CPU %.1f ms), max %.1f ms%n",
                    firstNs / 1e6, times[times.length / 2] / 1e6, cpu[cpu.length / 2] / 1e6, times[times.length - 1] / 1e6);
        }
        try (var log = SqliteSessionLog.open(db)) {
            long t0 = System.nanoTime();
            log.generation(id).orElseThrow();
            log.tokens(id);
            System.out.printf("  first read after reopening the log (new read connection): %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        }
    }

    // ---- 3. search ----

    static final int VOCABULARY = 5_000;

    static void search(Path db) throws Exception {
        int n = 100_000;
        if (!Files.exists(db)) {
            long t0 = System.nanoTime();
            fillCorpus(db, n);
            System.out.printf("search: wrote %d generations in %.1f s (%.0f MB)%n", n, (System.nanoTime() - t0) / 1e9,
                    Files.size(db) / 1e6);
        }
        try (var log = SqliteSessionLog.open(db)) {
            for (var q : List.of(word(3_000), word(200), word(20) + " " + word(40), word(1), word(5) + "*")) {
                var query = SearchQuery.of(q).withLimit(50);
                var hits = log.search(query);
                var times = new long[11];
                var cpu = new long[11];
                for (int i = 0; i < times.length; i++) {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    hits = log.search(query);
                    times[i] = System.nanoTime() - t0;
                    cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
                }
                Arrays.sort(times);
                Arrays.sort(cpu);
                long matches = count(db, "generation_fts", SqliteSessionLog.ftsQuery(q));
                System.out.printf("  search '%s' (%d of %d match, 50 best): median %.1f ms (CPU %.1f ms), max %.1f ms; %d hits%n", q,
                        matches, n, times[times.length / 2] / 1e6, cpu[cpu.length / 2] / 1e6, times[times.length - 1] / 1e6, hits.size());
            }
            for (var q : List.of(word(200), word(1))) {
                var every = SearchQuery.of(q).withLimit(Integer.MAX_VALUE);
                time("search '" + q + "', every match (hearth log export --query)", 5,
                        () -> log.search(every).size() + " hits");
            }
            var filtered = SearchQuery.of(word(200)).withModel("model-3").withLimit(50);
            var times = new long[11];
            var cpu = new long[11];
            for (int i = 0; i < times.length; i++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                log.search(filtered);
                times[i] = System.nanoTime() - t0;
                cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
            }
            Arrays.sort(times);
            Arrays.sort(cpu);
            System.out.printf("  search '%s' --model model-3: median %.1f ms (CPU %.1f ms)%n", word(200),
                    times[times.length / 2] / 1e6, cpu[cpu.length / 2] / 1e6);
        }
    }

    // ---- 4. the chat's session list and session search ----

    static final int SESSIONS = 20_000;
    /// In every message of the newest 2,000 sessions (6,000 messages, more than the newest matches the session
    /// search ranks) and in one message of the oldest session.
    static final String MARKER = "wmarker";
    /// In one message of the oldest session only.
    static final String OLDEST = "woldest";

    static void sessions(Path db) throws Exception {
        if (!Files.exists(db)) {
            long t0 = System.nanoTime();
            fillSessions(db);
            System.out.printf("sessions: wrote %d sessions with %d messages in %.1f s (%.0f MB)%n", SESSIONS, 3 * SESSIONS,
                    (System.nanoTime() - t0) / 1e9, Files.size(db) / 1e6);
        }
        try (var log = SqliteSessionLog.open(db)) {
            long oldest = log.sessions().getLast().id();
            time("list every session (sessions())", 11, () -> log.sessions().size() + " sessions");
            time("list the newest 500 (sessions(500))", 11, () -> log.sessions(500).size() + " sessions");
            for (var q : List.of(OLDEST, MARKER, word(3_000), word(200), word(20), word(1), word(2) + " " + word(3),
                    word(1) + "*")) {
                long matches = count(db, "message_fts", SqliteSessionLog.ftsQuery(q));
                time("search '" + q + "' (" + matches + " of " + 3 * SESSIONS + " messages match)", 5, () -> {
                    var found = log.searchSessions(q);
                    boolean withOldest = found.stream().anyMatch(m -> m.session().id() == oldest);
                    return found.size() + " sessions" + (withOldest ? ", the oldest among them" : "");
                });
            }
        }
    }

    private static void time(String what, int runs, java.util.function.Supplier<String> work) {
        var result = work.get(); // warm
        var times = new long[runs];
        var cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            result = work.get();
            times[i] = System.nanoTime() - t0;
            cpu[i] = THREADS.getCurrentThreadCpuTime() - c0;
        }
        Arrays.sort(times);
        Arrays.sort(cpu);
        System.out.printf("  %s: median %.1f ms (CPU %.1f ms), max %.1f ms; %s%n", what, times[runs / 2] / 1e6,
                cpu[runs / 2] / 1e6, times[runs - 1] / 1e6, result);
    }

    /// 20,000 sessions a minute apart, each with a question (~30 words), an answer (~120 words) and a follow-up
    /// (~20 words), written in bulk through the schema's own triggers (so the message index is the one the log builds).
    static void fillSessions(Path db) throws Exception {
        SqliteSessionLog.open(db).close();
        var zipf = new Zipf();
        var random = new Random(7);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (var session = c.prepareStatement("""
                    INSERT INTO session (uuid, title, created_at, updated_at) VALUES (?, ?, ?, ?)""");
                    var message = c.prepareStatement("""
                    INSERT INTO message (session_id, parent_id, role, content, created_at)
                    VALUES (?, ?, ?, ?, ?)""", java.sql.Statement.RETURN_GENERATED_KEYS)) {
                long t = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli();
                for (int i = 0; i < SESSIONS; i++) {
                    long at = t + i * 60_000L;
                    session.setString(1, java.util.UUID.randomUUID().toString());
                    session.setString(2, zipf.text(random, 4));
                    session.setLong(3, at);
                    session.setLong(4, at + 30_000);
                    session.executeUpdate();
                    long sessionId;
                    try (var rs = session.getGeneratedKeys()) {
                        rs.next();
                        sessionId = rs.getLong(1);
                    }
                    Long parent = null;
                    int m = 0;
                    for (int words : new int[] {30, 120, 20}) {
                        var text = zipf.text(random, words);
                        if (i >= SESSIONS - 2_000 || (i == 0 && m == 0)) text += " " + MARKER;
                        if (i == 0 && m == 0) text += " " + OLDEST;
                        message.setLong(1, sessionId);
                        if (parent == null) message.setNull(2, java.sql.Types.INTEGER);
                        else message.setLong(2, parent);
                        message.setString(3, m == 1 ? "assistant" : "user");
                        message.setString(4, text);
                        message.setLong(5, at + m * 10_000L);
                        message.executeUpdate();
                        try (var rs = message.getGeneratedKeys()) {
                            rs.next();
                            parent = rs.getLong(1);
                        }
                        m++;
                    }
                }
            }
            c.commit();
        }
    }

    static String word(int rank) {
        return "w" + Integer.toString(rank, 36);
    }

    /// Zipf-distributed words (rank r has weight 1/r), like natural text.
    static final class Zipf {
        final double[] cumulative = new double[VOCABULARY];

        Zipf() {
            double sum = 0;
            for (int r = 1; r <= VOCABULARY; r++) cumulative[r - 1] = sum += 1.0 / r;
            for (int i = 0; i < VOCABULARY; i++) cumulative[i] /= sum;
        }

        String next(Random random) {
            int i = Arrays.binarySearch(cumulative, random.nextDouble());
            return word((i < 0 ? -i - 1 : i) + 1);
        }

        String text(Random random, int words) {
            var sb = new StringBuilder();
            for (int i = 0; i < words; i++) sb.append(i == 0 ? "" : " ").append(next(random));
            return sb.toString();
        }
    }

    /// 100,000 finished generations written in bulk (prompts ~40 words, outputs ~150 words) through the schema's
    /// own triggers, so the FTS index is the one the log builds.
    static void fillCorpus(Path db, int n) throws Exception {
        SqliteSessionLog.open(db).close();
        var zipf = new Zipf();
        var random = new Random(5);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (var st = c.prepareStatement("""
                    INSERT INTO generation (uuid, model_path, model_name, native_build, engine, load_options, sampling,
                        seed, prompt_tokens, status, token_count, started_at, ended_at,
                        stat_tokens_per_s, stat_prompt_tokens_per_s, stat_ttft_ms)
                    VALUES (?, ?, ?, 'llama.cpp b4916', 'in-process', '{}', '{"temperature":0.8}', 1, 50, 'done',
                        150, ?, ?, ?, ?, ?)""");
                    var text = c.prepareStatement("""
                    INSERT INTO generation_text (generation_id, prompt, output) VALUES (last_insert_rowid(), ?, ?)""")) {
                long t = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
                for (int i = 0; i < n; i++) {
                    int model = i % 8;
                    st.setString(1, java.util.UUID.randomUUID().toString());
                    st.setString(2, "/models/model-" + model + ".gguf");
                    st.setString(3, "model-" + model);
                    st.setLong(4, t + i * 60_000L);
                    st.setLong(5, t + i * 60_000L + 3_000);
                    st.setDouble(6, 20 + random.nextGaussian() * 3);
                    st.setDouble(7, 300 + random.nextGaussian() * 30);
                    st.setDouble(8, 100 + random.nextGaussian() * 10);
                    st.executeUpdate();
                    text.setString(1, zipf.text(random, 40));
                    text.setString(2, zipf.text(random, 150));
                    text.executeUpdate();
                }
            }
            c.commit();
        }
    }

    private static long count(Path db, String table, String match) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var st = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + table + " MATCH ?")) {
            st.setString(1, match);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
