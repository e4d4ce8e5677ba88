package dev.hearth.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.pack.EngineCatalog;
import dev.hearth.inference.worker.EngineClient;
import dev.hearth.inference.worker.WorkerLauncher;
import dev.hearth.inference.worker.WorkerMain;
import dev.hearth.ui.InlineUiTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Settings → Engines on real engines folders; engines are asked in real worker processes.
class EnginesViewModelTest {
    @TempDir Path dir;

    /// The fetched engine pack (`hearth.test.enginePack`), or the test is skipped.
    static Path pack() {
        var pack = Path.of(System.getProperty("hearth.test.enginePack", ""));
        Assumptions.assumeTrue(Files.isRegularFile(pack.resolve("_nlcBuildMetadata.json")),
                "no engine pack was fetched at build time (npm missing or offline)");
        return pack;
    }

    /// Starts the engine in a worker process of this test's class path and asks what it has.
    static EngineCapabilities probeInWorker(NativeLibrary library, Path logs) {
        var args = switch (library) {
            case NativeLibrary.Bundled(var cache) -> List.of("--cache", cache.toString());
            case NativeLibrary.EnginePack(var folder) -> List.of("--pack", folder.toString());
            case NativeLibrary.UserFile(var file) -> List.of("--library", file.toString());
        };
        try (var worker = EngineClient.start(WorkerLauncher.javaMain(WorkerMain.class.getName(), args), logs)) {
            return worker.capabilities();
        }
    }

    private EnginesViewModel viewModel(EngineCatalog catalog) {
        return new EnginesViewModel(catalog, library -> probeInWorker(library, dir.resolve("logs")), dir.resolve("cache"),
                new InlineUiTasks());
    }

    @Test
    void theListShowsB4916AndTheBuiltInPackWithGenerationAndDevices() {
        var pack = pack();
        var vm = viewModel(new EngineCatalog(List.of(pack.getParent()), dir.resolve("engines")));
        vm.refresh();

        assertEquals(EnginesViewModel.State.IDLE, vm.stateProperty().get());
        var b4916 = vm.rows().getFirst();
        assertEquals("b4916", b4916.name());
        assertEquals(EnginesViewModel.Probe.READY, b4916.probe(), b4916.status());
        assertEquals("b4916", b4916.generation());
        var current = vm.rows().stream().filter(r -> r.name().equals(pack.getFileName().toString())).findFirst().orElseThrow();
        assertEquals(EnginesViewModel.Probe.READY, current.probe(), current.status());
        assertEquals("v0.5", current.generation());
        assertTrue(current.summary().startsWith("llama.cpp v0.5.0 · v0.5 · CPU"), current.summary());
        assertTrue(current.devices().getFirst().startsWith("CPU"), current.devices().toString());
        assertTrue(current.status().contains("GiB free"), current.status());

        vm.remove(b4916);
        assertEquals("b4916 comes with Hearth and cannot be removed.", vm.messageProperty().get());
        assertEquals("b4916", vm.rows().getFirst().name());
    }

    @Test
    void aBrokenFolderIsRefusedWithAMessageAndNothingIsKept() throws Exception {
        var broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("_nlcBuildMetadata.json"), "{\"buildOptions\": ");
        Files.write(broken.resolve("libllama.so"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2});
        var engines = dir.resolve("engines");
        var vm = viewModel(new EngineCatalog(List.of(), engines));

        vm.install(broken);

        assertTrue(vm.messageProperty().get().startsWith("Not installed: "), vm.messageProperty().get());
        assertEquals(List.of("b4916"), vm.rows().stream().map(EnginesViewModel.EngineRow::name).toList());
        try (Stream<Path> left = Files.list(engines)) {
            assertEquals(List.of(), left.toList(), "the staged copy is removed");
        }
    }
}
