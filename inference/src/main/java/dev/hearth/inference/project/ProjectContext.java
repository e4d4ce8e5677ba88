package dev.hearth.inference.project;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// The files a user put into a project's context, in the order added, each read once with its hash and token
/// count. [#refresh()] notices files changed on disk since (size or modification time first, then the hash) and
/// re-reads them. Not thread-safe: use it from one thread at a time.
public final class ProjectContext {
    private final ProjectFiles project;
    private TokenCount count;
    private final Map<String, ContextFile> files = new LinkedHashMap<>();

    public ProjectContext(ProjectFiles project, TokenCount count) {
        this.project = project;
        this.count = count;
    }

    /// The project's files.
    public ProjectFiles project() {
        return project;
    }

    /// The files in context, in the order added.
    public List<ContextFile> files() {
        return List.copyOf(files.values());
    }

    /// Whether `path` is in the context.
    public boolean contains(String path) {
        return files.containsKey(path);
    }

    /// Adds (or re-reads) the file at `path` (relative to the project). Throws [ProjectException] with the reason
    /// when the file is not listed (ignored, outside, missing) or not includable (binary, too large, a link out).
    public ContextFile add(String path) {
        var file = project.file(path).orElseThrow(() -> new ProjectException(path + " is not a file of the project"));
        if (!file.includable()) {
            throw new ProjectException(path + " cannot be included: " + java.util.Objects.requireNonNull(file.exclusion()).reason());
        }
        var read = read(file);
        files.put(file.path(), read);
        return read;
    }

    /// Adds every includable file of the listing under `folder` ("" for all); returns those added.
    public List<ContextFile> addFolder(ProjectFiles.Listing listing, String folder) {
        var prefix = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
        var added = new ArrayList<ContextFile>();
        for (var f : listing.includable()) {
            if (f.path().startsWith(prefix)) {
                var read = read(f);
                files.put(f.path(), read);
                added.add(read);
            }
        }
        return added;
    }

    /// Takes `path` out of the context; false when it was not in it.
    public boolean remove(String path) {
        return files.remove(path) != null;
    }

    public void clear() {
        files.clear();
    }

    /// Counts every file again with another tokenizer (a model was loaded or changed).
    public void recount(TokenCount newCount) {
        this.count = newCount;
        files.replaceAll((_, f) -> f.withTokens(newCount.count(f.text())));
    }

    /// A file in context that changed on disk, or went away, since it was read.
    public record Change(String path, Kind kind, String oldSha256, String newSha256) {
        public enum Kind { CHANGED, GONE }
    }

    /// Re-reads the files whose size or modification time differ from when they were read and whose content hash
    /// changed; files that are gone (or no longer includable) leave the context. Returns what changed.
    public List<Change> refresh() {
        var changes = new ArrayList<Change>();
        for (var path : List.copyOf(files.keySet())) {
            var old = files.get(path);
            var now = project.file(path).filter(ProjectFile::includable);
            if (now.isEmpty()) {
                files.remove(path);
                changes.add(new Change(path, Change.Kind.GONE, old.sha256(), ""));
                continue;
            }
            var f = now.get();
            if (f.size() == old.size() && f.modifiedMillis() == old.modifiedMillis()) continue;
            ContextFile read;
            try {
                read = read(f);
            } catch (ProjectException e) {
                files.remove(path);
                changes.add(new Change(path, Change.Kind.GONE, old.sha256(), ""));
                continue;
            }
            files.put(path, read);
            if (!read.sha256().equals(old.sha256())) {
                changes.add(new Change(path, Change.Kind.CHANGED, old.sha256(), read.sha256()));
            }
        }
        return changes;
    }

    private ContextFile read(ProjectFile file) {
        byte[] bytes;
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file.file(), BasicFileAttributes.class);
            bytes = Files.readAllBytes(file.file());
            // the link (if any) must still lead inside the project when read
            if (!file.file().toRealPath().startsWith(project.root())) {
                throw new ProjectException(file.path() + " links outside the project");
            }
        } catch (IOException e) {
            throw new ProjectException("cannot read " + file.path() + ": " + e.getMessage());
        }
        var text = decode(bytes);
        var modified = attrs.lastModifiedTime().toMillis();
        return new ContextFile(file.path(), sha256(bytes), bytes.length, modified, text, count.count(text));
    }

    /// A file's bytes as text, as the context reads them: UTF-8, or ISO-8859-1 when they are not valid UTF-8.
    public static String decodeText(byte[] bytes) {
        return decode(bytes);
    }

    /// UTF-8, or ISO-8859-1 when the bytes are not valid UTF-8 (every byte is then one character).
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /// The SHA-256 of `bytes` in lower-case hex.
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
