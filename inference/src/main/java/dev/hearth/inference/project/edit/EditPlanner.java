package dev.hearth.inference.project.edit;

import com.github.difflib.patch.ChangeDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// Turns the edits of an answer into a preview against the project's files: one [FileChange] per file (the edits
/// for one file apply in the order written), and an [EditProblem] for every edit that cannot apply. Reads files
/// (through [ProjectPaths], so never outside the root); writes nothing.
public final class EditPlanner {
    /// Larger files are not edited.
    public static final long MAX_FILE_BYTES = 4L << 20;

    private EditPlanner() {}

    /// The preview: files that would change, and what could not be applied.
    public record Plan(List<FileChange> files, List<EditProblem> problems) {
        public Plan {
            files = List.copyOf(files);
            problems = List.copyOf(problems);
        }

        /// A message for the model about [#problems()] (empty when there are none).
        public String followUp() {
            return problems.isEmpty() ? "" : EditProblem.followUp(problems);
        }
    }

    /// Parses `answer` and previews its edits against `root`.
    public static Plan plan(Path root, String answer) {
        var parsed = EditParser.parse(answer);
        var plan = plan(root, parsed.edits());
        if (parsed.problems().isEmpty()) return plan;
        var problems = new ArrayList<EditProblem>();
        parsed.problems().forEach(p -> problems.add(new EditProblem.Unreadable(p)));
        problems.addAll(plan.problems());
        return new Plan(plan.files(), problems);
    }

    public static Plan plan(Path root, List<ProposedEdit> edits) {
        var byPath = new LinkedHashMap<String, List<ProposedEdit>>();
        for (var e : edits) byPath.computeIfAbsent(ProjectPaths.normalize(e.path()), _ -> new ArrayList<>()).add(e);
        var files = new ArrayList<FileChange>();
        var problems = new ArrayList<EditProblem>();
        for (var entry : byPath.entrySet()) {
            var change = planFile(root, entry.getKey(), entry.getValue(), problems);
            if (change != null) files.add(change);
        }
        return new Plan(files, problems);
    }

    private static @Nullable FileChange planFile(Path root, String path, List<ProposedEdit> edits,
            List<EditProblem> problems) {
        int firstBlock = edits.getFirst().block();
        byte[] bytes = null;
        String original = "";
        try {
            var file = ProjectPaths.resolve(root, path);
            if (Files.exists(file)) {
                if (Files.size(file) > MAX_FILE_BYTES) {
                    refuseAll(edits, "the file is larger than " + (MAX_FILE_BYTES >> 20) + " MiB; Hearth does not edit it.", problems);
                    return null;
                }
                bytes = Files.readAllBytes(file);
                var text = text(bytes);
                if (text == null) {
                    refuseAll(edits, "the file is binary or not UTF-8 text; Hearth does not edit it.", problems);
                    return null;
                }
                original = text;
            }
        } catch (EditException e) {
            refuseAll(edits, reasonOf(e), problems);
            return null;
        } catch (IOException e) {
            problems.add(new EditProblem.Refused(path, firstBlock, "the file cannot be read (" + e.getMessage() + ")."));
            return null;
        }
        var start = bytes == null ? null : original.replace("\r\n", "\n");
        String working = start;
        boolean delete = false;
        for (var edit : edits) {
            switch (edit) {
                case ProposedEdit.WholeFile w -> {
                    working = w.content().replace("\r\n", "\n");
                    delete = false;
                }
                case ProposedEdit.SearchReplace sr -> {
                    var search = sr.search().replace("\r\n", "\n");
                    var replace = sr.replace().replace("\r\n", "\n");
                    if (search.isEmpty()) {
                        var base = working == null ? "" : working;
                        working = base.isEmpty() || base.endsWith("\n") ? base + replace : base + "\n" + replace;
                    } else if (working == null) {
                        problems.add(new EditProblem.Refused(path, sr.block(),
                                "the file does not exist, so its SEARCH lines cannot be found (an empty SEARCH creates a file)."));
                    } else {
                        var replaced = replaceOnce(working, search, replace);
                        if (replaced == null) problems.add(notFound(path, sr.block(), search, working));
                        else working = replaced;
                    }
                }
                case ProposedEdit.UnifiedDiff d -> {
                    if (d.deleted()) {
                        if (working == null) {
                            problems.add(new EditProblem.Refused(path, d.block(), "the diff deletes a file that does not exist."));
                        } else {
                            working = "";
                            delete = true;
                        }
                    } else if (d.created() && (working == null || working.isEmpty())) {
                        var content = new StringBuilder();
                        for (var h : d.hunks()) for (var l : h.newLines()) content.append(l).append('\n');
                        working = content.toString();
                    } else if (working == null) {
                        problems.add(new EditProblem.Refused(path, d.block(), "the diff changes a file that does not exist."));
                    } else {
                        working = applyDiff(path, d, working, problems);
                    }
                }
            }
        }
        if (working == null) return null;
        if (!delete && working.equals(start)) return null;
        return new FileChange(path, bytes, original, working, delete);
    }

