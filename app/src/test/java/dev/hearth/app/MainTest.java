package dev.hearth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.app.Main.Launch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// How the launcher's arguments choose between the window and the command line; real files in a temp folder.
class MainTest {
    @TempDir
    Path dir;

    private Launch decide(String... args) {
        return Main.decide(List.of(args), Files::isRegularFile);
    }

    @Test
    void noArgumentsOpenTheWindowWithoutAModel() {
        assertEquals(new Launch.Window(null), decide());
    }

    @Test
    void oneExistingGgufFileOpensTheWindowWithThatModel() throws Exception {
        var model = Files.writeString(dir.resolve("tiny.gguf"), "GGUF");
        assertEquals(new Launch.Window(model.toAbsolutePath()), decide(model.toString()));
    }

    @Test
    void theExtensionIsMatchedInAnyCase() throws Exception {
        var model = Files.writeString(dir.resolve("Big Model.GGUF"), "GGUF");
        assertEquals(new Launch.Window(model.toAbsolutePath()), decide(model.toString()));
    }

    @Test
    void aMissingGgufFileIsReportedAsMissing() {
        var missing = dir.resolve("missing.gguf").toString();
        assertEquals(new Launch.NoSuchModel(missing), decide(missing));
    }

    @Test
    void aFolderNamedLikeAModelIsNotOpenedAsOne() throws Exception {
        var folder = Files.createDirectory(dir.resolve("models.gguf")).toString();
        assertEquals(new Launch.NoSuchModel(folder), decide(folder));
    }

    @Test
    void anExistingFileOfAnotherKindGoesToTheCommandLine() throws Exception {
        var text = Files.writeString(dir.resolve("notes.txt"), "hello").toString();
        assertEquals(new Launch.Command(List.of(text)), decide(text));
    }

    @Test
    void subcommandsAndOptionsGoToTheCommandLineEvenWithAModelFile() throws Exception {
        var model = Files.writeString(dir.resolve("tiny.gguf"), "GGUF").toString();
        assertEquals(new Launch.Command(List.of("models", "info", model)), decide("models", "info", model));
        assertEquals(new Launch.Command(List.of("--version")), decide("--version"));
    }
}
