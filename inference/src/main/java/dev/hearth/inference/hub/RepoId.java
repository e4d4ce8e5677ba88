package dev.hearth.inference.hub;

import java.util.regex.Pattern;

/// A Hub model repository, `owner/name`. Both parts are checked so that a repository id is always safe as
/// two folder names and as two URL path segments.
public record RepoId(String owner, String name) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");

    public RepoId {
        check(owner, "owner");
        check(name, "name");
    }

    /// Parses `owner/name`; throws [IllegalArgumentException] with a plain message otherwise.
    public static RepoId parse(String text) {
        var slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("not a repository id (owner/name): " + text);
        }
        return new RepoId(text.substring(0, slash), text.substring(slash + 1));
    }

    private static void check(String part, String what) {
        if (!PART.matcher(part).matches() || part.contains("..") || part.endsWith(".")) {
            throw new IllegalArgumentException("not a valid repository " + what + ": '" + part + "'");
        }
    }

    @Override
    public String toString() {
        return owner + "/" + name;
    }
}
