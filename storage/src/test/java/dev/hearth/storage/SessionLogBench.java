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
/// 3. full-text search over 100,000 generations.
///
/// Run (from the repository root):
///
/// ```
/// ./mvnw -q -B -pl storage test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
/// java --enable-native-access=ALL-UNNAMED -cp storage/target/test-classes:storage/target/classes:$(cat storage/target/cp.txt) \
///      dev.hearth.storage.SessionLogBench [folder]
/// ```
public final class SessionLogBench {
    private SessionLogBench() {}

    public static void main(String[] args) throws Exception {
        var folder = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("hearth-bench");
        Files.createDirectories(folder);
        System.out.println("folder: " + folder + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version());
        stream(folder.resolve("stream.db"));
        open(folder.resolve("open.db"));
        search(folder.resolve("search.db"));
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
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                log.generation(id).orElseThrow();
                if (log.tokens(id).size() != 4_000) throw new AssertionError();
                times[i] = System.nanoTime() - t0;
            }
            Arrays.sort(times);
            System.out.printf("open: a 4,000-token generation with top-10 data: first %.1f ms (fresh log), then median %.1f ms, max %.1f ms%n",
                    firstNs / 1e6, times[times.length / 2] / 1e6, times[times.length - 1] / 1e6);
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
                var times = new long[25];
                for (int i = 0; i < times.length; i++) {
                    long t0 = System.nanoTime();
                    hits = log.search(query);
                    times[i] = System.nanoTime() - t0;
                }
                Arrays.sort(times);
                long matches = count(db, SqliteSessionLog.ftsQuery(q));
                System.out.printf("  search '%s' (%d of %d match, 50 best): median %.1f ms, max %.1f ms; %d hits%n", q,
                        matches, n, times[times.length / 2] / 1e6, times[times.length - 1] / 1e6, hits.size());
            }
            var filtered = SearchQuery.of(word(200)).withModel("model-3").withLimit(50);
            var times = new long[25];
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                log.search(filtered);
                times[i] = System.nanoTime() - t0;
            }
            Arrays.sort(times);
            System.out.printf("  search '%s' --model model-3: median %.1f ms%n", word(200), times[times.length / 2] / 1e6);
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
                        seed, prompt, prompt_tokens, output, status, token_count, started_at, ended_at,
                        stat_tokens_per_s, stat_prompt_tokens_per_s, stat_ttft_ms)
                    VALUES (?, ?, ?, 'llama.cpp b4916', 'in-process', '{}', '{"temperature":0.8}', 1, ?, 50, ?, 'done',
                        150, ?, ?, ?, ?, ?)""")) {
                long t = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
                for (int i = 0; i < n; i++) {
                    int model = i % 8;
                    st.setString(1, java.util.UUID.randomUUID().toString());
                    st.setString(2, "/models/model-" + model + ".gguf");
                    st.setString(3, "model-" + model);
                    st.setString(4, zipf.text(random, 40));
                    st.setString(5, zipf.text(random, 150));
                    st.setLong(6, t + i * 60_000L);
                    st.setLong(7, t + i * 60_000L + 3_000);
                    st.setDouble(8, 20 + random.nextGaussian() * 3);
                    st.setDouble(9, 300 + random.nextGaussian() * 30);
                    st.setDouble(10, 100 + random.nextGaussian() * 10);
                    st.addBatch();
                    if (i % 5_000 == 4_999) st.executeBatch();
                }
                st.executeBatch();
            }
            c.commit();
        }
    }

    private static long count(Path db, String match) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var st = c.prepareStatement("SELECT count(*) FROM generation_fts WHERE generation_fts MATCH ?")) {
            st.setString(1, match);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