    private static void refuseAll(List<ProposedEdit> edits, String reason, List<EditProblem> problems) {
        for (var e : edits) problems.add(new EditProblem.Refused(e.path(), e.block(), reason));
    }

    private static String reasonOf(EditException e) {
        var m = e.getMessage() == null ? "refused" : e.getMessage();
        int colon = m.indexOf(": ");
        return colon > 0 && m.startsWith("Refused to edit") ? m.substring(colon + 2) : m;
    }

    /// The text of a file, or null when it is binary (a NUL byte) or not valid UTF-8.
    static @Nullable String text(byte[] bytes) {
        for (byte b : bytes) if (b == 0) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /// `text` with the first exact occurrence of `search` replaced; at the very end of a file without a final
    /// newline, a search that ends with one still matches. Null when not found.
    private static @Nullable String replaceOnce(String text, String search, String replace) {
        int at = text.indexOf(search);
        if (at >= 0) return text.substring(0, at) + replace + text.substring(at + search.length());
        if (!text.endsWith("\n") && search.endsWith("\n")) {
            var withEnd = text + "\n";
            at = withEnd.indexOf(search);
            if (at >= 0) {
                var result = withEnd.substring(0, at) + replace + withEnd.substring(at + search.length());
                return result.endsWith("\n") && at + search.length() == withEnd.length()
                        ? result.substring(0, result.length() - 1) : result;
            }
        }
        return null;
    }

    /// Applies a diff's hunks: with java-diff-utils at the line numbers written when they are right, otherwise each
    /// hunk where its old lines are found (models often get the numbers wrong).
    private static String applyDiff(String path, ProposedEdit.UnifiedDiff d, String working, List<EditProblem> problems) {
        boolean finalNewline = working.isEmpty() || working.endsWith("\n");
        var lines = new ArrayList<>(List.of((finalNewline && !working.isEmpty()
                ? working.substring(0, working.length() - 1) : working).split("\n", -1)));
        if (working.isEmpty()) lines.clear();
        List<String> result = null;
        if (d.hunks().stream().allMatch(h -> h.oldStart() != null)) {
            var patch = new Patch<String>();
            for (var h : d.hunks()) {
                int at = Math.max(0, h.oldStart() - 1);
                patch.addDelta(new ChangeDelta<>(new Chunk<>(at, h.oldLines()), new Chunk<>(at, h.newLines())));
            }
            try {
                result = patch.applyTo(lines);
            } catch (PatchFailedException | RuntimeException e) {
                result = null;
            }
        }
        if (result == null) {
            result = new ArrayList<>(lines);
            int cursor = 0;
            for (var h : d.hunks()) {
                if (h.oldLines().isEmpty()) {
                    int at = h.oldStart() == null ? result.size() : Math.min(result.size(), Math.max(0, h.oldStart() - 1));
                    result.addAll(at, h.newLines());
                    cursor = at + h.newLines().size();
                    continue;
                }
                int at = indexOf(result, h.oldLines(), cursor);
                if (at < 0) at = indexOf(result, h.oldLines(), 0);
                if (at < 0) {
                    var joined = String.join("\n", h.oldLines()) + "\n";
                    problems.add(notFound(path, d.block(), joined, String.join("\n", result) + "\n"));
                    continue;
                }
                for (int k = 0; k < h.oldLines().size(); k++) result.remove(at);
                result.addAll(at, h.newLines());
                cursor = at + h.newLines().size();
            }
        }
        if (result.isEmpty()) return "";
        return String.join("\n", result) + (finalNewline ? "\n" : "");
    }

    private static int indexOf(List<String> lines, List<String> wanted, int from) {
        outer:
        for (int i = Math.max(0, from); i + wanted.size() <= lines.size(); i++) {
            for (int k = 0; k < wanted.size(); k++) if (!lines.get(i + k).equals(wanted.get(k))) continue outer;
            return i;
        }
        return -1;
    }

    /// A [EditProblem.NotFound] with the most similar lines of the file: the window of as many lines as the search
    /// with the most lines equal once stripped of surrounding whitespace (cheap: skipped for very large files).
    static EditProblem.NotFound notFound(String path, int block, String search, String text) {
        var want = search.lines().map(String::strip).toList();
        var have = text.lines().toList();
        int n = want.size();
        int best = -1;
        int bestScore = 0;
        if (n > 0 && (long) n * have.size() <= 4_000_000L) {
            for (int s = 0; s + n <= have.size(); s++) {
                int score = 0;
                for (int k = 0; k < n; k++) if (!want.get(k).isEmpty() && have.get(s + k).strip().equals(want.get(k))) score++;
                if (score > bestScore) {
                    bestScore = score;
                    best = s;
                }
            }
        }
        if (best < 0) return new EditProblem.NotFound(path, block, search, "", 0, false);
        var nearest = String.join("\n", have.subList(best, best + n)) + "\n";
        long nonBlank = want.stream().filter(w -> !w.isEmpty()).count();
        boolean whitespace = true;
        for (int k = 0; k < n; k++) if (!have.get(best + k).strip().equals(want.get(k))) whitespace = false;
        return new EditProblem.NotFound(path, block, search, nearest, best + 1, whitespace && nonBlank > 0);
    }
}
