package dev.hearth.inference.project;

import dev.hearth.inference.project.ProjectFile.Exclusion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.jspecify.annotations.Nullable;

/// What Hearth may include from a project folder. Walks the folder honouring every `.gitignore` (nested ones
/// included: a deeper file's rules win, `!negations` re-include, `dir/` patterns, anchoring with `/`, `**`),
/// `.ignore` files (ripgrep's; they win over `.gitignore` in the same folder) and `.git/info/exclude` (weakest).
/// The rules are JGit's own gitignore implementation ([IgnoreNode]); this class decides only which rule files
/// apply where. `.git` is never listed; an ignored folder is not entered (git cannot re-include files below it).
///
/// Listed but not includable, with the reason: binary files (a NUL byte in the first 8 KiB, as git decides),
/// files over the size limit, symbolic links leading outside the folder, and links to folders (never followed).
public final class ProjectFiles {
    /// Files larger than this are listed but not includable unless another limit is given.
    public static final long DEFAULT_SIZE_LIMIT = 512 * 1024;
    /// The listing stops after this many files (see [Listing#truncated()]).
    public static final int MAX_FILES = 50_000;
    private static final int BINARY_PROBE = 8000;

    private final Path root;
    private final long sizeLimit;

    private ProjectFiles(Path root, long sizeLimit) {
        this.root = root;
        this.sizeLimit = sizeLimit;
    }

    /// The listing of the folder `root` with the default size limit.
    public static ProjectFiles of(Path root) {
        return of(root, DEFAULT_SIZE_LIMIT);
    }

    /// The listing of the folder `root`; files over `sizeLimit` bytes are not includable.
    public static ProjectFiles of(Path root, long sizeLimit) {
        if (sizeLimit <= 0) throw new IllegalArgumentException("size limit <= 0: " + sizeLimit);
        try {
            var real = root.toRealPath();
            if (!Files.isDirectory(real)) throw new ProjectException("not a folder: " + root);
            return new ProjectFiles(real, sizeLimit);
        } catch (NoSuchFileException e) {
            throw new ProjectException("no such folder: " + root);
        } catch (IOException e) {
            throw new ProjectException("cannot open the folder " + root + ": " + e.getMessage());
        }
    }

    /// The project folder (its real path).
    public Path root() {
        return root;
    }

    /// The files of a listing in walk order (a folder's entries by name, folders entered where they sort), and
    /// whether it stopped at [#MAX_FILES].
    public record Listing(List<ProjectFile> files, boolean truncated) {
        public Listing {
            files = List.copyOf(files);
        }

        /// The files that can go into the context.
        public List<ProjectFile> includable() {
            return files.stream().filter(ProjectFile::includable).toList();
        }
    }

    /// Walks the folder. Unreadable sub-folders are skipped; an unreadable root is a [ProjectException].
    public Listing list() {
        var out = new ArrayList<ProjectFile>();
        var chain = new ArrayList<Rules>();
        var exclude = root.resolve(".git").resolve("info").resolve("exclude");
        if (Files.isRegularFile(exclude)) chain.add(new Rules("", parse(List.of(exclude))));
        try {
            boolean complete = walk(root, "", chain, out);
            return new Listing(out, !complete);
        } catch (UncheckedIOException e) {
            throw new ProjectException("cannot list " + root + ": " + e.getCause().getMessage());
        }
    }

