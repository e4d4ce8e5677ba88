package dev.hearth.app;

import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.hub.TokenFile;
import dev.hearth.inference.library.MemoryBandwidth;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.StorageException;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.metrics.MetricsView;
import dev.hearth.ui.metrics.MetricsViewModel;
import dev.hearth.ui.metrics.ModelWeights;
import dev.hearth.ui.settings.ModelFoldersViewModel;
import dev.hearth.ui.settings.SettingsStore;
import dev.hearth.ui.settings.SettingsView;
import dev.hearth.ui.settings.SettingsViewModel;
import dev.hearth.ui.shell.ShellViewModel;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.jspecify.annotations.Nullable;

/// The Metrics and Settings pages: their view models, wired with plain `new`.
///
/// @param log        the session log, or null when it could not be opened (`logProblem` says why)
record WorkbenchPages(DataFolders folders, SettingsStore settings, UiTasks tasks, @Nullable SessionLog log,
        @Nullable String logProblem) {
    private static final Logger LOG = Logger.getLogger(WorkbenchPages.class.getName());

    /// The measured memory bandwidth is kept here.
    static Path bandwidthFile(DataFolders folders) {
        return folders.home().resolve("memory-bandwidth.properties");
    }

    /// The token the Settings page stores (the same file `HearthApplication.hubConfig` and the CLI read).
    static TokenFile tokenFile(DataFolders folders) {
        return new TokenFile(folders.home().resolve("hub-token"));
    }

    /// Opens the session log at `folders.database()`; a log that cannot be opened leaves a sentence instead.
    static WorkbenchPages open(DataFolders folders, SettingsStore settings, UiTasks tasks) {
        try {
            return new WorkbenchPages(folders, settings, tasks, SqliteSessionLog.open(folders.database()), null);
        } catch (StorageException e) {
            LOG.log(Level.WARNING, "the session log could not be opened", e);
            return new WorkbenchPages(folders, settings, tasks, null,
                    "The session log " + folders.database() + " could not be opened: " + e.getMessage());
        }
    }

    Node metrics() {
        var l = log;
        if (l == null) return new Label(logProblem == null ? "The session log is not available." : logProblem);
        var vm = new MetricsViewModel(l, bandwidthFile(folders), MemoryBandwidth::measure, ModelWeights::bytes, tasks);
        var view = new MetricsView(vm);
        vm.open();
        return view;
    }

    Node settings(ShellViewModel shell, ModelFoldersViewModel modelFolders) {
        var vm = new SettingsViewModel(settings, shell, tokenFile(folders), log, folders.database(),
                file -> {
                    try (var worker = EngineWorkers.start(NativeLibrary.file(file))) {
                        return worker.capabilities();
                    }
                }, tasks);
        vm.open();
        modelFolders.open();
        var engines = new dev.hearth.ui.settings.EnginesViewModel(EngineWorkers.catalog(folders), library -> {
            try (var worker = EngineWorkers.start(library)) { // a worker per engine: a bad pack ends only it
                return worker.capabilities();
            }
        }, folders.cache(), tasks);
        engines.refresh();
        return new SettingsView(vm, modelFolders, engines);
    }

    /// The GPU library chosen in Settings, else the bundled one.
    static NativeLibrary nativeLibrary(SettingsStore settings, DataFolders folders) {
        var chosen = settings.preferences().nativeLibrary();
        return chosen != null ? NativeLibrary.file(chosen) : NativeLibrary.bundled(folders.cache());
    }

    /// The library of the engine called `engine` (`hearth engines list`), else the one [#nativeLibrary] gives.
    ///
    /// @throws dev.hearth.inference.EngineException `NATIVE_LIBRARY_MISSING` when no engine has that name (removed since)
    static NativeLibrary nativeLibrary(SettingsStore settings, DataFolders folders, @org.jspecify.annotations.Nullable String engine) {
        if (engine == null) return nativeLibrary(settings, folders);
        return EngineWorkers.catalog(folders).find(engine).orElseThrow(() -> new dev.hearth.inference.EngineException(
                dev.hearth.inference.Failure.Kind.NATIVE_LIBRARY_MISSING, "no engine called '" + engine + "' (Settings → Engines)"))
                .library(folders.cache());
    }

    void close() {
        if (log != null) log.close();
    }
}
