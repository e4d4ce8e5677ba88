package dev.hearth.inference.project.edit;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/// What the edits of an answer do to one file, split into hunks to accept or reject one by one
/// ([#result(Set)] builds the content from the accepted ones). Lines keep their own terminators: unchanged lines
/// (and rejected hunks) are written back exactly as they were, new lines get the file's usual line ending (CRLF when
/// the file has any), and a file without a final newline keeps it that way unless a hunk adds lines after it.
public final class FileChange {
    /// Whether the file is created, changed or deleted.
    public enum Kind { CREATE, MODIFY, DELETE }

    private final String path;
    private final Kind kind;
    private final byte @Nullable [] before;
    private final @Nullable String beforeSha256;
    private final List<String> oldLines;
    private final List<AbstractDelta<String>> deltas;
    private final List<EditHunk> hunks;
    private final String lineEnding;

    /// @param before the file's bytes as read for the preview; null when it does not exist
    /// @param beforeText those bytes as text (empty when the file does not exist)
    /// @param afterText the proposed content with `\n` line ends
    FileChange(String path, byte @Nullable [] before, String beforeText, String afterText, boolean delete) {
        this.path = path;
        this.before = before == null ? null : before.clone();
        this.beforeSha256 = before == null ? null : sha256(before);
        this.kind = before == null ? Kind.CREATE : delete ? Kind.DELETE : Kind.MODIFY;
        this.lineEnding = beforeText.contains("\r\n") ? "\r\n" : "\n";
        this.oldLines = splitKeepingEnds(beforeText);
        var newLines = splitKeepingEnds(afterText.replace("\r\n", "\n")).stream()
                .map(l -> l.endsWith("\n") ? l.substring(0, l.length() - 1) + lineEnding : l).toList();
        this.deltas = DiffUtils.diff(oldLines, newLines, (a, b) -> bare(a).equals(bare(b))).getDeltas();
        var list = new ArrayList<EditHunk>();
        for (int i = 0; i < deltas.size(); i++) {
            var d = deltas.get(i);
            int from = d.getSource().getPosition();
            int to = from + d.getSource().size();
            list.add(new EditHunk(i, from + 1, bareAll(d.getSource().getLines()), d.getTarget().getPosition() + 1,
                    bareAll(d.getTarget().getLines()), bareAll(oldLines.subList(Math.max(0, from - 3), from)),
                    bareAll(oldLines.subList(to, Math.min(oldLines.size(), to + 3)))));
        }
        if (list.isEmpty() && kind != Kind.MODIFY) {
            // creating or deleting an empty file: one hunk with no lines, so it can still be accepted or rejected
            list.add(new EditHunk(0, 1, List.of(), 1, List.of(), List.of(), List.of()));
        }
        this.hunks = List.copyOf(list);
    }

    public String path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    public List<EditHunk> hunks() {
        return hunks;
    }

    /// The sha256 (hex) of the file as previewed; null when it did not exist.
    public @Nullable String beforeSha256() {
        return beforeSha256;
    }

    /// The file's bytes as previewed; null when it did not exist.
    public byte @Nullable [] before() {
        return before == null ? null : before.clone();
    }

    /// Every hunk's index: accept all.
    public Set<Integer> allHunks() {
        return Set.copyOf(IntStream.range(0, hunks.size()).boxed().toList());
    }

    /// The file's content with the `accepted` hunks applied and the others left as they are; null when the file is
    /// to be deleted (a deletion with every hunk accepted).
    public byte @Nullable [] result(Set<Integer> accepted) {
        if (kind == Kind.DELETE && accepted.containsAll(allHunks())) return null;
        if (deltas.isEmpty()) return before == null ? new byte[0] : before.clone();
        var out = new ArrayList<String>();
        int pos = 0;
        for (int i = 0; i < deltas.size(); i++) {
            var d = deltas.get(i);
            out.addAll(oldLines.subList(pos, d.getSource().getPosition()));
            out.addAll(accepted.contains(i) ? d.getTarget().getLines() : d.getSource().getLines());
            pos = d.getSource().getPosition() + d.getSource().size();
        }
        out.addAll(oldLines.subList(pos, oldLines.size()));
        var text = new StringBuilder();
        for (int i = 0; i < out.size(); i++) {
            var line = out.get(i);
            text.append(line);
            if (i < out.size() - 1 && !line.endsWith("\n")) text.append(lineEnding);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /// Whether accepting `accepted` changes anything on disk.
    public boolean changesWith(Set<Integer> accepted) {
        return accepted.stream().anyMatch(i -> i >= 0 && i < hunks.size());
    }

    static List<String> splitKeepingEnds(String text) {
        var lines = new ArrayList<String>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) lines.add(text.substring(start));
        return lines;
    }

    private static String bare(String line) {
        if (line.endsWith("\r\n")) return line.substring(0, line.length() - 2);
        if (line.endsWith("\n")) return line.substring(0, line.length() - 1);
        return line;
    }

    private static List<String> bareAll(List<String> lines) {
        return lines.stream().map(FileChange::bare).toList();
    }

    /// The sha256 of `bytes`, lower-case hex.
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
