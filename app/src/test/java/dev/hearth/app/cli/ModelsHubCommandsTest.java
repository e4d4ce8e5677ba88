package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.hub.FakeHub;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `hearth models search/files/pull/list/rm` against the fake Hub on 127.0.0.1.
class ModelsHubCommandsTest {
    static final String REPO = "bartowski/Tiny-GGUF";

    @TempDir Path home;
    private FakeHub hub;
    private byte[] q4;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        hub.addRepo(REPO, false, 1200, 33, Instant.parse("2025-03-04T05:06:07Z"));
        q4 = FakeHub.bytes(50_000, 1);
        hub.addFile(REPO, "Tiny-Q4_K_M.gguf", q4);
        hub.addFile(REPO, "Tiny-Q8_0.gguf", FakeHub.bytes(80_000, 2));
        hub.addRepo("someone/no-gguf", false, 1, 1, Instant.EPOCH);
        hub.addFile("someone/no-gguf", "model.safetensors", FakeHub.bytes(10, 3));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private CliEnvironment env(boolean terminal, String input) {
        return new CliEnvironment(Map.of("HEARTH_HOME", home.resolve("hearth").toString(), "HF_ENDPOINT", hub.endpoint().toString()),
                "Linux", home, terminal, new StringReader(input));
    }

    private CliRun run(String... args) {
        return CliRun.in(env(false, ""), args);
    }

    private Path models() {
        return home.resolve("hearth/models");
    }

