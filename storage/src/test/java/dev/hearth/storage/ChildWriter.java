package dev.hearth.storage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/// A separate JVM that writes to a session log, for the tests with real processes ([ProcessTest]).
///
/// - `stream DB`: writes three finished generations, then streams one long generation at about 2,000 tokens/s
///   with top-10 alternatives, printing `T <index>` every 20 tokens, until killed (or 60 s pass).
/// - `write DB N`: writes N finished generations of 200 tokens each, then prints `DONE`.
public final class ChildWriter {
    static final int EARLIER = 3;
    static final long STREAM_SEED = 77;

    private ChildWriter() {}

    public static void main(String[] args) throws Exception {
        var db = Path.of(args[1]);
        switch (args[0]) {
            case "stream" -> stream(db);
            case "write" -> write(db, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void stream(Path db) {
        var log = SqliteSessionLog.open(db);
        long s = log.createSession("crash", null);
        for (int i = 0; i < EARLIER; i++) {
            Fixtures.generate(log, s, Fixtures.run("earlier " + i), Fixtures.tokens(100, 10, i));
        }
        var w = log.startGeneration(s, null, Fixtures.run("the long one"));
        w.id().join();
        System.out.println("STARTED " + w.uuid());
        System.out.flush();
        var random = new Random(STREAM_SEED);
        long end = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; System.nanoTime() < end; i++) {
            w.append(Fixtures.token(i, 10, random));
            if (i % 20 == 0) {
                System.out.println("T " + i);
                System.out.flush();
            }
            LockSupport.parkNanos(500_000);
        }
        System.exit(3); // never reached in the test: the parent kills it first
    }

    private static void write(Path db, int n) {
        try (var log = SqliteSessionLog.open(db)) {
            long s = log.createSession("child " + ProcessHandle.current().pid(), null);
            for (int i = 0; i < n; i++) {
                var w = log.startGeneration(s, null, Fixtures.run("child prompt " + i));
                var tokens = Fixtures.tokens(200, 10, i);
                tokens.forEach(w::append);
                w.finish(Fixtures.done(Fixtures.text(tokens), tokens.size()));
                if (i % 5 == 0) log.flush();
            }
        }
        System.out.println("DONE " + Instant.now());
    }
}
