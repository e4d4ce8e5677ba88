package dev.hearth.ui.models;

import static dev.hearth.ui.models.HubFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.hub.DownloadStatus;
import dev.hearth.inference.hub.HubConfig;
import dev.hearth.inference.hub.ModelSummary;
import dev.hearth.inference.hub.RepoId;
import dev.hearth.inference.hub.SearchSort;
import dev.hearth.inference.library.LibraryFolder;
import dev.hearth.inference.library.ModelLibrary;
import dev.hearth.inference.library.ModelSource;
import dev.hearth.ui.InlineUiTasks;
import dev.hearth.ui.engine.Machine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The Models section's view model against a Hub-like server on 127.0.0.1: search, files, downloads into the
/// library, import, removal and the hand-over of a load.
class ModelsHubTest {
    @TempDir
    Path models;
    @TempDir
    Path scratch;
    private HubFixture fixture;
    private ModelsViewModel vm;

    @BeforeEach
    void start() throws Exception {
        fixture = new HubFixture(models, scratch);
        vm = fixture.viewModel(new InlineUiTasks());
        vm.refresh();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HubViewModel searched(String query) {
        var hub = vm.hub();
        hub.queryProperty().set(query);
        hub.search();
        return hub;
    }

    private HubViewModel.VariantRow row(String repo, String name) {
        var hub = searched(repo.substring(repo.indexOf('/') + 1));
        hub.selectedProperty().set(hub.results().stream().filter(r -> r.repo().toString().equals(repo)).findFirst().orElseThrow());
        return hub.variants().stream().filter(r -> r.variant().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aSearchListsMatchingGgufRepositoriesInTheChosenOrder() {
        var hub = searched("gguf");
        assertEquals(HubViewModel.State.READY, hub.stateProperty().get());
        assertEquals(List.of("someone/Popular-GGUF", "someone/Tiny-GGUF", "someone/Split-GGUF", "licensed/Gated-GGUF"),
                hub.results().stream().map(r -> r.repo().toString()).toList());
        assertEquals("4 repositories", hub.messageProperty().get());
        hub.sortProperty().set(SearchSort.LIKES);
        assertEquals("someone/Split-GGUF", hub.results().getFirst().repo().toString());
        hub.sortProperty().set(SearchSort.UPDATED);
        assertEquals("someone/Split-GGUF", hub.results().getFirst().repo().toString());
        assertEquals("someone/Tiny-GGUF", hub.results().get(1).repo().toString());
        assertTrue(hub.results().stream().filter(r -> r.repo().toString().equals(HubFixture.GATED_REPO)).findFirst().orElseThrow().isGated());
    }

    @Test
    void aSearchWithNoMatchSaysSo() {
        var hub = searched("nothing-like-this");
        assertTrue(hub.results().isEmpty());
        assertEquals("No GGUF repositories match \u201cnothing-like-this\u201d.", hub.messageProperty().get());
    }

    @Test
    void aRepositorysFilesShowQuantSizeAndAFitBadgeWithSplitSetsAsOne() {
        var tiny = row(HubFixture.REPO, HubFixture.FILE);
        assertEquals("Q8_0", tiny.variant().quant());
        assertEquals(fixture.model.length, tiny.variant().totalBytes());
        assertFalse(tiny.fitLabel().isEmpty());
        assertTrue(tiny.downloadable());
        assertEquals(1, vm.hub().variants().size(), "README.md is not a model");
        var split = row(HubFixture.SPLIT_REPO, "big-Q4_0");
        assertEquals(2, split.variant().files().size());
        assertEquals("1 model in someone/Split-GGUF", vm.hub().filesMessageProperty().get());
    }

    @Test
    void noNetworkIsOneSentenceInPlace() {
        var offline = new HubConfig(URI.create("http://127.0.0.1:9"), null);
        var vm2 = fixture.viewModel(new InlineUiTasks(), offline);
        vm2.hub().queryProperty().set("tiny");
        vm2.hub().search();
        assertEquals(HubViewModel.State.FAILED, vm2.hub().stateProperty().get());
        assertEquals("Hearth cannot reach the Hub: check the network connection (or HF_ENDPOINT).", vm2.hub().messageProperty().get());
    }

    @Test
    void anUnknownRepositoryIsOneSentenceInPlace() {
        var hub = vm.hub();
        hub.selectedProperty().set(new ModelSummary(RepoId.parse("nobody/missing"), 0, 0, null, null, false, null, List.of()));
        assertEquals(HubViewModel.State.FAILED, hub.filesStateProperty().get());
        assertEquals("This repository does not exist on the Hub, or it is private (set a Hub token in the settings).",
                hub.filesMessageProperty().get());
        assertTrue(hub.variants().isEmpty());
    }

    @Test
    void aRepositoryWithoutGgufFilesSaysSo() {
        fixture.hub.addRepo("someone/safetensors-only", false, 1, 1, java.time.Instant.EPOCH);
        fixture.hub.addFile("someone/safetensors-only", "model.safetensors", new byte[] {1, 2, 3});
        vm.hub().selectedProperty().set(new ModelSummary(RepoId.parse("someone/safetensors-only"), 0, 0, null, null, false, null, List.of()));
        assertEquals("This repository has no GGUF files.", vm.hub().filesMessageProperty().get());
    }

    @Test
    void aFullDiskFailsTheDownloadWithASentenceAndNothingInTheLibrary() throws Exception {
        var config = fixture.hub.config(null);
        var full = new ModelsViewModel(new ModelLibrary(models, List.of(), List.of()), HubFixture.client(config),
                new dev.hearth.inference.hub.ModelDownloader(config, models, HubFixture.http(), HubFixture.options()
                        .withPartWriter((_, _, _) -> { throw new java.io.IOException("No space left on device"); })),
                new InlineUiTasks(), Machine::withoutEngine, _ -> {});
        full.hub().queryProperty().set("tiny");
        full.hub().search();
        full.hub().selectedProperty().set(full.hub().results().getFirst());
        full.hub().download(full.hub().variants().getFirst());
        var item = full.downloads().items().getFirst();
        await(() -> item.stateProperty().get() == DownloadStatus.State.FAILED, "disk full");
        assertEquals("The disk filled up during the download; nothing was added. Free some space and retry.", item.messageProperty().get());
        full.refresh();
        assertTrue(full.models().isEmpty());
    }

    @Test
    void theFilesListingWhenTheHubGoesAwayIsOneSentenceInPlace() {
        var hub = searched("tiny");
        var real = hub.results().getFirst();
        fixture.hub.close(); // the next request fails: the files listing of an otherwise fine repository
        hub.selectedProperty().set(real);
        assertEquals(HubViewModel.State.FAILED, hub.filesStateProperty().get());
        assertTrue(hub.filesMessageProperty().get().startsWith("Hearth cannot reach the Hub"), hub.filesMessageProperty().get());
    }

    @Test
    void aDownloadLandsInTheLibraryIsSelectedAndMatchesTheHubsBytes() throws Exception {
        var row = row(HubFixture.REPO, HubFixture.FILE);
        vm.hub().download(row);
        assertEquals(1, vm.downloads().items().size());
        var item = vm.downloads().items().getFirst();
        await(() -> item.stateProperty().get() == DownloadStatus.State.COMPLETED, "download completed");
        await(() -> vm.models().size() == 1, "library refreshed");
        assertEquals(1.0, item.fractionProperty().get());
        assertEquals("In the library", item.messageProperty().get());
        var entry = vm.models().getFirst();
        assertEquals("someone/Tiny-GGUF/tiny-Q8_0.gguf", entry.name());
        assertArrayEquals(fixture.model, Files.readAllBytes(entry.path()));
        assertEquals("Tiny from the Hub", entry.info().name());
        assertEquals(entry, vm.selectedProperty().get());
        assertFalse(vm.fitLabel(entry).isEmpty());
    }

    @Test
    void aSplitSetDownloadsAsOneRowWithEveryPart() throws Exception {
        vm.hub().download(row(HubFixture.SPLIT_REPO, "big-Q4_0"));
        assertEquals(1, vm.downloads().items().size());
        var item = vm.downloads().items().getFirst();
        assertTrue(item.name().endsWith("(+1 parts)"), item.name());
        await(() -> item.stateProperty().get() == DownloadStatus.State.COMPLETED, "split set completed");
        assertTrue(Files.isRegularFile(models.resolve("someone/Split-GGUF/big-Q4_0-00001-of-00002.gguf")));
        assertTrue(Files.isRegularFile(models.resolve("someone/Split-GGUF/big-Q4_0-00002-of-00002.gguf")));
    }

    @Test
    void aGatedRepositoryFailsWithASentenceAndKeepsNothing() throws Exception {
        vm.hub().download(row(HubFixture.GATED_REPO, "gated-Q8_0.gguf"));
        var item = vm.downloads().items().getFirst();
        await(() -> item.stateProperty().get() == DownloadStatus.State.FAILED, "gated download failed");
        assertEquals("This repository is gated: accept its licence on the Hub, then set a Hub token in the settings.",
                item.messageProperty().get());
        assertFalse(item.detailProperty().get().isEmpty());
        assertTrue(Files.notExists(models.resolve("licensed/Gated-GGUF/gated-Q8_0.gguf")));
    }

    @Test
    void aFailedDownloadIsRetriedFromTheRowAndCompletes() throws Exception {
        var faults = fixture.hub.addFile(HubFixture.REPO, "flaky-Q4_0.gguf", fixture.model);
        faults.failStatus = 500;
        faults.failTimes.set(100);
        vm.hub().download(row(HubFixture.REPO, "flaky-Q4_0.gguf"));
        var item = vm.downloads().items().getFirst();
        await(() -> item.stateProperty().get() == DownloadStatus.State.FAILED, "server error after the retries");
        assertEquals("The Hub is having trouble right now; try again in a moment.", item.messageProperty().get());
        faults.failTimes.set(0);
        vm.downloads().resume(item);
        await(() -> item.stateProperty().get() == DownloadStatus.State.COMPLETED, "retried download completed");
        assertTrue(Files.isRegularFile(models.resolve("someone/Tiny-GGUF/flaky-Q4_0.gguf")));
    }

    @Test
    void startingTheSameModelTwiceKeepsOneRow() throws Exception {
        var row = row(HubFixture.REPO, HubFixture.FILE);
        vm.hub().download(row);
        vm.hub().download(row);
        assertEquals(1, vm.downloads().items().size());
        await(() -> vm.downloads().items().getFirst().stateProperty().get() == DownloadStatus.State.COMPLETED, "completed");
    }

    @Test
    void aCancelledDownloadLeavesNothingInTheLibrary() throws Exception {
        var faults = fixture.hub.addFile(HubFixture.REPO, "slow-Q4_0.gguf", fixture.model);
        faults.stallAfter = 100;
        faults.stallMillis = 1500;
        faults.stallTimes.set(1);
        vm.hub().download(row(HubFixture.REPO, "slow-Q4_0.gguf"));
        var item = vm.downloads().items().getFirst();
        vm.downloads().cancel(item);
        await(() -> item.stateProperty().get() == DownloadStatus.State.CANCELLED, "cancelled");
        vm.downloads().clearFinished();
        assertTrue(vm.downloads().items().isEmpty());
        assertTrue(Files.notExists(models.resolve("someone/Tiny-GGUF/slow-Q4_0.gguf")));
        vm.refresh();
        assertTrue(vm.models().isEmpty());
    }

    @Test
    void anUnfinishedDownloadFromAnEarlierSessionIsOfferedAndResumes() throws Exception {
        var faults = fixture.hub.addFile(HubFixture.REPO, "later-Q4_0.gguf", fixture.model);
        faults.stallAfter = 100;
        faults.stallMillis = 1500;
        faults.stallTimes.set(1);
        vm.hub().download(row(HubFixture.REPO, "later-Q4_0.gguf"));
        var first = vm.downloads().items().getFirst();
        vm.downloads().pause(first);
        await(() -> first.stateProperty().get() == DownloadStatus.State.PAUSED, "paused");

        var next = fixture.viewModel(new InlineUiTasks());
        next.downloads().restore();
        assertEquals(1, next.downloads().items().size());
        var restored = next.downloads().items().getFirst();
        assertEquals(DownloadStatus.State.PAUSED, restored.stateProperty().get());
        assertEquals("Unfinished from an earlier session", restored.messageProperty().get());
        next.downloads().resume(restored);
        await(() -> restored.stateProperty().get() == DownloadStatus.State.COMPLETED, "resumed in the next session");
        assertArrayEquals(fixture.model, Files.readAllBytes(models.resolve("someone/Tiny-GGUF/later-Q4_0.gguf")));
    }

    @Test
    void cancellingAnEarlierSessionsDownloadRemovesItsPartialFiles() throws Exception {
        var faults = fixture.hub.addFile(HubFixture.REPO, "dropped-Q4_0.gguf", fixture.model);
        faults.stallAfter = 100;
        faults.stallMillis = 1500;
        faults.stallTimes.set(1);
        vm.hub().download(row(HubFixture.REPO, "dropped-Q4_0.gguf"));
        var first = vm.downloads().items().getFirst();
        vm.downloads().pause(first);
        await(() -> first.stateProperty().get() == DownloadStatus.State.PAUSED, "paused");
        assertTrue(Files.isDirectory(models.resolve(".partial")));

        var next = fixture.viewModel(new InlineUiTasks());
        next.downloads().restore();
        var restored = next.downloads().items().getFirst();
        next.downloads().cancel(restored);
        await(() -> restored.stateProperty().get() == DownloadStatus.State.CANCELLED, "cancelled in the next session");
        try (var left = Files.walk(models)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("dropped-Q4_0.gguf")), "no part file left");
        }
        var third = fixture.viewModel(new InlineUiTasks());
        third.downloads().restore();
        assertTrue(third.downloads().items().isEmpty(), "nothing left to offer");
    }

    @Test
    void importCopiesOrLinksAFileIntoTheLibraryAndSelectsIt() throws Exception {
        var outside = FixtureModel.builder().name("Imported").write(scratch.resolve("mine.gguf"));
        vm.importFile(outside, ModelLibrary.ImportMode.COPY);
        assertEquals("imported/mine.gguf", vm.selectedProperty().get().name());
        assertFalse(Files.isSymbolicLink(models.resolve("imported/mine.gguf")));
        var linked = FixtureModel.builder().name("Linked").write(scratch.resolve("linked.gguf"));
        vm.importFile(linked, ModelLibrary.ImportMode.LINK);
        assertEquals(2, vm.models().size());
        assertTrue(Files.isSymbolicLink(models.resolve("imported/linked.gguf")) || Files.isSameFile(linked, models.resolve("imported/linked.gguf")));
        assertEquals("Linked", vm.selectedProperty().get().info().name());
    }

    @Test
    void importingSomethingThatIsNotGgufOrIsThereAlreadySaysSo() throws Exception {
        var text = Files.writeString(scratch.resolve("notes.gguf"), "not a model");
        vm.importFile(text, ModelLibrary.ImportMode.COPY);
        assertEquals("Could not import notes.gguf: This is not a GGUF model file.", vm.messageProperty().get());
        var model = FixtureModel.builder().write(scratch.resolve("twice.gguf"));
        vm.importFile(model, ModelLibrary.ImportMode.COPY);
        vm.importFile(model, ModelLibrary.ImportMode.COPY);
        assertEquals("Could not import twice.gguf: The library already has a model with this file name.", vm.messageProperty().get());
    }

    @Test
    void removeDeletesTheFilesAndOtherToolsModelsAreRefused(@TempDir Path lmStudio) throws Exception {
        Files.createDirectories(models.resolve("owner/repo"));
        FixtureModel.builder().write(models.resolve("owner/repo/gone.gguf"));
        Files.createDirectories(lmStudio.resolve("a/b"));
        FixtureModel.builder().write(lmStudio.resolve("a/b/theirs.gguf"));
        var library = new ModelLibrary(models, List.of(), List.of(new LibraryFolder(lmStudio, ModelSource.LM_STUDIO)));
        var both = new ModelsViewModel(library, HubFixture.client(fixture.hub.config(null)),
                HubFixture.downloader(fixture.hub.config(null), models), new InlineUiTasks(), Machine::withoutEngine, _ -> {});
        both.refresh();
        var mine = both.models().stream().filter(e -> e.source() == ModelSource.MODELS_FOLDER).findFirst().orElseThrow();
        var theirs = both.models().stream().filter(e -> e.source() == ModelSource.LM_STUDIO).findFirst().orElseThrow();
        assertTrue(mine.removable());
        assertFalse(theirs.removable());
        both.selectedProperty().set(mine);
        both.remove(mine);
        assertTrue(Files.notExists(models.resolve("owner/repo/gone.gguf")));
        assertNull(both.selectedProperty().get());
        assertEquals(1, both.models().size());
        both.remove(theirs);
        assertEquals("Could not remove a/b/theirs.gguf: This model belongs to another tool; remove it there. Hearth only lists it.",
                both.messageProperty().get());
        assertTrue(Files.exists(lmStudio.resolve("a/b/theirs.gguf")));
    }

    @Test
    void loadOpensTheDialogOnTheModelAndHandsItsRequestToTheEngineManager() throws Exception {
        FixtureModel.builder().layers(2).write(models.resolve("local.gguf"));
        vm.refresh();
        var entry = vm.models().getFirst();
        var dialog = vm.loadDialog(entry);
        assertNotNull(dialog);
        assertEquals(entry.model(), dialog.modelProperty().get());
        dialog.contextSizeProperty().set(512);
        dialog.kvCacheTypeProperty().set(KvCacheType.Q4_0);
        vm.load(dialog.request().orElseThrow());
        assertEquals(1, fixture.loads.size());
        var request = fixture.loads.getFirst();
        assertEquals(entry.path(), request.model());
        assertEquals(512, request.options().contextSize());
        assertEquals(KvCacheType.Q4_0, request.options().kvCacheType());
        assertTrue(request.options().flashAttention());
        assertEquals(0, request.options().gpuLayers(), "no engine has reported a GPU: nothing is offloaded by default");
    }

    @Test
    void aFileOutsideTheLibraryHasNoLoadDialog() throws Exception {
        var outside = FixtureModel.builder().write(scratch.resolve("outside.gguf"));
        vm.inspect(outside);
        assertNull(vm.loadDialog(vm.selectedProperty().get()));
    }
}
