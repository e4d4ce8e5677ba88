package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.app.DataFolders;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.storage.SqliteSessionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `hearth engines list|install|rm` and `--engine` on the real engines: b4916 and the engine pack the build fetched
/// (installed here from a tarball shaped like `npm pack`'s; skipped when the build had no npm).
class EnginesCommandTest {
    @TempDir static Path dir;
    static Path tarball;
    static Path qwen3;

    @BeforeAll
    static void packAndModel() throws IOException {
        var pack = Path.of(System.getProperty("hearth.test.enginePack", ""));
        Assumptions.assumeTrue(Files.isRegularFile(pack.resolve("_nlcBuildMetadata.json")),
                "no engine pack was fetched at build time (npm missing or offline)");
        tarball = dir.resolve("node-llama-cpp-linux-x64-3.22.1.tgz");
        try (var out = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(tarball)))) {
            try (var files = Files.list(pack)) {
                for (var f : files.sorted().toList()) {
                    var name = f.getFileName().toString().equals("package.json") ? "package/package.json"
                            : "package/bins/linux-x64/" + f.getFileName();
                    var entry = new TarArchiveEntry(f.toRealPath().toFile(), name);
                    out.putArchiveEntry(entry);
                    Files.copy(f, out);
                    out.closeArchiveEntry();
                }
            }
            // an entry that tries to leave the engine folder is never unpacked there
            var evil = new TarArchiveEntry("package/bins/linux-x64/../../../../escaped.so");
            evil.setSize(3);
            out.putArchiveEntry(evil);
            out.write(new byte[] {1, 2, 3});
            out.closeArchiveEntry();
        }
        qwen3 = FixtureModel.builder().architecture("qwen3").width(64).layers(2).seed(5).write(dir.resolve("q3.gguf"));
    }

    @Test
    void anInstalledPackIsListedRunsANewArchitectureAndIsRemoved() throws Exception {
        var name = "cpu-test-" + System.nanoTime(); // the test data folder outlives a failed run
        var install = CliRun.of("engines", "install", tarball.toString(), "--name", name);
        assertEquals(0, install.exitCode(), install.err());
        assertTrue(install.out().contains("Installed engine " + name + ": llama.cpp v0.5.0 (v0.5)"), install.out());
        assertFalse(Files.exists(DataFolders.fromEnvironment().home().resolve("escaped.so")));

        var again = CliRun.of("engines", "install", tarball.toString(), "--name", name);
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("exists already"), again.err());

        var list = CliRun.of("engines", "list", "--json");
        assertEquals(0, list.exitCode(), list.err());
        var rows = new ObjectMapper().readTree(list.out());
        var b4916 = rows.get(0);
        assertEquals("b4916", b4916.get("name").asText());
        assertEquals("b4916", b4916.get("generation").asText());
        var installed = java.util.stream.StreamSupport.stream(rows.spliterator(), false)
                .filter(r -> r.get("name").asText().equals(name)).findFirst().orElseThrow();
        assertEquals("v0.5.0", installed.get("build").asText());
        assertEquals("v0.5", installed.get("generation").asText());
        assertTrue(installed.get("devices").get(0).asText().startsWith("CPU"), installed.toString()); // "CPU (AMD EPYC) …"

        String prompt = "Engine run " + System.nanoTime();
        var run = CliRun.of("run", "--engine", name, "--model", qwen3.toString(), "--prompt", prompt,
                "--max-tokens", "3", "--temperature", "0", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        try (var log = SqliteSessionLog.open(DataFolders.fromEnvironment().database())) {
            var generation = log.recentGenerations(50).stream().filter(g -> g.run().prompt().equals(prompt)).findFirst()
                    .orElseThrow(() -> new AssertionError("the run is not in the session log"));
            assertEquals("worker:" + name, generation.run().engine());
            assertEquals("llama.cpp v0.5.0", generation.run().nativeBuild());
            // replayed on the engine it was recorded on (the default, b4916, would refuse qwen3 as too old)
            var replay = CliRun.of("log", "replay", String.valueOf(generation.id()));
            assertEquals(0, replay.exitCode(), replay.err());
            assertTrue(replay.out().startsWith("identical"), replay.out());
        }

        var rm = CliRun.of("engines", "rm", name);
        assertEquals(0, rm.exitCode(), rm.err());
        assertFalse(Files.exists(DataFolders.fromEnvironment().home().resolve("engines").resolve(name)));
    }

    @Test
    void aQwen3ModelOnB4916IsRefusedAsTooOld() {
        var run = CliRun.of("run", "--engine", "b4916", "--model", qwen3.toString(), "--prompt", "Hi", "--max-tokens", "2");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("this engine's llama.cpp (b4916) is too old for architecture 'qwen3'"), run.err());
    }

    @Test
    void badInstallsAndRemovalsFailWithOneLine() throws IOException {
        var notATarball = Files.writeString(dir.resolve("pack.tgz"), "not gzip");
        var bad = CliRun.of("engines", "install", notATarball.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("not a gzip tarball"), bad.err());
        var badName = CliRun.of("engines", "install", tarball.toString(), "--name", "../evil");
        assertEquals(2, badName.exitCode());
        assertTrue(badName.err().contains("an engine name is"), badName.err());
        var rmBuiltIn = CliRun.of("engines", "rm", "b4916");
        assertEquals(2, rmBuiltIn.exitCode());
        assertTrue(rmBuiltIn.err().contains("comes with Hearth"), rmBuiltIn.err());
        var unknown = CliRun.of("run", "--engine", "nope", "--model", qwen3.toString(), "--prompt", "Hi");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no engine called 'nope'"), unknown.err());
    }
}
