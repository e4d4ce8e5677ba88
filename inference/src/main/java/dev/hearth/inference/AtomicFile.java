package dev.hearth.inference;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/// Writes a small file so that readers see the old content or the new one, never a part of it: the content goes to
/// a temporary file of its own in the same folder (two processes saving at once never write into each other's),
/// which then replaces the target with an atomic move (a plain replacing move where the file system has none).
/// Hearth's settings, caches and measurements are saved this way.
public final class AtomicFile {
    private AtomicFile() {}

    /// Writes the content of a file.
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /// Replaces `target` with what `content` writes, creating its folder when needed.
    public static void write(Path target, Content content) throws IOException {
        var parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        var tmp = Files.createTempFile(parent, target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
