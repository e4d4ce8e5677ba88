package dev.hearth.ui.settings;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.hub.TokenFile;
import dev.hearth.storage.LogFileSize;
import dev.hearth.storage.SessionLog;
import dev.hearth.ui.UiTasks;
import dev.hearth.ui.Units;
import dev.hearth.ui.shell.ShellViewModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jspecify.annotations.Nullable;

/// State of the Settings section. Each group saves on its own button and says the outcome next to it. The theme
/// and the defaults apply at once ([#preferencesProperty()] is what the chat and the load dialog read); the Hub
/// endpoint and token apply to the next Hub request, and the GPU library when the next model is loaded.
public final class SettingsViewModel {
    private static final Logger LOG = Logger.getLogger(SettingsViewModel.class.getName());

    private final SettingsStore store;
    private final ShellViewModel shell;
    private final TokenFile token;
    private final @Nullable SessionLog log;
    private final Path database;
    private final LibraryProbe probe;
    private final UiTasks tasks;

    private final ReadOnlyObjectWrapper<Preferences> preferences;
    private final StringProperty endpoint = new SimpleStringProperty("");
    private final StringProperty newToken = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper tokenState = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper hubMessage = new ReadOnlyStringWrapper("");
    private final StringProperty library = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper libraryMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper testing = new ReadOnlyBooleanWrapper(false);
    private final StringProperty gpuLayers = new SimpleStringProperty();
    private final StringProperty contextSize = new SimpleStringProperty();
    private final StringProperty threads = new SimpleStringProperty();
    private final BooleanProperty flashAttention = new SimpleBooleanProperty();
    private final StringProperty temperature = new SimpleStringProperty();
    private final StringProperty topK = new SimpleStringProperty();
    private final StringProperty topP = new SimpleStringProperty();
    private final StringProperty minP = new SimpleStringProperty();
    private final StringProperty repeatPenalty = new SimpleStringProperty();
    private final StringProperty maxTokens = new SimpleStringProperty();
    private final ReadOnlyStringWrapper defaultsMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper logSize = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper logMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper logBusy = new ReadOnlyBooleanWrapper(false);

    /// @param log      the session log, or null when it could not be opened (its buttons then do nothing)
    /// @param database the session log's file, shown
    public SettingsViewModel(SettingsStore store, ShellViewModel shell, TokenFile token, @Nullable SessionLog log,
            Path database, LibraryProbe probe, UiTasks tasks) {
        this.store = store;
        this.shell = shell;
        this.token = token;
        this.log = log;
        this.database = database;
        this.probe = probe;
        this.tasks = tasks;
        this.preferences = new ReadOnlyObjectWrapper<>(store.preferences());
        show(store.preferences());
    }

    private void show(Preferences p) {
        endpoint.set(p.hubEndpoint() == null ? "" : p.hubEndpoint());
        library.set(p.nativeLibrary() == null ? "" : p.nativeLibrary().toString());
        var l = p.load();
        gpuLayers.set(Integer.toString(l.gpuLayers()));
        contextSize.set(Integer.toString(l.contextSize()));
        threads.set(Integer.toString(l.threads()));
        flashAttention.set(l.flashAttention());
        var s = p.sampling();
        temperature.set(number(s.temperature()));
        topK.set(Integer.toString(s.topK()));
        topP.set(number(s.topP()));
        minP.set(number(s.minP()));
        repeatPenalty.set(number(s.repeatPenalty()));
        maxTokens.set(Integer.toString(s.maxTokens()));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }

    /// Reads the token's presence and the log's size (off the UI thread).
    public void open() {
        tasks.run(() -> token.read().isPresent(), this::showTokenState,
                e -> tokenState.set("The stored token cannot be read: " + e.getMessage()));
        refreshLogSize();
    }

    private void showTokenState(boolean stored) {
        tokenState.set(stored ? "A token is stored (readable only by you)."
                : "No token stored; HF_TOKEN or a huggingface-cli login is used when present.");
    }

    // ---- Hub ----

    /// Saves the endpoint; empty means the public Hub.
    public void saveEndpoint() {
        try {
            save(preferences.get().withHubEndpoint(endpoint.get()));
            hubMessage.set("Saved. The next Hub request uses this endpoint (HF_ENDPOINT, when set, still wins).");
        } catch (IllegalArgumentException e) {
            hubMessage.set(e.getMessage());
        } catch (IOException e) {
            hubMessage.set("Could not save settings: " + e.getMessage());
        }
    }

    /// Stores the entered token in a file only the user can read; the field is cleared.
    public void saveToken() {
        var value = newToken.get() == null ? "" : newToken.get().strip();
        if (value.isEmpty()) {
            hubMessage.set("Enter a token first.");
            return;
        }
        newToken.set("");
        tasks.run(() -> {
            token.write(value);
            return true;
        }, stored -> {
            showTokenState(stored);
            hubMessage.set("Token saved. The next Hub request uses it.");
        }, e -> hubMessage.set("Could not store the token: " + e.getMessage()));
    }

