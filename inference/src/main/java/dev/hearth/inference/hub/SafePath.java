package dev.hearth.inference.hub;

import java.nio.file.Path;
import java.util.regex.Pattern;

/// Turns a file path that came from a server into a path on disk, or refuses it. A name is never trusted: it must be
/// a relative path of plain segments separated by `/`, with no `..`, `.`, empty segment, backslash, drive letter,
/// control character or leading `/`, and the result must stay inside the given folder.
public final class SafePath {
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final int MAX_LENGTH = 1024;

    private SafePath() {}

    /// Resolves `remotePath` inside `folder`, or throws [HubException.Kind#UNSAFE_PATH].
    public static Path resolve(Path folder, String remotePath) throws HubException {
        var reason = problem(remotePath);
        if (reason != null) {
            throw new HubException(HubException.Kind.UNSAFE_PATH,
                    "refused the file name '" + printable(remotePath) + "' from the server: " + reason);
        }
        var base = folder.toAbsolutePath().normalize();
        var target = base;
        for (var segment : remotePath.split("/")) target = target.resolve(segment);
        target = target.normalize();
        if (!target.startsWith(base) || target.equals(base)) {
            throw new HubException(HubException.Kind.UNSAFE_PATH,
                    "refused the file name '" + printable(remotePath) + "' from the server: it leaves the repository's folder");
        }
        return target;
    }

    /// Why `remotePath` is unsafe, or `null` when it is fine.
    static @org.jspecify.annotations.Nullable String problem(String remotePath) {
        if (remotePath.isEmpty()) return "it is empty";
        if (remotePath.length() > MAX_LENGTH) return "it is too long";
        if (remotePath.startsWith("/")) return "it is an absolute path";
        if (remotePath.indexOf('\\') >= 0) return "it contains a backslash";
        if (DRIVE.matcher(remotePath).matches()) return "it starts with a drive letter";
        for (int i = 0; i < remotePath.length(); i++) {
            char c = remotePath.charAt(i);
            if (c < 0x20 || c == 0x7f) return "it contains a control character";
            if (c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|') {
                return "it contains a character not allowed in file names (" + c + ")";
            }
        }
        for (var segment : remotePath.split("/", -1)) {
            if (segment.isEmpty()) return "it has an empty path segment";
            if (segment.equals("..")) return "it goes up a folder (..)";
            if (segment.equals(".")) return "it has a '.' segment";
            if (segment.endsWith(".") || segment.endsWith(" ")) return "a segment ends with a dot or space";
        }
        return null;
    }

    private static String printable(String s) {
        var b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
