package dev.hearth.ui.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/// Reads and writes the settings file (JSON). Writes go to a temporary file that is then moved into place,
/// so a crash never leaves half a file. Keys this version does not know are kept as they were.
public final class SettingsStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private volatile Settings current;
    private volatile ObjectNode raw;
    private volatile Preferences preferences;

    private SettingsStore(Path file, Settings current, ObjectNode raw) {
        this.file = file;
        this.current = current;
        this.raw = raw;
        this.preferences = PreferencesJson.read(raw);
    }

    /// Opens the settings at `file`; a missing or unreadable file gives the defaults (the problem is in `problem()`).
    public static SettingsStore open(Path file) {
        if (!Files.exists(file)) return new SettingsStore(file, Settings.DEFAULT, JSON.createObjectNode());
        try {
            var node = JSON.readTree(file.toFile());
            var object = node instanceof ObjectNode o ? o : JSON.createObjectNode();
            return new SettingsStore(file, parse(object), object);
        } catch (IOException e) {
            return new SettingsStore(file, Settings.DEFAULT, JSON.createObjectNode());
        }
    }

    public Path file() {
        return file;
    }

    public Settings current() {
        return current;
    }

    public synchronized void save(Settings settings) throws IOException {
        var object = raw.deepCopy();
        object.put("theme", settings.theme().name().toLowerCase(Locale.ROOT));
        Files.createDirectories(file.toAbsolutePath().getParent());
        var tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), object);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        raw = object;
        current = settings;
    }

    private static Settings parse(ObjectNode object) {
        return new Settings(theme(object.get("theme")));
    }

    private static Theme theme(JsonNode node) {
        if (node == null || !node.isTextual()) return Settings.DEFAULT.theme();
        try {
            return Theme.valueOf(node.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Settings.DEFAULT.theme();
        }
    }

    /// The Settings section's other choices (Hub endpoint, GPU library, default load options and sampling).
    public Preferences preferences() {
        return preferences;
    }

    /// Saves `next` under its own keys; the theme and every other key stay as they are in the file.
    public synchronized void savePreferences(Preferences next) throws IOException {
        var object = raw.deepCopy();
        PreferencesJson.write(next, object);
        Files.createDirectories(file.toAbsolutePath().getParent());
        var tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), object);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        raw = object;
        preferences = next;
    }
}
