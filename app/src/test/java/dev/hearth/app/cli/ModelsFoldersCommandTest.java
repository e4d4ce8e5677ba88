package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsFoldersCommandTest {
    @TempDir Path home;

    private CliRun run(String... args) {
        var env = new CliEnvironment(Map.of("HEARTH_HOME", home.resolve("hearth").toString()), "Linux", home, false,
                new StringReader(""));
        return CliRun.in(env, args);
    }

    @Test
    void anAddedFolderIsKeptInTheSettingsFileAndListedWithItsModels() throws Exception {
        var mine = Files.createDirectories(home.resolve("my models/llama"));
        Files.write(mine.resolve("Mine-Q8_0.gguf"), new byte[1234]);

        var added = run("models", "folders", "add", home.resolve("my models").toString());
        assertEquals(0, added.exitCode(), added.err());
        assertTrue(Files.readString(home.resolve("hearth/settings.json")).contains(home.resolve("my models").toString()));

        var folders = run("models", "folders");
        assertEquals(home.resolve("my models").toString(), folders.out().strip());
        var list = new ObjectMapper().readTree(run("models", "list", "--json").out());
        assertEquals(1, list.size(), list.toString());
        assertEquals("user_folder", list.get(0).get("source").asText());
        assertEquals(1234, list.get(0).get("size_bytes").asLong());
        assertEquals("Q8_0", list.get(0).get("quant").asText());
    }

    @Test
    void removingAFolderUnlistsItsModelsAndLeavesItsFiles() throws Exception {
        var mine = Files.createDirectories(home.resolve("mine"));
        var file = Files.write(mine.resolve("A-F16.gguf"), new byte[10]);
        assertEquals(0, run("models", "folders", "add", mine.toString()).exitCode());

        var removed = run("models", "folders", "rm", mine.toString());
        assertEquals(0, removed.exitCode(), removed.err());
        assertTrue(Files.exists(file));
        assertEquals("[ ]", run("models", "list", "--json").out().strip().replaceAll("\\s+", " "));
        assertTrue(run("models", "folders", "list").out().startsWith("No model folders"));
    }

    @Test
    void addingAMissingFolderIsOneLineAndChangesNothing() {
        var run = run("models", "folders", "add", home.resolve("nowhere").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("no such folder: " + home.resolve("nowhere")), run.err());
        assertFalse(Files.exists(home.resolve("hearth/settings.json")));
    }

    @Test
    void addingAFileIsOneLine() throws Exception {
        var file = Files.write(home.resolve("model.gguf"), new byte[1]);
        var run = run("models", "folders", "add", file.toString());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("not a folder"), run.err());
    }

    @Test
    void addingAnUnreadableFolderIsOneLine() throws Exception {
        var locked = Files.createDirectories(home.resolve("locked"));
        assertTrue(locked.toFile().setReadable(false, false) && locked.toFile().setExecutable(false, false));
        try {
            var run = run("models", "folders", "add", locked.toString());
            if (Files.isReadable(locked)) return; // running as root: every folder is readable
            assertTrue(run.oneLineError(), run.err());
            assertTrue(run.err().contains("cannot read the folder"), run.err());
        } finally {
            locked.toFile().setReadable(true, false);
            locked.toFile().setExecutable(true, false);
        }
    }

    @Test
    void removingAFolderThatIsNotListedIsOneLine() {
        var run = run("models", "folders", "rm", home.resolve("other").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("is not one of the model folders"), run.err());
    }

    @Test
    void otherSettingsSurviveAnAdd() throws Exception {
        Files.createDirectories(home.resolve("hearth"));
        Files.writeString(home.resolve("hearth/settings.json"), "{\"theme\":\"dark\",\"future\":{\"x\":1}}");
        var mine = Files.createDirectories(home.resolve("mine"));
        assertEquals(0, run("models", "folders", "add", mine.toString()).exitCode());

        var json = new ObjectMapper().readTree(home.resolve("hearth/settings.json").toFile());
        assertEquals("dark", json.get("theme").asText());
        assertEquals(1, json.get("future").get("x").asInt());
        assertEquals(mine.toString(), json.get("modelFolders").get(0).asText());
    }
}
