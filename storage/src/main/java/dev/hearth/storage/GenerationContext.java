package dev.hearth.storage;

import java.util.List;
import org.jspecify.annotations.Nullable;

/// What was in a generation's context besides the conversation: the project, its files (in the order they went
/// into the prompt, each with the SHA-256 of the content sent and its token count) and the repo map's budget
/// and size (both null when no repo map was asked for).
public record GenerationContext(@Nullable Long projectId, List<File> files, @Nullable Integer repoMapBudget,
        @Nullable Integer repoMapTokens) {

    /// One file: its path relative to the project, its content's SHA-256 (hex) and its tokens.
    public record File(String path, String sha256, int tokens) {
        public File {
            if (path.isBlank()) throw new IllegalArgumentException("blank path");
            if (sha256.length() != 64) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
    }

    public GenerationContext {
        files = List.copyOf(files);
    }
}