    @Test
    void searchPrintsATableFromTheConfiguredEndpoint() {
        var run = run("models", "search", "tiny");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("bartowski/Tiny-GGUF"), run.out());
        assertTrue(run.out().contains("1200") && run.out().contains("2025-03-04"), run.out());
        assertTrue(hub.requests.getLast().query().contains("filter=gguf"));
    }

    @Test
    void searchJsonIsAnArrayWithTheHubFields() throws Exception {
        var run = run("models", "search", "tiny", "--json", "--sort", "likes");
        assertEquals(0, run.exitCode(), run.err());
        var json = new ObjectMapper().readTree(run.out());
        assertEquals(REPO, json.get(0).get("repo").asText());
        assertEquals(33, json.get(0).get("likes").asInt());
        assertEquals("2025-03-04T05:06:07Z", json.get(0).get("last_modified").asText());
    }

    @Test
    void filesListsQuantsAndSizesAndJsonHasTheSha() throws Exception {
        var run = run("models", "files", REPO);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Q4_K_M") && run.out().contains("Tiny-Q8_0.gguf"), run.out());

        var json = new ObjectMapper().readTree(run("models", "files", REPO, "--json").out());
        assertEquals(FakeHub.sha256(q4), json.get(0).get("files").get(0).get("sha256").asText());
    }

    @Test
    void pullDownloadsTheDefaultQuantWithPlainProgressLinesAndListShowsIt() throws Exception {
        var run = run("models", "pull", REPO);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("100%"), run.out());
        assertFalse(run.out().contains("\r"), "no bar when not on a terminal");
        assertArrayEquals(q4, Files.readAllBytes(models().resolve(REPO).resolve("Tiny-Q4_K_M.gguf")));

        var list = run("models", "list", "--json");
        var json = new ObjectMapper().readTree(list.out());
        assertEquals("bartowski/Tiny-GGUF/Tiny-Q4_K_M.gguf", json.get(0).get("name").asText());
        assertEquals("Q4_K_M", json.get(0).get("quant").asText());
    }

    @Test
    void pullOnATerminalDrawsABar() {
        var run = CliRun.in(env(true, ""), "models", "pull", REPO + ":q8_0");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("\r[") && run.out().contains("#"), run.out());
        assertTrue(Files.exists(models().resolve(REPO).resolve("Tiny-Q8_0.gguf")));
    }

    @Test
    void pullResumesWhatAnEarlierPullLeft() throws Exception {
        var part = models().resolve(".partial").resolve(REPO).resolve("Tiny-Q4_K_M.gguf.part");
        Files.createDirectories(part.getParent());
        Files.write(part, java.util.Arrays.copyOf(q4, 20_000));

        var run = run("models", "pull", REPO, "--file", "Tiny-Q4_K_M.gguf");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("resuming at"), run.out());
        assertEquals("bytes=20000-", hub.requests.stream().filter(r -> r.path().startsWith("/cdn/")).toList().getLast().range());
        assertArrayEquals(q4, Files.readAllBytes(models().resolve(REPO).resolve("Tiny-Q4_K_M.gguf")));
    }

    @Test
    void anUnknownRepositoryIsOneLine() {
        var run = run("models", "pull", "nobody/nothing");
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("repository nobody/nothing not found"), run.err());
    }

    @Test
    void aRepositoryWithoutGgufIsOneLine() {
        var run = run("models", "files", "someone/no-gguf");
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("has no GGUF files"), run.err());
    }

    @Test
    void anUnknownRevisionIsOneLine() {
        var run = run("models", "pull", REPO, "--revision", "v9");
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertEquals("hearth: revision 'v9' not found in bartowski/Tiny-GGUF", run.err().strip());
    }

    @Test
    void anUnknownQuantNamesTheOnesThereAre() {
        var run = run("models", "pull", REPO + ":IQ2_XS");
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("no IQ2_XS model in bartowski/Tiny-GGUF; it has: Q4_K_M, Q8_0"), run.err());
    }

    @Test
    void aModelsFolderThatCannotBeWrittenIsOneLine() throws Exception {
        Files.createDirectories(home.resolve("hearth"));
        Files.writeString(models(), "a file where the folder should be");
        var run = run("models", "pull", REPO);
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("the models folder " + models() + " cannot be created"), run.err());
    }

    @Test
    void aReadOnlyModelsFolderIsOneLine() throws Exception {
        Files.createDirectories(models());
        Files.setPosixFilePermissions(models(), PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(models()), "running as root: permissions do not bind");
            var run = run("models", "pull", REPO);
            assertTrue(run.oneLineError(), run.err());
            assertTrue(run.err().contains("is not writable"), run.err());
        } finally {
            Files.setPosixFilePermissions(models(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void rmAsksOnATerminalAndDeletesOnYes() throws Exception {
        assertEquals(0, run("models", "pull", REPO).exitCode());
        var file = models().resolve(REPO).resolve("Tiny-Q4_K_M.gguf");

        var kept = CliRun.in(env(true, "n\n"), "models", "rm", "Tiny-Q4_K_M.gguf");
        assertEquals(1, kept.exitCode());
        assertTrue(Files.exists(file));

        var deleted = CliRun.in(env(true, "y\n"), "models", "rm", "Tiny-Q4_K_M.gguf");
        assertEquals(0, deleted.exitCode(), deleted.err());
        assertTrue(deleted.out().contains("Delete bartowski/Tiny-GGUF/Tiny-Q4_K_M.gguf"), deleted.out());
        assertFalse(Files.exists(file));
    }

    @Test
    void rmWithoutATerminalNeedsYes() throws Exception {
        assertEquals(0, run("models", "pull", REPO).exitCode());
        var refused = run("models", "rm", "bartowski/Tiny-GGUF/Tiny-Q4_K_M.gguf");
        assertEquals(2, refused.exitCode());
        assertTrue(refused.oneLineError(), refused.err());

        assertEquals(0, run("models", "rm", "bartowski/Tiny-GGUF/Tiny-Q4_K_M.gguf", "--yes").exitCode());
        assertEquals("[ ]", run("models", "list", "--json").out().strip().replaceAll("\\s+", " "));
    }

    @Test
    void rmOfAnUnknownModelIsOneLine() {
        var run = run("models", "rm", "ghost.gguf", "--yes");
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("no model named 'ghost.gguf'"), run.err());
    }

    @Test
    void aBadHubEndpointIsOneLine() {
        var env = new CliEnvironment(Map.of("HEARTH_HOME", home.toString(), "HF_ENDPOINT", "ftp://mirror"), "Linux", home, false,
                new StringReader(""));
        var run = CliRun.in(env, "models", "search", "x");
        assertEquals(2, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("HF_ENDPOINT"), run.err());
    }
}
