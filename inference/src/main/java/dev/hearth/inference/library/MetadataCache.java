package dev.hearth.inference.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/// Remembers what a reader made of a file for as long as the file's size and modification time stay the same, so a
/// library of hundreds of models reads each GGUF header once. Thread-safe.
///
/// @param <T> what the reader returns (for GGUF files: the reader's model info)
public final class MetadataCache<T> {
    /// Reads a file's metadata.
    @FunctionalInterface
    public interface Reader<T> {
        T read(Path file) throws IOException;
    }

    private record Entry<T>(long size, Instant modified, T value) {}

    private final Reader<T> reader;
    private final ConcurrentHashMap<Path, Entry<T>> entries = new ConcurrentHashMap<>();

    public MetadataCache(Reader<T> reader) {
        this.reader = reader;
    }

    /// The metadata of `file`, read again only when its size or modification time changed.
    public T get(Path file) throws IOException {
        var key = file.toAbsolutePath().normalize();
        var attrs = Files.readAttributes(key, BasicFileAttributes.class);
        var modified = attrs.lastModifiedTime().toInstant();
        var cached = entries.get(key);
        if (cached != null && cached.size() == attrs.size() && cached.modified().equals(modified)) return cached.value();
        var value = reader.read(key);
        entries.put(key, new Entry<>(attrs.size(), modified, value));
        return value;
    }

    /// Forgets a file (after it was removed).
    public void forget(Path file) {
        entries.remove(file.toAbsolutePath().normalize());
    }

    public int size() {
        return entries.size();
    }
}
