package dev.hearth.inference.project.edit;

import java.util.List;
import org.jspecify.annotations.Nullable;

/// One edit found in an answer, before it is checked against the files. `path` is as the model wrote it (relative
/// to the project root, `/`-separated; checked by [ProjectPaths] before anything is read or written); `block` is
/// its 1-based place among the edits of the answer, so a report can say "block 3".
public sealed interface ProposedEdit {
    String path();

    int block();

    /// The whole new content of a file (a fenced block that names its path).
    record WholeFile(String path, String content, int block) implements ProposedEdit {}

    /// Replace the first exact occurrence of `search` with `replace`. An empty `search` creates the file (or appends
    /// to it when it exists).
    record SearchReplace(String path, String search, String replace, int block) implements ProposedEdit {}

    /// One file of a unified diff: its hunks, each the lines it expects (context and removed) and the lines it
    /// leaves (context and added). `created` when the old side is `/dev/null`, `deleted` when the new side is.
    record UnifiedDiff(String path, List<DiffHunk> hunks, boolean created, boolean deleted, int block)
            implements ProposedEdit {
        public UnifiedDiff {
            hunks = List.copyOf(hunks);
        }
    }

    /// A hunk of a unified diff: its old start line (1-based, null when the model wrote none), the lines it expects
    /// and the lines it writes instead, without line terminators.
    record DiffHunk(@Nullable Integer oldStart, List<String> oldLines, List<String> newLines) {
        public DiffHunk {
            oldLines = List.copyOf(oldLines);
            newLines = List.copyOf(newLines);
        }
    }
}