    public void removeToken() {
        tasks.run(() -> {
            token.clear();
            return false;
        }, stored -> {
            showTokenState(stored);
            hubMessage.set("Token removed. The next Hub request goes without it (unless HF_TOKEN is set).");
        }, e -> hubMessage.set("Could not remove the token: " + e.getMessage()));
    }

    // ---- native library ----

    private @Nullable Path libraryPath() {
        var text = library.get() == null ? "" : library.get().strip();
        if (text.isEmpty()) return null;
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("Not a file path: " + text);
        }
    }

    /// Saves the library choice; empty means the bundled CPU library. Applies to models loaded from now on.
    public void saveLibrary() {
        try {
            save(preferences.get().withNativeLibrary(libraryPath()));
            libraryMessage.set(library.get().isBlank() ? "Saved: the bundled CPU library is used for the next load."
                    : "Saved: used for the next model loaded.");
        } catch (IllegalArgumentException e) {
            libraryMessage.set(e.getMessage());
        } catch (IOException e) {
            libraryMessage.set("Could not save settings: " + e.getMessage());
        }
    }

    /// Loads the chosen library in a short-lived engine and lists the devices it sees, or says why it failed.
    public void testLibrary() {
        Path file;
        try {
            file = libraryPath();
        } catch (IllegalArgumentException e) {
            libraryMessage.set(e.getMessage());
            return;
        }
        if (file == null) {
            libraryMessage.set("Choose a library file to test.");
            return;
        }
        if (!Files.isRegularFile(file)) {
            libraryMessage.set("No such file: " + file);
            return;
        }
        testing.set(true);
        libraryMessage.set("Loading " + file.getFileName() + "…");
        tasks.run(() -> probe.probe(file), caps -> {
            testing.set(false);
            var devices = caps.devices().stream()
                    .map(d -> d.name() + " (" + d.kind().name().toLowerCase(Locale.ROOT) + ", "
                            + Units.bytes(d.memoryTotal()) + ")")
                    .collect(Collectors.joining(", "));
            libraryMessage.set("Loaded llama.cpp " + caps.libraryBuild() + (caps.gpuOffload() ? " with GPU offload" : "")
                    + ". Devices: " + (devices.isEmpty() ? "none reported" : devices) + ".");
        }, e -> {
            testing.set(false);
            LOG.log(Level.INFO, "library test failed for " + file, e);
            libraryMessage.set("This library cannot be used: " + reason(e));
        });
    }

    /// One plain sentence per failure kind; the detail goes to the log (above), not the screen.
    static String reason(Throwable e) {
        if (!(e instanceof EngineException ee)) return "the engine worker could not be started.";
        return switch (ee.failure().kind()) {
            case NATIVE_LIBRARY_INVALID -> "it is not a llama.cpp library for this machine and this version of Hearth.";
            case NATIVE_LIBRARY_MISSING -> "the file, or a library it needs (such as CUDA or Vulkan), is missing.";
            case ENGINE_CRASHED -> "the engine worker crashed while loading it.";
            case PROTOCOL_ERROR -> "the engine worker did not answer as Hearth expects.";
            case NOT_ENOUGH_MEMORY -> "there was not enough memory to load it.";
            case MODEL_FILE_MISSING, NOT_A_MODEL_FILE, MODEL_FILE_CORRUPT, UNSUPPORTED_ARCHITECTURE, LOAD_FAILED,
                 LOAD_CANCELLED, NO_MODEL_LOADED, CONTEXT_FULL, INVALID_REQUEST, CANCELLED, DECODE_FAILED,
                 ENGINE_CLOSED -> "loading it failed.";
        };
    }

    // ---- defaults ----

    /// Checks and saves the default load options and sampling parameters; a bad value is named and nothing saved.
    public void saveDefaults() {
        try {
            var load = preferences.get().load()
                    .withGpuLayers(integer("GPU layers", gpuLayers))
                    .withContextSize(integer("Context size", contextSize))
                    .withThreads(integer("Threads", threads))
                    .withFlashAttention(flashAttention.get(), preferences.get().load().kvCacheType());
            var sampling = preferences.get().sampling()
                    .withTemperature(decimal("Temperature", temperature))
                    .withTopK(integer("Top-k", topK))
                    .withTopP(decimal("Top-p", topP))
                    .withMinP(decimal("Min-p", minP))
                    .withPenalties(decimal("Repeat penalty", repeatPenalty), preferences.get().sampling().frequencyPenalty(),
                            preferences.get().sampling().presencePenalty(), preferences.get().sampling().repeatLastN())
                    .withMaxTokens(integer("Max tokens", maxTokens));
            save(preferences.get().withDefaults(load, sampling));
            defaultsMessage.set("Saved. New chats and loads use these defaults.");
        } catch (IllegalArgumentException e) {
            defaultsMessage.set(e.getMessage());
        } catch (IOException e) {
            defaultsMessage.set("Could not save settings: " + e.getMessage());
        }
    }

    /// Puts the fields back to Hearth's defaults (not saved until "Save").
    public void resetDefaults() {
        var d = Preferences.DEFAULT;
        show(new Preferences(endpoint.get(), null, d.load(), d.sampling()).withNativeLibrary(
                library.get().isBlank() ? null : Path.of(library.get().strip())));
        defaultsMessage.set("Hearth's defaults, not saved yet.");
    }

    private static int integer(String name, StringProperty field) {
        try {
            return Integer.parseInt(field.get().strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got \"" + field.get() + "\"");
        }
    }

    private static double decimal(String name, StringProperty field) {
        try {
            double v = Double.parseDouble(field.get().strip());
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(name + " must be a number, got \"" + field.get() + "\"");
        }
    }

    private void save(Preferences next) throws IOException {
        store.savePreferences(next);
        preferences.set(next);
    }

    // ---- session log ----

    /// Reads the log's size again.
    public void refreshLogSize() {
        var l = log;
        if (l == null) {
            logSize.set("The session log is not open.");
            return;
        }
        tasks.run(l::fileSize, this::showSize, e -> logSize.set("Size unknown: " + e.getMessage()));
    }

    private void showSize(LogFileSize size) {
        logSize.set(Units.bytes(size.totalBytes()) + (size.freeBytes() > 0
                ? " (" + Units.bytes(size.freeBytes()) + " free inside; Vacuum gives it back)" : ""));
    }

    /// Rebuilds the file without its free space.
    public void vacuum() {
        var l = log;
        if (l == null || logBusy.get()) return;
        logBusy.set(true);
        logMessage.set("Vacuuming…");
        tasks.run(() -> {
            long before = l.fileSize().totalBytes();
            l.vacuum();
            return new long[] {before, l.fileSize().totalBytes()};
        }, sizes -> {
            logBusy.set(false);
            logMessage.set("Vacuumed: " + Units.bytes(sizes[0]) + " → " + Units.bytes(sizes[1]) + ".");
            refreshLogSize();
        }, e -> {
            logBusy.set(false);
            logMessage.set("Could not vacuum: " + e.getMessage());
        });
    }

    /// Removes for good every session in the bin.
    public void purgeDeleted() {
        var l = log;
        if (l == null || logBusy.get()) return;
        logBusy.set(true);
        tasks.run(() -> l.purgeDeleted(Instant.now().plusMillis(1)), n -> {
            logBusy.set(false);
            logMessage.set(n == 0 ? "The bin is empty." : "Removed " + n + " deleted session" + (n == 1 ? "" : "s")
                    + " for good. Vacuum gives their space back.");
            refreshLogSize();
        }, e -> {
            logBusy.set(false);
            logMessage.set("Could not purge: " + e.getMessage());
        });
    }

    // ---- properties ----

    /// The saved preferences; changes when a group is saved.
    public ReadOnlyObjectProperty<Preferences> preferencesProperty() {
        return preferences.getReadOnlyProperty();
    }

    public ShellViewModel shell() {
        return shell;
    }

    public StringProperty endpointProperty() {
        return endpoint;
    }

    public StringProperty newTokenProperty() {
        return newToken;
    }

    public ReadOnlyStringProperty tokenStateProperty() {
        return tokenState.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty hubMessageProperty() {
        return hubMessage.getReadOnlyProperty();
    }

    public StringProperty libraryProperty() {
        return library;
    }

    public ReadOnlyStringProperty libraryMessageProperty() {
        return libraryMessage.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testingProperty() {
        return testing.getReadOnlyProperty();
    }

    public StringProperty gpuLayersProperty() {
        return gpuLayers;
    }

    public StringProperty contextSizeProperty() {
        return contextSize;
    }

    public StringProperty threadsProperty() {
        return threads;
    }

    public BooleanProperty flashAttentionProperty() {
        return flashAttention;
    }

    public StringProperty temperatureProperty() {
        return temperature;
    }

    public StringProperty topKProperty() {
        return topK;
    }

    public StringProperty topPProperty() {
        return topP;
    }

    public StringProperty minPProperty() {
        return minP;
    }

    public StringProperty repeatPenaltyProperty() {
        return repeatPenalty;
    }

    public StringProperty maxTokensProperty() {
        return maxTokens;
    }

    public ReadOnlyStringProperty defaultsMessageProperty() {
        return defaultsMessage.getReadOnlyProperty();
    }

    /// The session log's file.
    public Path database() {
        return database;
    }

    public ReadOnlyStringProperty logSizeProperty() {
        return logSize.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty logMessageProperty() {
        return logMessage.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty logBusyProperty() {
        return logBusy.getReadOnlyProperty();
    }
}
