package dev.hearth.inference.project.edit;

import java.util.List;

/// One change in a file's preview, accepted or rejected on its own: lines `oldStart…` of the file as it is
/// (`oldLines`, possibly none: an insertion) become `newLines` (possibly none: a deletion), shown with up to three
/// unchanged lines around it. Lines are given without their terminators; numbers are 1-based.
public record EditHunk(int index, int oldStart, List<String> oldLines, int newStart, List<String> newLines,
        List<String> before, List<String> after) {
    public EditHunk {
        oldLines = List.copyOf(oldLines);
        newLines = List.copyOf(newLines);
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    /// The hunk as unified-diff text (`@@ -3,2 +3,3 @@`, then ` `, `-` and `+` lines).
    public String unified() {
        int oldCount = before.size() + oldLines.size() + after.size();
        int newCount = before.size() + newLines.size() + after.size();
        var b = new StringBuilder("@@ -%d,%d +%d,%d @@\n".formatted(
                Math.max(0, oldStart - before.size()), oldCount, Math.max(0, newStart - before.size()), newCount));
        for (var l : before) b.append(' ').append(l).append('\n');
        for (var l : oldLines) b.append('-').append(l).append('\n');
        for (var l : newLines) b.append('+').append(l).append('\n');
        for (var l : after) b.append(' ').append(l).append('\n');
        return b.toString();
    }
}
