package dev.hearth.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.GgufReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {
    @TempDir
    Path dir;

    @Test
    void infoPrintsTheModelsMetadata() throws Exception {
        var file = FixtureModel.builder().name("Info test").layers(3).write(dir.resolve("m.gguf"));
        var run = CliRun.of("models", "info", file.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Name:           Info test"), run.out());
        assertTrue(run.out().contains("Architecture:   llama"), run.out());
        assertTrue(run.out().contains("Layers:         3"), run.out());
        assertTrue(run.out().contains("Chat template:  yes"), run.out());
    }

    @Test
    void infoFindsAModelOfTheLibraryByNameAndSaysWhenThereIsNone() throws Exception {
        var home = dir.resolve("hearth");
        FixtureModel.builder().name("By name").write(Files.createDirectories(home.resolve("models/owner/repo")).resolve("named.gguf"));
        var env = new CliEnvironment(java.util.Map.of("HEARTH_HOME", home.toString()), "Linux", dir, false,
                new java.io.StringReader(""));
        var run = CliRun.in(env, "models", "info", "named.gguf");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Name:           By name"), run.out());

        var missing = CliRun.in(env, "models", "info", "nothing-like-it");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.oneLineError(), missing.err());
        assertTrue(missing.err().contains("no model in the library has that name"), missing.err());
    }

    @Test
    void infoJsonIsOneObjectWithTheNumbers() throws Exception {
        var file = FixtureModel.builder().vocabulary(700).write(dir.resolve("m.gguf"));
        var run = CliRun.of("models", "info", file.toString(), "--json", "--ctx", "1024");
        assertEquals(0, run.exitCode(), run.err());
        var json = new ObjectMapper().readTree(run.out());
        assertEquals("llama", json.get("architecture").asText());
        assertEquals(700, json.get("vocabulary_size").asInt());
        assertEquals(Files.size(file), json.get("size_bytes").asLong());
        assertEquals(1024, json.get("kv_cache_bytes").get("context").asInt());
        var info = GgufReader.open(file).modelInfo();
        assertEquals(info.parameterCount(), json.get("parameters").asLong());
        assertTrue(json.get("kv_cache_bytes").get("f16").asLong() > json.get("kv_cache_bytes").get("q4_0").asLong());
    }

    @Test
    void infoRefusesATruncatedFileInOneLine() throws Exception {
        var bytes = Files.readAllBytes(FixtureModel.builder().write(dir.resolve("full.gguf")));
        var cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, 20));
        var run = CliRun.of("models", "info", cut.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("Not a usable GGUF file"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void infoRefusesGarbageInOneLine() throws Exception {
        var junk = Files.writeString(dir.resolve("junk.gguf"), "{\"this\": \"is json\"}");
        var run = CliRun.of("models", "info", junk.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("not a GGUF file"), run.err());
    }

    @Test
    void infoRefusesADuplicateTokenVocabularyThatWouldAbortLlamaCpp() throws Exception {
        var file = FixtureModel.builder().duplicateToken(300, 310).write(dir.resolve("dup.gguf"));
        var run = CliRun.of("models", "info", file.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertTrue(run.err().contains("duplicate token"), run.err());
    }

    @Test
    void infoOnAMissingFileOrAFolderSaysSo() {
        var missing = CliRun.of("models", "info", dir.resolve("nope.gguf").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        var folder = CliRun.of("models", "info", dir.toString());
        assertEquals(1, folder.exitCode());
        assertTrue(folder.err().contains("folder"), folder.err());
    }

    @Test
    void makeFixtureWritesAModelThatReadsBack() throws Exception {
        var out = dir.resolve("fx.gguf");
        var run = CliRun.of("models", "make-fixture", out.toString(), "--width", "128", "--layers", "3", "--vocab", "1000", "--type", "q8_0");
        assertEquals(0, run.exitCode(), run.err());
        var info = GgufReader.open(out).modelInfo();
        assertEquals(128, info.embeddingLength());
        assertEquals(3, info.blockCount());
        assertEquals(1000, info.vocabularySize());
        assertEquals("Q8_0", info.fileType());
        assertTrue(run.out().startsWith("wrote " + out), run.out());
    }

    @Test
    void makeFixtureNeverOverwritesWithoutForce() throws Exception {
        var out = Files.writeString(dir.resolve("keep.gguf"), "precious");
        var run = CliRun.of("models", "make-fixture", out.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertEquals("precious", Files.readString(out));
    }

    @Test
    void makeFixtureRefusesImpossibleShapesInOneLine() {
        var run = CliRun.of("models", "make-fixture", dir.resolve("x.gguf").toString(), "--width", "63");
        assertEquals(2, run.exitCode());
        assertTrue(run.oneLineError(), run.err());
        assertFalse(Files.exists(dir.resolve("x.gguf")));
    }

    @Test
    void everyCommandHasHelp() {
        for (var args : new String[][] {{"--help"}, {"models", "--help"}, {"models", "info", "--help"}, {"models", "make-fixture", "--help"}}) {
            var run = CliRun.of(args);
            assertEquals(0, run.exitCode());
            assertTrue(run.out().contains("Usage: hearth"), run.out());
        }
    }

    @Test
    void anUnknownCommandIsOneLineAndAHint() {
        var run = CliRun.of("frobnicate");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("hearth: Unmatched argument"), run.err());
        assertTrue(run.err().contains("Try 'hearth --help'"), run.err());
    }
}
