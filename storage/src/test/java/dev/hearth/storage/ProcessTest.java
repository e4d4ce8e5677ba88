package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Reliability with real processes: a child JVM ([ChildWriter]) killed with SIGKILL mid-generation, two processes
/// writing one file, a read-only data folder.
class ProcessTest {
    @TempDir Path dir;

    static Process child(Path errors, String... args) throws Exception {
        var java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), ChildWriter.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(errors.toFile()).start();
    }

    record Seen(long nanos, int index) {}

    @Test
    void aGenerationKilledWithSigkillKeepsItsTokensUpToASecondBeforeAndIsMarkedInterrupted() throws Exception {
        var db = dir.resolve("hearth.db");
        var errors = dir.resolve("child.err");
        var child = child(errors, "stream", db.toString());
        var seen = new ConcurrentLinkedQueue<Seen>();
        var reader = Thread.ofPlatform().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("T ")) seen.add(new Seen(System.nanoTime(), Integer.parseInt(line.substring(2))));
                }
            } catch (Exception _) {
                // the child was killed
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((seen.isEmpty() || seen.stream().mapToInt(Seen::index).max().orElse(0) < 2_000)
                && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), () -> "the child died early: " + read(errors));
        long killedAt = System.nanoTime();
        child.destroyForcibly(); // SIGKILL on Linux and macOS
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(5_000);
        int requiredIndex = seen.stream().filter(s -> s.nanos() <= killedAt - 1_000_000_000L)
                .mapToInt(Seen::index).max().orElseThrow();

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            var rs = st.executeQuery("PRAGMA integrity_check");
            rs.next();
            assertEquals("ok", rs.getString(1));
            rs = st.executeQuery("SELECT count(*) FROM generation WHERE status = 'running'");
            rs.next();
            assertEquals(1, rs.getInt(1), "still running until the next open");
        }
        try (var log = SqliteSessionLog.open(db)) {
            var all = log.recentGenerations(10).reversed();
            assertEquals(ChildWriter.EARLIER + 1, all.size());
            for (int i = 0; i < ChildWriter.EARLIER; i++) {
                var g = all.get(i);
                assertEquals(GenerationStatus.DONE, g.status());
                assertEquals(Fixtures.tokens(100, 10, i), log.tokens(g.id()));
            }
            var last = all.getLast();
            assertEquals(GenerationStatus.INTERRUPTED, last.status());
            var tokens = log.tokens(last.id());
            int lastSeen = seen.stream().mapToInt(Seen::index).max().orElseThrow();
            System.out.printf("kill test: kept %d tokens; last index reported before the kill %d; required > %d%n",
                    tokens.size(), lastSeen, requiredIndex);
            assertTrue(tokens.size() > requiredIndex,
                    "kept " + tokens.size() + " tokens; token " + requiredIndex + " was appended over 1 s before the kill");
            assertEquals(Fixtures.streamed(ChildWriter.STREAM_SEED, tokens.size()), tokens, "tokens are intact");
            assertEquals(Fixtures.text(tokens), last.output());
            assertEquals(tokens.size(), last.tokenCount());
            assertEquals("ok", log.integrityCheck());
        }
    }

    @Test
    void twoProcessesWritingTheSameFileLoseNothing() throws Exception {
        var db = dir.resolve("hearth.db");
        SqliteSessionLog.open(db).close();
        var errors = dir.resolve("child.err");
        var child = child(errors, "write", db.toString(), "20");
        try (var log = SqliteSessionLog.open(db)) {
            long s = log.createSession("parent", null);
            for (int i = 0; i < 20; i++) {
                var tokens = Fixtures.tokens(200, 10, 100 + i);
                var w = log.startGeneration(s, null, Fixtures.run("parent prompt " + i));
                tokens.forEach(w::append);
                w.finish(Fixtures.done(Fixtures.text(tokens), tokens.size()));
            }
            log.flush();
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finished");
            assertEquals(0, child.exitValue(), () -> read(errors));
            assertEquals(40, log.recentGenerations(100).size());
            assertEquals(2, log.sessions(10).size());
            for (var g : log.recentGenerations(100)) {
                assertEquals(GenerationStatus.DONE, g.status());
                assertEquals(200, log.tokens(g.id()).size());
            }
            assertEquals("ok", log.integrityCheck());
        }
    }

    @Test
    void aReadOnlyDataFolderIsAClearTypedErrorAndNothingIsWritten() throws Exception {
        var folder = dir.resolve("data");
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(folder), "running as root: permissions do not stop writes");
            var ex = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
                    () -> SqliteSessionLog.open(folder.resolve("hearth.db")));
            assertEquals(StorageException.Kind.READ_ONLY, ex.kind());
            assertTrue(ex.getMessage().contains("read-only"), ex.getMessage());
            try (var files = Files.list(folder)) {
                assertEquals(0, files.count());
            }
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
