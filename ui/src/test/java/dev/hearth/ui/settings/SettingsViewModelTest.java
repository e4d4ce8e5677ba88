package dev.hearth.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hearth.inference.Device;
import dev.hearth.inference.EngineCapabilities;
import dev.hearth.inference.Engines;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.hub.TokenFile;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.ui.InlineUiTasks;
import dev.hearth.ui.shell.ShellViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsViewModelTest {
    @TempDir Path dir;
    SqliteSessionLog log;
    SettingsStore store;
    LibraryProbe probe = file -> Engines.inProcess(NativeLibrary.file(file)).capabilities();

    @BeforeEach
    void setUp() {
        log = SqliteSessionLog.open(dir.resolve("hearth.db"));
        store = SettingsStore.open(dir.resolve("settings.json"));
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private SettingsViewModel vm() {
        var vm = new SettingsViewModel(store, new ShellViewModel(store), new TokenFile(dir.resolve("hub-token")), log,
                log.file(), probe, new InlineUiTasks());
        vm.open();
        return vm;
    }

    @Test
    void savedDefaultsAreReadBackByANewStoreAndKeepOtherKeys() throws Exception {
        Files.writeString(dir.resolve("settings.json"), "{\"theme\":\"dark\",\"futureKey\":{\"x\":1}}");
        store = SettingsStore.open(dir.resolve("settings.json"));
        var vm = vm();
        vm.temperatureProperty().set("0.3");
        vm.topKProperty().set("20");
        vm.gpuLayersProperty().set("12");
        vm.contextSizeProperty().set("4096");
        vm.flashAttentionProperty().set(true);
        vm.saveDefaults();

        assertEquals("Saved. New chats and loads use these defaults.", vm.defaultsMessageProperty().get());
        assertEquals(0.3, vm.preferencesProperty().get().sampling().temperature());
        var reopened = SettingsStore.open(dir.resolve("settings.json"));
        var p = reopened.preferences();
        assertEquals(0.3, p.sampling().temperature());
        assertEquals(20, p.sampling().topK());
        assertEquals(12, p.load().gpuLayers());
        assertEquals(4096, p.load().contextSize());
        assertTrue(p.load().flashAttention());
        assertEquals(Theme.DARK, reopened.current().theme());
        assertTrue(Files.readString(dir.resolve("settings.json")).contains("futureKey"), "unknown keys are kept");
    }

    @Test
    void aBadValueIsNamedAndNothingIsSaved() {
        var vm = vm();
        vm.temperatureProperty().set("warm");
        vm.saveDefaults();
        assertEquals("Temperature must be a number, got \"warm\"", vm.defaultsMessageProperty().get());
        vm.temperatureProperty().set("0.5");
        vm.topPProperty().set("2");
        vm.saveDefaults();
        assertEquals("top-p must be in (0, 1], got 2.0", vm.defaultsMessageProperty().get());
        assertTrue(Files.notExists(dir.resolve("settings.json")));
    }

    @Test
    void theTokenIsStoredReadableOnlyByItsOwnerAndNeverShown() throws Exception {
        var vm = vm();
        assertTrue(vm.tokenStateProperty().get().startsWith("No token stored"));
        vm.newTokenProperty().set("  hf_secret123 ");
        vm.saveToken();

        var file = dir.resolve("hub-token");
        assertEquals("hf_secret123", Files.readString(file));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals("", vm.newTokenProperty().get(), "the field is cleared");
        assertEquals("A token is stored (readable only by you).", vm.tokenStateProperty().get());

        vm.removeToken();
        assertTrue(Files.notExists(file));
    }

    @Test
    void anEndpointMustBeAnHttpAddress() {
        var vm = vm();
        vm.endpointProperty().set("ftp://mirror");
        vm.saveEndpoint();
        assertEquals("The Hub endpoint must be an http(s) address, like https://huggingface.co", vm.hubMessageProperty().get());
        vm.endpointProperty().set("https://hf-mirror.example.org");
        vm.saveEndpoint();
        assertEquals("https://hf-mirror.example.org", SettingsStore.open(dir.resolve("settings.json")).preferences().hubEndpoint());
        vm.endpointProperty().set(" ");
        vm.saveEndpoint();
        assertNull(SettingsStore.open(dir.resolve("settings.json")).preferences().hubEndpoint(), "empty: the public Hub");
    }

    @Test
    void aFileThatIsNotALibraryFailsItsTestWithAMessageInPlace() throws Exception {
        var notALibrary = Files.writeString(dir.resolve("libllama.so"), "not an ELF file");
        var vm = vm();
        vm.libraryProperty().set(notALibrary.toString());
        vm.testLibrary();
        assertEquals("This library cannot be used: it is not a llama.cpp library for this machine and this version of Hearth.",
                vm.libraryMessageProperty().get());

        vm.libraryProperty().set(dir.resolve("missing.so").toString());
        vm.testLibrary();
        assertEquals("No such file: " + dir.resolve("missing.so"), vm.libraryMessageProperty().get());
    }

    @Test
    void aWorkingLibraryListsItsDevices() throws Exception {
        probe = _ -> new EngineCapabilities("b4916", "/x/libllama.so",
                List.of(new Device("CPU", "cpu", Device.Kind.CPU, 1L << 30, 4L << 30)), false, true, true);
        var lib = Files.writeString(dir.resolve("libjllama.so"), "x");
        var vm = vm();
        vm.libraryProperty().set(lib.toString());
        vm.testLibrary();
        assertEquals("Loaded llama.cpp b4916. Devices: CPU (cpu, 4.00 GiB).", vm.libraryMessageProperty().get());
        vm.saveLibrary();
        assertEquals(lib, SettingsStore.open(dir.resolve("settings.json")).preferences().nativeLibrary());
    }

    @Test
    void purgeAndVacuumEmptyTheBinAndReportTheSize() {
        long s = log.createSession("Gone", null);
        log.deleteSession(s);
        var vm = vm();
        assertTrue(vm.logSizeProperty().get().matches("[0-9.]+ [KM]i?B.*"), vm.logSizeProperty().get());

        vm.purgeDeleted();
        assertEquals("Removed 1 deleted session for good. Vacuum gives their space back.", vm.logMessageProperty().get());
        assertTrue(log.deletedSessions().isEmpty());
        vm.purgeDeleted();
        assertEquals("The bin is empty.", vm.logMessageProperty().get());

        vm.vacuum();
        assertTrue(vm.logMessageProperty().get().startsWith("Vacuumed: "), vm.logMessageProperty().get());
        assertEquals("ok", log.integrityCheck());
    }
}
