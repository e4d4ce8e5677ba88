package dev.hearth.ui.settings;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.pack.EngineCatalog;
import dev.hearth.ui.UiTasks;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/// Settings → Engines: the llama.cpp engines models can run on ([EngineCatalog], the same list `hearth engines list`
/// shows), installing a pack from a tarball or folder, and removing an installed one.
///
/// Asking an engine for its generation and devices starts it in a worker process (the `probe`), so the list comes
/// first with "checking…" rows and each engine is asked off the UI thread, one after another; an engine that does not
/// start says why in its row. Install and remove report in [#messageProperty()], next to the buttons.
public final class EnginesViewModel {
    private static final Logger LOG = Logger.getLogger(EnginesViewModel.class.getName());

    /// Listing or asking the engines; idle; installing a pack.
    public enum State { CHECKING, IDLE, INSTALLING }

    /// Where a row's facts stand.
    public enum Probe { CHECKING, READY, UNAVAILABLE }

    /// One engine as the list shows it.
    ///
    /// @param generation the llama.h generation (`b4916`, `v0.5`), empty until the engine was asked
    /// @param devices    one line per device the engine found, with free memory ("CPU (AMD EPYC) 12.0/15.6 GiB free")
    /// @param problem    why the engine did not start (state `UNAVAILABLE`), else empty
    public record EngineRow(EngineCatalog.Entry entry, Probe probe, String generation, List<String> devices, String problem) {
        public EngineRow {
            devices = List.copyOf(devices);
        }

        static EngineRow checking(EngineCatalog.Entry entry) {
            return new EngineRow(entry, Probe.CHECKING, "", List.of(), "");
        }

        public String name() {
            return entry.name();
        }

        /// "llama.cpp b4916 · b4916 · CPU" — build, generation, backends.
        public String summary() {
            return "llama.cpp " + entry.build() + (generation.isEmpty() ? "" : " · " + generation) + " · "
                    + String.join(", ", entry.backends()) + (entry.builtIn() ? " · built in" : "");
        }

        /// The devices, or what is going on ("checking…", why it is unavailable).
        public String status() {
            return switch (probe) {
                case CHECKING -> "Checking the devices (starting the engine)…";
                case READY -> devices.isEmpty() ? "No devices found." : String.join("; ", devices);
                case UNAVAILABLE -> "Unavailable: " + problem;
            };
        }
    }

    /// The short guide for GPU packs the section shows (no registry is named: npm knows its own).
    public static final String GPU_GUIDE = """
            Hearth comes with a CPU engine; GPU engines are packs you add. With Node.js installed, run \
            `npm pack @node-llama-cpp/linux-x64-cuda@3.22.1` (CUDA on Linux; also linux-x64-vulkan, win-x64-cuda, \
            win-x64-vulkan, mac-arm64-metal), then choose Install from file… and pick the .tgz it wrote. An unpacked \
            folder of the same pack works with Install from folder…. The pack must be node-llama-cpp 3.22.1 (llama.cpp \
            v0.5.0); a GPU pack needs the GPU's driver (and for CUDA its runtime) on this machine.""";

    private final EngineCatalog catalog;
    private final EngineCatalog.Probe probe;
    private final Path cacheFolder;
    private final UiTasks tasks;
    private final ObservableList<EngineRow> rows = FXCollections.observableArrayList();
    private final ObservableList<EngineRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.IDLE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private int generation;

    /// @param probe       starts an engine in a worker process and asks what it has (blocking)
    /// @param cacheFolder where the built-in b4916 library is unpacked
    public EnginesViewModel(EngineCatalog catalog, EngineCatalog.Probe probe, Path cacheFolder, UiTasks tasks) {
        this.catalog = catalog;
        this.probe = probe;
        this.cacheFolder = cacheFolder;
        this.tasks = tasks;
    }

    public ObservableList<EngineRow> rows() {
        return readOnlyRows;
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /// The outcome of the last install or remove, or why the list could not be read; empty otherwise.
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /// Lists the engines and asks each for its devices (worker processes, off the UI thread).
    public void refresh() {
        int current = ++generation;
        state.set(State.CHECKING);
        tasks.run(catalog::list, list -> {
            if (current != generation) return;
            rows.setAll(list.stream().map(EngineRow::checking).toList());
            probeFrom(0, current);
        }, failure -> {
            if (current != generation) return;
            state.set(State.IDLE);
            message.set("The engines could not be listed: " + describe(failure));
        });
    }

    /// Installs a pack tarball (from `npm pack`) or an unpacked pack folder; it is loaded in a worker first, so a
    /// broken pack is refused with the reason and nothing is kept.
    public void install(Path source) {
        if (state.get() == State.INSTALLING) return;
        state.set(State.INSTALLING);
        message.set("Installing " + source.getFileName() + " (checking that it loads)…");
        generation++; // probes of the old list are dropped
        tasks.run(() -> catalog.install(source, null, probe), installed -> {
            var entry = installed.entry();
            message.set("Installed engine " + entry.name() + ": llama.cpp " + entry.build() + ", backends "
                    + String.join(", ", entry.backends()) + "."
                    + (installed.gpuBackendWithoutDevice()
                            ? " Its GPU backend found no device here (driver or runtime library missing?); it runs on the CPU."
                            : " Choose it in the load dialog."));
            refresh();
        }, failure -> {
            message.set(installProblem(failure));
            refresh();
        });
    }

    /// Removes an installed engine (the view asks first); built-in engines are refused with a sentence.
    public void remove(EngineRow row) {
        if (row.entry().builtIn()) {
            message.set(row.name() + " comes with Hearth and cannot be removed.");
            return;
        }
        tasks.run(() -> {
            catalog.remove(row.name());
            return row.name();
        }, name -> {
            message.set("Removed engine " + name + ".");
            rows.removeIf(r -> r.name().equals(name));
        }, failure -> message.set("Could not remove " + row.name() + ": " + describe(failure)));
    }

    private void probeFrom(int index, int current) {
        if (current != generation) return;
        if (index >= rows.size()) {
            state.set(State.IDLE);
            return;
        }
        var entry = rows.get(index).entry();
        tasks.run(() -> probe.probe(entry.library(cacheFolder)), caps -> {
            if (current != generation) return;
            set(index, new EngineRow(entry, Probe.READY, caps.libraryGeneration(),
                    caps.devices().stream().map(dev.hearth.inference.Device::describe).toList(), ""));
            probeFrom(index + 1, current);
        }, failure -> {
            if (current != generation) return;
            LOG.log(Level.INFO, "engine " + entry.name() + " did not start", failure);
            set(index, new EngineRow(entry, Probe.UNAVAILABLE, "", List.of(), describe(failure)));
            probeFrom(index + 1, current);
        });
    }

    private void set(int index, EngineRow row) {
        if (index < rows.size() && rows.get(index).entry().equals(row.entry())) rows.set(index, row);
    }

    private static String installProblem(Throwable failure) {
        return switch (failure) {
            case IllegalArgumentException e -> "Not installed: " + describe(e);
            case EngineException e -> "Not installed: the pack does not load (" + describe(e) + ").";
            case UncheckedIOException e -> "Not installed: " + describe(e);
            default -> "Not installed: " + describe(failure);
        };
    }

    private static String describe(@Nullable Throwable e) {
        if (e == null) return "";
        var m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ').strip();
    }
}
