package dev.hearth.inference.project.edit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// Keeps edits inside the project root. A path from an answer must be relative, `/`-separated, with no `..`, `.`,
/// empty or `.git` segment, no backslash, drive letter or control character. At write time (and before a file is
/// read for a preview) the real path is checked too: every existing folder on the way must resolve, through any
/// symbolic links, to a folder inside the root's real path, and the file itself must not be a symbolic link (Hearth
/// never writes through a link, wherever it points). A folder swapped for a link between this check and the write
/// is not caught: the check narrows that window to the moment of writing, it cannot close it.
public final class ProjectPaths {
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final int MAX_LENGTH = 1024;

    private ProjectPaths() {}

    /// The path as it will be used: stripped, without a leading `./`.
    public static String normalize(String path) {
        var p = path.strip();
        while (p.startsWith("./")) p = p.substring(2);
        return p;
    }

    /// Why `path` may not be edited, or null when its spelling is fine.
    public static @Nullable String problem(String path) {
        var p = normalize(path);
        if (p.isEmpty()) return "the path is empty";
        if (p.length() > MAX_LENGTH) return "the path is too long";
        if (p.startsWith("/") || p.startsWith("\\")) return "it is an absolute path";
        if (DRIVE.matcher(p).matches()) return "it starts with a drive letter";
        if (p.startsWith("~")) return "it starts with ~ (a home folder)";
        if (p.indexOf('\\') >= 0) return "it contains a backslash";
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < 0x20 || c == 0x7f) return "it contains a control character";
        }
        for (var segment : p.split("/", -1)) {
            if (segment.isEmpty()) return "it has an empty path segment";
            if (segment.equals("..")) return "it goes up a folder (..), out of the project";
            if (segment.equals(".")) return "it has a '.' segment";
            if (segment.equals(".git")) return "it is inside .git";
        }
        return null;
    }

    /// The real path at which `path` is read or written inside `root`, after every check above; creates nothing.
    /// Throws [EditException.Kind#UNSAFE_PATH] with the reason.
    public static Path resolve(Path root, String path) throws EditException {
        var p = normalize(path);
        var reason = problem(p);
        if (reason != null) throw unsafe(path, reason);
        Path rootReal;
        try {
            rootReal = root.toRealPath();
        } catch (IOException e) {
            throw new EditException(EditException.Kind.IO, "The project folder " + root + " cannot be read: " + e.getMessage(), e);
        }
        var segments = p.split("/");
        var current = rootReal;
        int i = 0;
        for (; i < segments.length - 1; i++) {
            var next = current.resolve(segments[i]);
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) break;
            Path real;
            try {
                real = next.toRealPath();
            } catch (IOException e) {
                throw unsafe(path, "the folder " + rootReal.relativize(next) + " is a broken link");
            }
            if (!real.startsWith(rootReal)) {
                throw unsafe(path, "the folder " + rootReal.relativize(next) + " is a link that leads outside the project");
            }
            if (!Files.isDirectory(real)) throw unsafe(path, rootReal.relativize(next) + " is a file, not a folder");
            current = real;
        }
        for (; i < segments.length; i++) current = current.resolve(segments[i]);
        if (Files.isSymbolicLink(current)) {
            throw unsafe(path, "the file is a symbolic link; Hearth does not write through links");
        }
        if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) throw unsafe(path, "it is a folder");
        if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(current, LinkOption.NOFOLLOW_LINKS)) {
            throw unsafe(path, "it is not a regular file");
        }
        if (!current.startsWith(rootReal)) throw unsafe(path, "it leaves the project");
        return current;
    }

    private static EditException unsafe(String path, String reason) {
        return new EditException(EditException.Kind.UNSAFE_PATH, "Refused to edit " + printable(path) + ": " + reason + ".");
    }

    static String printable(String s) {
        var b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
