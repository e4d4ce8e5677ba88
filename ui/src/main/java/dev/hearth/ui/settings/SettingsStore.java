package dev.hearth.ui.settings;

import dev.hearth.inference.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/// Reads and writes the settings file (JSON). Writes go to a temporary file that is then moved into place,
/// so a crash never leaves half a file. Keys this version does not know are kept as they were. The command line
/// (`hearth models folders`) reads and writes the same file.
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

    /// Opens the settings at `file`; a missing or unreadable file gives the defaults.
    public static SettingsStore open(Path file) {
        var object = read(file);
        return new SettingsStore(file, parse(object), object);
    }

    private static ObjectNode read(Path file) {
        if (!Files.exists(file)) return JSON.createObjectNode();
        try {
            return JSON.readTree(file.toFile()) instanceof ObjectNode o ? o : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    public Path file() {
        return file;
    }

    public Settings current() {
        return current;
    }

    public synchronized void save(Settings settings) throws IOException {
        write(raw, settings);
    }

    /// Reads the file again (another Hearth process, such as `hearth models folders add`, may have changed it),
    /// applies `change` and saves; returns what was saved. Keys this version does not know are kept.
    public synchronized Settings update(UnaryOperator<Settings> change) throws IOException {
        var fresh = read(file);
        var next = change.apply(parse(fresh));
        write(fresh, next);
        return next;
    }

    private void write(ObjectNode base, Settings settings) throws IOException {
        var object = base.deepCopy();
        object.put("theme", settings.theme().name().toLowerCase(Locale.ROOT));
        var folders = object.putArray("modelFolders");
        settings.modelFolders().forEach(p -> folders.add(p.toString()));
        AtomicFile.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, object));
        raw = object;
        current = settings;
    }

    private static Settings parse(ObjectNode object) {
        return new Settings(theme(object.get("theme")), folders(object.get("modelFolders")));
    }

    /// The folders as written; entries that are not absolute paths are dropped (a hand edit gone wrong).
    private static List<Path> folders(@Nullable JsonNode node) {
        if (node == null || !node.isArray()) return List.of();
        var folders = new ArrayList<Path>();
        for (var item : node) {
            if (!item.isTextual()) continue;
            try {
                var path = Path.of(item.asText());
                if (path.isAbsolute()) folders.add(path);
            } catch (InvalidPathException _) {
                // skipped
            }
        }
        return folders;
    }

    private static Theme theme(@Nullable JsonNode node) {
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
        AtomicFile.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, object));
        raw = object;
        preferences = next;
    }
}