    /// The file at `relativePath` if Hearth would list it (inside the folder, not ignored, not under `.git`);
    /// it may still be not includable. Used for `--file` and `@path`.
    public Optional<ProjectFile> file(String relativePath) {
        var rel = relativePath.replace('\\', '/');
        while (rel.startsWith("./")) rel = rel.substring(2);
        if (rel.isEmpty() || rel.startsWith("/") || Path.of(rel).isAbsolute()) return Optional.empty();
        var parts = rel.split("/");
        for (var p : parts) if (p.equals("..") || p.equals(".git") || p.isEmpty()) return Optional.empty();
        var chain = new ArrayList<Rules>();
        var exclude = root.resolve(".git").resolve("info").resolve("exclude");
        if (Files.isRegularFile(exclude)) chain.add(new Rules("", parse(List.of(exclude))));
        var dir = root;
        var dirRel = "";
        for (int i = 0; i < parts.length; i++) {
            var rules = rulesOf(dir, dirRel);
            if (rules != null) chain.add(rules);
            var entry = dir.resolve(parts[i]);
            var entryRel = dirRel.isEmpty() ? parts[i] : dirRel + "/" + parts[i];
            boolean last = i == parts.length - 1;
            if (!last) {
                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) || ignored(chain, entryRel, true)) return Optional.empty();
                dir = entry;
                dirRel = entryRel;
            } else {
                if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                        || ignored(chain, entryRel, false)) return Optional.empty();
                return Optional.of(describe(entry, entryRel));
            }
        }
        return Optional.empty();
    }

    private record Rules(String base, IgnoreNode node) {}

    private boolean walk(Path dir, String rel, List<Rules> chain, List<ProjectFile> out) {
        var rules = rulesOf(dir, rel);
        if (rules != null) chain.add(rules);
        try {
            var entries = new ArrayList<Path>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (var p : stream) entries.add(p);
            } catch (IOException e) {
                if (rel.isEmpty()) throw new UncheckedIOException(e);
                return true;
            }
            entries.sort(Comparator.comparing(p -> p.getFileName().toString()));
            for (var entry : entries) {
                var name = entry.getFileName().toString();
                if (name.equals(".git")) continue;
                var entryRel = rel.isEmpty() ? name : rel + "/" + name;
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue;
                }
                if (attrs.isDirectory()) {
                    if (ignored(chain, entryRel, true)) continue;
                    if (!walk(entry, entryRel, chain, out)) return false;
                } else if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                    boolean linkedDir = attrs.isSymbolicLink() && Files.isDirectory(entry);
                    if (ignored(chain, entryRel, linkedDir)) continue;
                    if (out.size() >= MAX_FILES) return false;
                    out.add(describe(entry, entryRel));
                }
            }
            return true;
        } finally {
            if (rules != null) chain.removeLast();
        }
    }

    private ProjectFile describe(Path entry, String rel) {
        try {
            var attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                Path target;
                try {
                    target = entry.toRealPath();
                } catch (IOException e) {
                    return new ProjectFile(rel, entry, 0, attrs.lastModifiedTime().toMillis(), Exclusion.UNREADABLE);
                }
                if (!target.startsWith(root)) {
                    return new ProjectFile(rel, entry, 0, attrs.lastModifiedTime().toMillis(), Exclusion.LINK_OUTSIDE);
                }
                if (Files.isDirectory(target)) {
                    return new ProjectFile(rel, entry, 0, attrs.lastModifiedTime().toMillis(), Exclusion.LINKED_FOLDER);
                }
                attrs = Files.readAttributes(target, BasicFileAttributes.class);
            }
            long size = attrs.size();
            long modified = attrs.lastModifiedTime().toMillis();
            if (size > sizeLimit) return new ProjectFile(rel, entry, size, modified, Exclusion.TOO_LARGE);
            return new ProjectFile(rel, entry, size, modified, looksBinary(entry) ? Exclusion.BINARY : null);
        } catch (IOException e) {
            return new ProjectFile(rel, entry, 0, 0, Exclusion.UNREADABLE);
        }
    }

    /// Whether the file's first 8,000 bytes hold a NUL byte (git's own test for binary content).
    static boolean looksBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            var head = in.readNBytes(BINARY_PROBE);
            for (byte b : head) if (b == 0) return true;
            return false;
        }
    }

    private static @Nullable Rules rulesOf(Path dir, String rel) {
        var files = new ArrayList<Path>(2);
        for (var name : List.of(".gitignore", ".ignore")) {
            var f = dir.resolve(name);
            if (Files.isRegularFile(f)) files.add(f);
        }
        return files.isEmpty() ? null : new Rules(rel, parse(files));
    }

    /// One node of the rules of these files, in order (a later file's rules win, as later lines do).
    private static IgnoreNode parse(List<Path> files) {
        var node = new IgnoreNode();
        for (var f : files) {
            try (var in = Files.newInputStream(f)) {
                node.parse(f.toString(), in);
            } catch (IOException e) {
                // an unreadable ignore file ignores nothing, as in git
            }
        }
        return node;
    }

    /// Git's precedence: the deepest folder's rules first; within one, the last matching line.
    private static boolean ignored(List<Rules> chain, String rel, boolean directory) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            var rules = chain.get(i);
            var sub = rules.base().isEmpty() ? rel : rel.substring(rules.base().length() + 1);
            Boolean r = rules.node().checkIgnored(sub, directory);
            if (r != null) return r;
        }
        return false;
    }
}
