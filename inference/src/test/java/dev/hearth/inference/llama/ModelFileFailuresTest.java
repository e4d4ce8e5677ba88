package dev.hearth.inference.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.gguf.FixtureModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Every bad model file ends in a typed failure before llama.cpp can abort the process; the engine keeps working.
class ModelFileFailuresTest {
    static LlamaEngine engine;
    @TempDir Path dir;

    @BeforeAll
    static void open() {
        engine = LlamaEngine.open(TestModels.library());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private Failure.Kind loadFailure(Path file) {
        var e = assertThrows(EngineException.class, () -> engine.load(file, LoadOptions.DEFAULT.withThreads(1), LoadProgress.NONE));
        assertFalse(engine.isLoaded());
        return e.kind();
    }

    @Test
    void aMissingFileIsModelFileMissing() {
        assertEquals(Failure.Kind.MODEL_FILE_MISSING, loadFailure(dir.resolve("nope.gguf")));
    }

    @Test
    void aFolderIsNotAModelFile() {
        assertEquals(Failure.Kind.NOT_A_MODEL_FILE, loadFailure(dir));
    }

    @Test
    void aTextFileIsNotAModelFile() throws Exception {
        assertEquals(Failure.Kind.NOT_A_MODEL_FILE, loadFailure(Files.writeString(dir.resolve("a.gguf"), "hello, not a model")));
    }

    @Test
    void aTruncatedFileIsCorrupt() throws Exception {
        var full = Files.readAllBytes(TestModels.tiny());
        var cut = Files.write(dir.resolve("cut.gguf"), java.util.Arrays.copyOf(full, full.length / 2));
        assertEquals(Failure.Kind.MODEL_FILE_CORRUPT, loadFailure(cut));
    }

    @Test
    void aDuplicatedVocabularyEntryIsRefusedBeforeLlamaCppAbortsOnIt() throws Exception {
        var file = FixtureModel.builder().width(32).layers(1).duplicateToken(300, 301).write(dir.resolve("dup.gguf"));
        assertEquals(Failure.Kind.MODEL_FILE_CORRUPT, loadFailure(file));
    }

    @Test
    void anArchitectureThisBuildDoesNotKnowIsRefusedByName() throws Exception {
        var file = FixtureModel.builder().width(32).layers(1).architecture("qwen3").write(dir.resolve("q3.gguf"));
        var e = assertThrows(EngineException.class, () -> engine.load(file, LoadOptions.DEFAULT, LoadProgress.NONE));
        assertEquals(Failure.Kind.UNSUPPORTED_ARCHITECTURE, e.kind());
        assertTrue(e.getMessage().startsWith("this engine's llama.cpp (b4916) is too old for architecture 'qwen3'"),
                e.getMessage());
    }

    @Test
    void loadReportsProgressAndCanBeCancelledFromTheCallback() {
        var seen = new ArrayList<Float>();
        var e = assertThrows(EngineException.class, () -> engine.load(TestModels.tiny(), LoadOptions.DEFAULT.withThreads(1),
                f -> {
                    seen.add(f);
                    return false;
                }));
        assertEquals(Failure.Kind.LOAD_CANCELLED, e.kind());
        assertFalse(seen.isEmpty());
        assertFalse(engine.isLoaded());

        var progress = new ArrayList<Float>();
        engine.load(TestModels.tiny(), LoadOptions.DEFAULT.withThreads(1), f -> progress.add(f));
        assertTrue(engine.isLoaded());
        assertEquals(1.0f, progress.getLast());
        engine.unload();
        assertFalse(engine.isLoaded());
        var after = assertThrows(EngineException.class, () -> engine.tokenize("x", true, true));
        assertEquals(Failure.Kind.NO_MODEL_LOADED, after.kind());
    }
}
