package dev.hearth.ui.chat;

import dev.hearth.inference.AtomicFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/// Saved system prompts, by name, in a small JSON file next to the settings (`system-prompts.json`). Writes go to a
/// temporary file moved into place. An unreadable file gives no presets rather than stopping Hearth. Hearth's own
/// presets ([#BUILT_IN], such as the one that teaches the edit format) are always offered; a saved preset of the same
/// name replaces one.
public final class SystemPromptPresets {
    /// Presets Hearth brings: name → prompt.
    public static final Map<String, String> BUILT_IN = Map.of(
            dev.hearth.inference.project.edit.EditFormatPrompt.NAME, dev.hearth.inference.project.edit.EditFormatPrompt.TEXT);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final TreeMap<String, String> presets = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private SystemPromptPresets(Path file) {
        this.file = file;
    }

    /// Reads the presets at `file` (none when it does not exist or cannot be read).
    public static SystemPromptPresets open(Path file) {
        var store = new SystemPromptPresets(file);
        if (Files.exists(file)) {
            try {
                if (JSON.readTree(file.toFile()) instanceof ObjectNode object) {
                    object.properties().forEach(e -> {
                        if (e.getValue().isTextual()) store.presets.put(e.getKey(), e.getValue().asText());
                    });
                }
            } catch (IOException e) {
                // unreadable: start without presets; the file is replaced at the next save
            }
        }
        return store;
    }

    /// Name → prompt text, sorted by name.
    public synchronized Map<String, String> all() {
        var all = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(BUILT_IN);
        all.putAll(presets);
        return Map.copyOf(all);
    }

    /// Saves (or replaces) a preset and writes the file.
    public synchronized void save(String name, String text) throws IOException {
        if (name.isBlank()) throw new IllegalArgumentException("a preset needs a name");
        presets.put(name.strip(), text);
        write();
    }

    /// Removes a preset and writes the file.
    public synchronized void delete(String name) throws IOException {
        if (presets.remove(name) != null) write();
    }

    private void write() throws IOException {
        var object = JSON.createObjectNode();
        presets.forEach(object::put);
        AtomicFile.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, object));
    }
}
