package dev.hearth.ui.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.library.LibraryFolder;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.inference.library.ModelSource;
import dev.hearth.inference.hub.HubConfig;
import dev.hearth.ui.InlineUiTasks;
import dev.hearth.ui.engine.Machine;
import dev.hearth.ui.settings.ModelFolders;
import dev.hearth.ui.settings.SettingsStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsViewModelTest {
    @TempDir
    Path models;

    /// No test here reaches the Hub: port 9 on the loopback is closed.
    static ModelsViewModel viewModel(ModelLibrary library) {
        var offline = new HubConfig(URI.create("http://127.0.0.1:9"), null);
        return new ModelsViewModel(library, HubFixture.client(offline), HubFixture.downloader(offline, library.modelsDir()),
                new InlineUiTasks(), Machine::withoutEngine, _ -> {});
    }

    private ModelsViewModel refreshed() {
        var vm = viewModel(new ModelLibrary(models, List.of(), List.of()));
        vm.refresh();
        return vm;
    }

    @Test
    void aFolderTheUserAddsIsListedAndKeptInTheSettings(@TempDir Path elsewhere) throws Exception {
        FixtureModel.builder().name("Mine").write(elsewhere.resolve("mine.gguf"));
        var library = new ModelLibrary(models, List.of(), List.of());
        var settings = SettingsStore.open(models.resolveSibling(models.getFileName() + "-settings.json"));
        var offline = new HubConfig(URI.create("http://127.0.0.1:9"), null);
        var vm = new ModelsViewModel(library, HubFixture.client(offline), HubFixture.downloader(offline, models),
                new InlineUiTasks(), Machine::withoutEngine, _ -> {}, new ModelFolders(settings, library),
                () -> dev.hearth.inference.LoadOptions.DEFAULT);
        assertTrue(vm.canAddFolders());

        vm.addFolder(elsewhere);
        assertEquals(List.of("mine.gguf"), vm.models().stream().map(ModelEntry::name).toList());
        assertEquals(List.of(elsewhere.toRealPath()), settings.current().modelFolders().stream().map(p -> {
            try {
                return p.toRealPath();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList());

        vm.addFolder(elsewhere.resolve("not-there"));
        assertTrue(vm.messageProperty().get().contains("not-there"), vm.messageProperty().get());
        assertEquals(1, vm.models().size(), "a refused folder changes nothing");
    }

    @Test
    void anEmptyFolderSaysWhereToPutModels() {
        var vm = refreshed();
        assertTrue(vm.models().isEmpty());
        assertEquals(ModelsViewModel.State.READY, vm.stateProperty().get());
        assertTrue(vm.messageProperty().get().startsWith("No models in " + models), vm.messageProperty().get());
    }

    @Test
    void aMissingFolderIsTreatedAsEmpty() {
        var vm = viewModel(new ModelLibrary(models.resolve("not-there"), List.of(), List.of()));
        vm.refresh();
        assertTrue(vm.models().isEmpty());
        assertEquals(ModelsViewModel.State.READY, vm.stateProperty().get());
    }

    @Test
    void ggufFilesInNestedFoldersAreListedWithTheirMetadata() throws Exception {
        Files.createDirectories(models.resolve("owner/repo"));
        FixtureModel.builder().name("Nested").write(models.resolve("owner/repo/nested.gguf"));
        FixtureModel.builder().name("Top").layers(3).write(models.resolve("top.gguf"));
        Files.writeString(models.resolve("notes.txt"), "not a model");

        var vm = refreshed();

        assertEquals(2, vm.models().size());
        var nested = vm.models().getFirst();
        assertEquals("nested.gguf", nested.fileName());
        var info = nested.info();
        assertNotNull(info);
        assertEquals("llama", info.architecture());
        assertEquals("Nested", info.name());
        assertEquals(Files.size(models.resolve("owner/repo/nested.gguf")), nested.sizeBytes());
        assertEquals(3, vm.models().get(1).info().blockCount());
        assertEquals("owner/repo/nested.gguf", nested.name());
        assertEquals(ModelSource.MODELS_FOLDER, nested.source());
        assertEquals("2 models; Hearth's folder is " + models, vm.messageProperty().get());
    }

    @Test
    void anUnusableFileIsListedWithItsReasonAndCounted() throws Exception {
        FixtureModel.builder().write(models.resolve("good.gguf"));
        var bytes = Files.readAllBytes(FixtureModel.builder().write(models.resolve("full.gguf")));
        Files.write(models.resolve("truncated.gguf"), Arrays.copyOf(bytes, 200));
        Files.delete(models.resolve("full.gguf"));

        var vm = refreshed();

        assertEquals(2, vm.models().size());
        var truncated = vm.models().get(1);
        assertFalse(truncated.usable());
        assertTrue(truncated.problem().startsWith("Not a usable GGUF file: "), truncated.problem());
        assertEquals("1 model (1 unusable); Hearth's folder is " + models, vm.messageProperty().get());
    }

    @Test
    void aDuplicateTokenVocabularyIsUnusableBeforeItCanReachLlamaCpp() throws Exception {
        FixtureModel.builder().duplicateToken(300, 301).write(models.resolve("dup.gguf"));
        var entry = refreshed().models().getFirst();
        assertFalse(entry.usable());
        assertTrue(entry.problem().contains("duplicate"), entry.problem());
    }

    @Test
    void inspectingAFileOutsideTheFolderShowsItWithoutListingIt(@TempDir Path elsewhere) throws Exception {
        var file = FixtureModel.builder().name("Dropped").write(elsewhere.resolve("dropped.gguf"));
        var vm = refreshed();
        vm.inspect(file);
        assertTrue(vm.models().isEmpty());
        assertEquals("Dropped", vm.selectedProperty().get().info().name());
    }

    @Test
    void inspectingAFolderOrGarbageExplainsWhy(@TempDir Path elsewhere) throws Exception {
        var vm = refreshed();
        vm.inspect(elsewhere);
        assertEquals("This is a folder, not a GGUF file.", vm.selectedProperty().get().problem());
        var garbage = Files.writeString(elsewhere.resolve("x.gguf"), "hello, I am not a model");
        vm.inspect(garbage);
        assertTrue(vm.selectedProperty().get().problem().startsWith("Not a usable GGUF file"));
        vm.inspect(elsewhere.resolve("missing.gguf"));
        assertEquals("The file does not exist.", vm.selectedProperty().get().problem());
    }

    @Test
    void modelsInOtherToolsFoldersAreListedAsReadOnly(@TempDir Path lmStudio) throws Exception {
        Files.createDirectories(lmStudio.resolve("someone/model-GGUF"));
        FixtureModel.builder().write(lmStudio.resolve("someone/model-GGUF/model-Q8_0.gguf"));
        var library = new ModelLibrary(models, List.of(), List.of(new LibraryFolder(lmStudio, ModelSource.LM_STUDIO)));
        var vm = viewModel(library);
        vm.refresh();
        assertEquals(1, vm.models().size());
        assertEquals(ModelSource.LM_STUDIO, vm.models().getFirst().source());
        assertTrue(vm.messageProperty().get().contains("1 of them in other tools' folders (read-only)"), vm.messageProperty().get());
    }

    @Test
    void aRefreshDropsTheSelectionOfAFileThatWasDeleted() throws Exception {
        var file = FixtureModel.builder().write(models.resolve("gone.gguf"));
        var vm = refreshed();
        vm.selectedProperty().set(vm.models().getFirst());
        Files.delete(file);
        vm.refresh();
        assertNull(vm.selectedProperty().get());
    }
}
