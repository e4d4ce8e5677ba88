package dev.hearth.inference.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/// A Hub token kept in a file only its owner can read (`rw-------` where the file system has POSIX permissions),
/// for the token a user enters in Hearth's settings.
public record TokenFile(Path file) {

    /// The stored token, if any.
    public Optional<String> read() throws IOException {
        if (!Files.isRegularFile(file)) return Optional.empty();
        var text = Files.readString(file).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /// Replaces the stored token. The file is created with owner-only permissions before the token is written.
    public void write(String token) throws IOException {
        if (token.isBlank()) throw new IllegalArgumentException("empty token");
        Files.createDirectories(file.toAbsolutePath().getParent());
        var temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        boolean posix = file.toAbsolutePath().getParent().getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(temp);
            }
        } catch (FileAlreadyExistsException _) {
            // raced with another writer: write over it below
        }
        Files.writeString(temp, token.strip(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /// Removes the stored token.
    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }
}
