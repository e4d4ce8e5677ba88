package dev.hearth.inference.library;

import dev.hearth.inference.AtomicFile;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/// Remembers what a reader made of a file for as long as the file's size and modification time stay the same, so a
/// library of hundreds of models reads each GGUF header once. Thread-safe.
///
/// With a cache file, what was read is also kept on disk (JSON, keyed by path + size + modification time), so the
/// next start does not read every file again. The file is only a cache: one that cannot be read, is damaged or comes
/// from another format version is ignored and rewritten; an entry that does not parse is read again from its model.
/// Writes go to a temporary file moved into place, merged with what another Hearth process wrote meanwhile, and
/// are gathered (at most one per [#SAVE_DELAY_MS] after the first), so listing 200 new models writes it a few times.
///
/// @param <T> what the reader returns (for GGUF files: the reader's model info)
public final class MetadataCache<T> {
    /// Reads a file's metadata.
    @FunctionalInterface
    public interface Reader<T> {
        T read(Path file) throws IOException;
    }

    /// Bumped when the stored shape of an entry changes; a file with another version is ignored.
    static final int FORMAT = 1;
    static final long SAVE_DELAY_MS = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScheduledExecutorService SAVER = Executors.newSingleThreadScheduledExecutor(r -> {
        var t = new Thread(r, "metadata-cache-save");
        t.setDaemon(true);
        return t;
    });

    private record Entry<T>(long size, long modifiedMillis, T value) {}

    private final Reader<T> reader;
    private final ConcurrentHashMap<Path, Entry<T>> entries = new ConcurrentHashMap<>();
    private final @Nullable Path file;
    private final @Nullable JavaType type;
    private final Object saveLock = new Object();
    private boolean saveScheduled;
    private long lastSaveNanos;

    /// A cache in memory only.
    public MetadataCache(Reader<T> reader) {
        this.reader = reader;
        this.file = null;
        this.type = null;
    }

    /// A cache kept in `file` too (created when first needed), its values stored as JSON of `type`.
    public MetadataCache(Reader<T> reader, Class<T> type, Path file) {
        this.reader = reader;
        this.file = file.toAbsolutePath().normalize();
        this.type = JSON.constructType(type);
        entries.putAll(load(this.file, this.type));
    }

    /// The metadata of `file`, read again only when its size or modification time changed.
    public T get(Path file) throws IOException {
        var key = file.toAbsolutePath().normalize();
        var attrs = Files.readAttributes(key, BasicFileAttributes.class);
        long modified = attrs.lastModifiedTime().toMillis();
        var cached = entries.get(key);
        if (cached != null && cached.size() == attrs.size() && cached.modifiedMillis() == modified) return cached.value();
        var value = reader.read(key);
        entries.put(key, new Entry<>(attrs.size(), modified, value));
        saveSoon();
        return value;
    }

    /// Forgets a file (after it was removed).
    public void forget(Path file) {
        if (entries.remove(file.toAbsolutePath().normalize()) != null) saveSoon();
    }

    public int size() {
        return entries.size();
    }

    /// Writes the cache file now (when there is one). Failures are ignored: it is only a cache.
    public void save() {
        var target = file;
        var valueType = type;
        if (target == null || valueType == null) return;
        synchronized (saveLock) {
            saveScheduled = false;
            lastSaveNanos = System.nanoTime();
            try {
                // what another process saved meanwhile is kept, ours wins for the same path
                var merged = new HashMap<Path, Entry<T>>(load(target, valueType));
                merged.putAll(entries);
                var root = JSON.createObjectNode();
                root.put("format", FORMAT);
                ArrayNode list = root.putArray("entries");
                for (var e : merged.entrySet()) {
                    if (!Files.exists(e.getKey())) continue; // a model that is gone
                    var node = list.addObject();
                    node.put("path", e.getKey().toString());
                    node.put("size", e.getValue().size());
                    node.put("modified", e.getValue().modifiedMillis());
                    node.set("value", JSON.valueToTree(e.getValue().value()));
                }
                AtomicFile.write(target, out -> JSON.writeValue(out, root));
            } catch (IOException | RuntimeException _) {
                // only a cache: the next save tries again, and a missing file means reading the models once more
            }
        }
    }

    private void saveSoon() {
        if (file == null) return;
        synchronized (saveLock) {
            if (saveScheduled) return;
            long sinceLast = (System.nanoTime() - lastSaveNanos) / 1_000_000;
            if (lastSaveNanos == 0 || sinceLast >= SAVE_DELAY_MS) {
                save();
                return;
            }
            saveScheduled = true;
            SAVER.schedule(this::save, SAVE_DELAY_MS - sinceLast, TimeUnit.MILLISECONDS);
        }
    }

    private static <T> Map<Path, Entry<T>> load(Path file, JavaType type) {
        var loaded = new HashMap<Path, Entry<T>>();
        if (!Files.isRegularFile(file)) return loaded;
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException | RuntimeException _) {
            return loaded; // damaged: ignored, and rewritten at the next save
        }
        if (root == null || root.path("format").asInt(-1) != FORMAT || !root.path("entries").isArray()) return loaded;
        for (var node : root.get("entries")) {
            try {
                var path = Path.of(node.get("path").asText());
                if (!path.isAbsolute() || !node.path("size").canConvertToLong() || !node.path("modified").canConvertToLong()) continue;
                T value = JSON.treeToValue(node.get("value"), type);
                if (value == null) continue;
                loaded.put(path, new Entry<>(node.get("size").asLong(), node.get("modified").asLong(), value));
            } catch (IOException | RuntimeException _) {
                // one bad entry: that model is read again
            }
        }
        return loaded;
    }
}
