package dev.hearth.inference.project;

/// A file in the context as it was read: its path relative to the project, its content's SHA-256 (hex), the size
/// and modification time it had when read (to notice changes cheaply), its text and its token count.
public record ContextFile(String path, String sha256, long size, long modifiedMillis, String text, int tokens) {
    public ContextFile {
        if (sha256.length() != 64) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        if (tokens < 0) throw new IllegalArgumentException("tokens < 0: " + tokens);
    }

    ContextFile withTokens(int n) {
        return new ContextFile(path, sha256, size, modifiedMillis, text, n);
    }
}
