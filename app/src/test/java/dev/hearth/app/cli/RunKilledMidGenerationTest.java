package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.storage.GenerationStatus;
import dev.hearth.storage.SqliteSessionLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// A real `hearth run` process killed with SIGKILL in the middle of a long generation: the session log stays intact,
/// and the interrupted run is kept with its tokens up to at most a second before the kill.
class RunKilledMidGenerationTest {

    @Test
    void aKilledRunIsKeptAsInterruptedWithItsTokens(@TempDir Path home) throws Exception {
        var model = FixtureModel.builder().width(256).layers(4).heads(4).contextLength(8192).write(home.resolve("m.gguf"));
        // A grammar that never completes, so the model cannot end the run with an end-of-generation token.
        var endless = java.nio.file.Files.writeString(home.resolve("endless.gbnf"), "root ::= [a-z ] root\n");
        var java = ProcessHandle.current().info().command().orElseThrow();
        var command = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.hearth.app.Main", "run", "--in-process", "--model", model.toString(), "--prompt", "Once upon a time",
                "--max-tokens", "100000", "--ctx", "8192", "--temperature", "1.0", "--threads", "1", "--grammar", endless.toString(), "--json");
        var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("HEARTH_HOME", home.toString());
        var process = builder.start();
        var printed = new AtomicInteger();
        var reader = Thread.ofVirtual().start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                while (lines.readLine() != null) printed.incrementAndGet();
            } catch (java.io.IOException _) {
                // the process was killed
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (printed.get() < 200 && process.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(process.isAlive(), "the run ended before it could be killed (" + printed.get() + " tokens)");
            int printedASecondBeforeTheKill = printed.get();
            Thread.sleep(1100);
            assertTrue(process.isAlive(), "the run ended before it could be killed (" + printed.get() + " tokens)");
            process.destroyForcibly(); // SIGKILL on Linux and macOS
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);

            try (var db = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("hearth.db"));
                    var rs = db.createStatement().executeQuery("PRAGMA integrity_check")) {
                assertTrue(rs.next());
                assertEquals("ok", rs.getString(1));
            }
            try (var log = SqliteSessionLog.open(home.resolve("hearth.db"))) {
                var generations = log.recentGenerations(10);
                assertEquals(1, generations.size());
                var generation = generations.getFirst();
                assertEquals(GenerationStatus.INTERRUPTED, generation.status(), "marked at the next open");
                int kept = log.tokens(generation.id()).size();
                assertTrue(kept >= printedASecondBeforeTheKill,
                        kept + " tokens kept, but " + printedASecondBeforeTheKill + " were out a second before the kill");
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
