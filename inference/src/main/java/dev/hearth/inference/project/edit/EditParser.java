package dev.hearth.inference.project.edit;

import com.github.difflib.patch.DeltaType;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// Finds the edits in an answer (Markdown text). Three formats, as models write them:
///
/// - **Whole file:** a fenced block whose info string names a path (` ```java src/Main.java `, ` ```src/Main.java `,
///   ` ```python:app.py `, ` ```js title="web/app.js" `), or whose first line is a comment naming it
///   (`// src/Main.java`, `# app.py`, `<!-- index.html -->`), or that follows a line holding only the path.
/// - **SEARCH/REPLACE** (aider's format): `<<<<<<< SEARCH`, the exact old lines, `=======`, the new lines,
///   `>>>>>>> REPLACE`; the path on the line before (outside or inside a fence). Later blocks without a path line
///   reuse the previous path.
/// - **Unified diff:** a ` ```diff ` (or ` ```patch `) block, or any fenced block with `---`/`+++` headers: several
///   files and hunks; `/dev/null` on the old side creates a file, on the new side deletes it. Parsed with
///   java-diff-utils; hunks without line numbers (`@@ @@`), which the library refuses, are read leniently.
///
/// A fenced block that names no path is just code and is not an edit.
public final class EditParser {
    private static final Logger LOG = Logger.getLogger(EditParser.class.getName());
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`]*)$");
    private static final Pattern SEARCH = Pattern.compile("^\\s*<{5,9} ?SEARCH\\s*$");
    private static final Pattern DIVIDER = Pattern.compile("^\\s*={5,9}\\s*$");
    private static final Pattern REPLACE = Pattern.compile("^\\s*>{5,9} ?REPLACE\\s*$");
    private static final Pattern PATH = Pattern.compile("^[\\w@+\\-~.][\\w@+\\-.~/]*$");
    private static final Pattern DOTFILE = Pattern.compile("^(?:.*/)?\\.[A-Za-z][\\w\\-.]*$");
    private static final Pattern EXTENSION = Pattern.compile(".*[A-Za-z_][\\w\\-]*\\.[A-Za-z0-9_\\-]{1,12}$");
    private static final Pattern COMMENT = Pattern.compile(
            "^\\s*(?://+|#+|--|;+|/\\*+|<!--|\\{/\\*)\\s*(?:(?:file|filename|path)\\s*:\\s*)?(\\S+?)\\s*(?:\\*/|-->|\\*/\\})?\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern HUNK = Pattern.compile("^@@.*@@.*$");
    private static final Pattern HUNK_START = Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+\\d+(?:,\\d+)? @@.*$");

    private EditParser() {}

    /// The edits of an answer and what could not be read (an unterminated SEARCH block, a block with no path).
    public record Result(List<ProposedEdit> edits, List<String> problems) {
        public Result {
            edits = List.copyOf(edits);
            problems = List.copyOf(problems);
        }

        public boolean isEmpty() {
            return edits.isEmpty() && problems.isEmpty();
        }
    }

    /// Whether `markdown` contains anything that looks like an edit (cheap enough to call per answer shown).
    public static boolean containsEdits(String markdown) {
        return !parse(markdown).isEmpty();
    }

    public static Result parse(String markdown) {
        var lines = markdown.replace("\r\n", "\n").split("\n", -1);
        var out = new Builder();
        int i = 0;
        while (i < lines.length) {
            var fence = FENCE.matcher(lines[i]);
            if (fence.matches()) {
                var marker = fence.group(1);
                var info = fence.group(2).strip();
                int end = closing(lines, i + 1, marker);
                var body = Arrays.asList(lines).subList(i + 1, end);
                if (body.stream().anyMatch(l -> SEARCH.matcher(l).matches())) {
                    var hint = pathInInfo(info);
                    if (hint == null) hint = pathBefore(lines, i);
                    searchReplace(body, 0, body.size(), hint, out);
                } else if (isDiff(info, body)) {
                    diff(body, out);
                } else {
                    wholeFile(lines, i, info, body, out);
                }
                i = end + 1;
            } else if (SEARCH.matcher(lines[i]).matches()) {
                int end = i;
                while (end < lines.length && !FENCE.matcher(lines[end]).matches()) {
                    if (REPLACE.matcher(lines[end]).matches()) {
                        end++;
                        // more blocks may follow directly, each after its own path line
                        int next = end;
                        while (next < lines.length && lines[next].isBlank()) next++;
                        if (next + 1 < lines.length && isPathLine(lines[next]) && SEARCH.matcher(lines[next + 1]).matches()) {
                            end = next + 1;
                            continue;
                        }
                        if (next < lines.length && SEARCH.matcher(lines[next]).matches()) {
                            end = next;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                searchReplace(Arrays.asList(lines), i, Math.min(end, lines.length), pathBefore(lines, i), out);
                i = Math.max(end, i + 1);
            } else {
                i++;
            }
        }
        return new Result(out.edits, out.problems);
    }

    private static final class Builder {
        final List<ProposedEdit> edits = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        int next() {
            return edits.size() + 1;
        }
    }

    private static int closing(String[] lines, int from, String marker) {
        for (int k = from; k < lines.length; k++) {
            var t = lines[k].strip();
            if (t.length() >= marker.length() && t.chars().allMatch(c -> c == marker.charAt(0))
                    && lines[k].indexOf(marker.charAt(0)) <= 3) {
                return k;
            }
        }
        return lines.length;
    }

    // ---- paths

    /// The path named by a fence's info string, if any.
    static @Nullable String pathInInfo(String info) {
        if (info.isEmpty()) return null;
        var tokens = info.split("\\s+");
        for (int t = 0; t < tokens.length; t++) {
            var token = tokens[t];
            var eq = token.indexOf('=');
            if (eq > 0) {
                var key = token.substring(0, eq).toLowerCase(Locale.ROOT);
                if (key.equals("title") || key.equals("file") || key.equals("filename") || key.equals("path")) {
                    var value = unquote(token.substring(eq + 1));
                    if (looksLikePath(value)) return value;
                }
                continue;
            }
            var colon = token.indexOf(':');
            if (t == 0 && colon > 0 && looksLikePath(token.substring(colon + 1))) return token.substring(colon + 1);
            if (looksLikePath(unquote(token))) return unquote(token);
        }
        return null;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /// Whether a line holds nothing but a path (`src/Main.java`, `` `app.py` ``, `**app.py**`, `app.py:`).
    static boolean isPathLine(String line) {
        return pathOfLine(line) != null;
    }

    private static @Nullable String pathOfLine(String line) {
        var s = line.strip();
        for (var prefix : List.of("file:", "filename:", "path:")) {
            if (s.toLowerCase(Locale.ROOT).startsWith(prefix)) s = s.substring(prefix.length()).strip();
        }
        s = trimAround(s, "**");
        s = trimAround(s, "`");
        if (s.endsWith(":")) s = s.substring(0, s.length() - 1);
        s = trimAround(s, "**");
        s = trimAround(s, "`");
        return looksLikePath(s) ? s : null;
    }

    private static String trimAround(String s, String mark) {
        return s.length() > 2 * mark.length() && s.startsWith(mark) && s.endsWith(mark)
                ? s.substring(mark.length(), s.length() - mark.length()).strip() : s;
    }

    /// A relative or absolute path with a file name that has an extension, or with a folder part (`src/Makefile`).
    /// Unsafe paths (`../x`, `/etc/passwd`) look like paths here on purpose: they are refused, and reported, later.
    static boolean looksLikePath(String s) {
        if (s.isEmpty() || s.length() > 300 || s.startsWith("http:") || s.startsWith("https:")) return false;
        var bare = s.startsWith("/") ? s.substring(1) : s;
        if (bare.isEmpty() || !PATH.matcher(bare).matches() || bare.endsWith("/") || bare.endsWith(".")) return false;
        return EXTENSION.matcher(bare).matches() || DOTFILE.matcher(bare).matches() || (bare.contains("/") && bare.chars().anyMatch(Character::isLetter));
    }

    /// The path on the line before a fence or a SEARCH marker (skipping blank lines and an opening fence).
    private static @Nullable String pathBefore(String[] lines, int index) {
        int k = index - 1;
        while (k >= 0 && lines[k].isBlank()) k--;
        if (k >= 0 && FENCE.matcher(lines[k]).matches()) {
            var inInfo = pathInInfo(FENCE.matcher(lines[k]).replaceFirst("$2").strip());
            if (inInfo != null) return inInfo;
            k--;
            while (k >= 0 && lines[k].isBlank()) k--;
        }
        return k >= 0 ? pathOfLine(lines[k]) : null;
    }

    // ---- whole files

    private static void wholeFile(String[] lines, int fenceLine, String info, List<String> body, Builder out) {
        var path = pathInInfo(info);
        var content = body;
        if (path == null && !body.isEmpty()) {
            var comment = COMMENT.matcher(body.getFirst());
            if (comment.matches() && looksLikePath(comment.group(1))) {
                path = comment.group(1);
                content = body.subList(1, body.size());
            }
        }
        if (path == null) {
            int k = fenceLine - 1;
            if (k >= 0 && !lines[k].isBlank()) path = pathOfLine(lines[k]);
            else if (k >= 1 && lines[k].isBlank()) path = pathOfLine(lines[k - 1]);
        }
        if (path == null) return;
        out.edits.add(new ProposedEdit.WholeFile(path, joinLines(content), out.next()));
    }

    private static String joinLines(List<String> lines) {
        if (lines.isEmpty()) return "";
        return String.join("\n", lines) + "\n";
    }

    // ---- SEARCH/REPLACE

    private static void searchReplace(List<String> lines, int from, int to, @Nullable String hint, Builder out) {
        var path = hint;
        int i = from;
        while (i < to) {
            var line = lines.get(i);
            if (!SEARCH.matcher(line).matches()) {
                var named = pathOfLine(line);
                if (named != null && i + 1 < to && SEARCH.matcher(lines.get(i + 1)).matches()) path = named;
                i++;
                continue;
            }
            int divider = -1;
            int replace = -1;
            for (int k = i + 1; k < to; k++) {
                if (divider < 0 && DIVIDER.matcher(lines.get(k)).matches()) divider = k;
                else if (divider >= 0 && REPLACE.matcher(lines.get(k)).matches()) {
                    replace = k;
                    break;
                } else if (SEARCH.matcher(lines.get(k)).matches()) break;
            }
            int block = out.next();
            if (divider < 0 || replace < 0) {
                out.problems.add("A SEARCH/REPLACE block" + (path == null ? "" : " for " + path)
                        + " is not complete (it needs <<<<<<< SEARCH, =======, >>>>>>> REPLACE); it was skipped.");
                i = divider < 0 ? i + 1 : divider + 1;
                continue;
            }
            if (path == null) {
                out.problems.add("A SEARCH/REPLACE block names no file (write the path on the line before it); it was skipped.");
            } else {
                out.edits.add(new ProposedEdit.SearchReplace(path, joinLines(lines.subList(i + 1, divider)),
                        joinLines(lines.subList(divider + 1, replace)), block));
            }
            i = replace + 1;
        }
    }

    // ---- unified diffs

    private static boolean isDiff(String info, List<String> body) {
        var lang = info.isEmpty() ? "" : info.split("\\s+")[0].toLowerCase(Locale.ROOT);
        boolean headers = false;
        for (int k = 0; k + 1 < body.size(); k++) {
            if (body.get(k).startsWith("--- ") && body.get(k + 1).startsWith("+++ ")) {
                headers = true;
                break;
            }
        }
        return headers || ((lang.equals("diff") || lang.equals("patch") || lang.equals("udiff"))
                && body.stream().anyMatch(l -> l.startsWith("@@")));
    }

    private static void diff(List<String> body, Builder out) {
        List<DiffFile> files = new ArrayList<>();
        try {
            var text = String.join("\n", body) + "\n";
            var parsed = UnifiedDiffReader.parseUnifiedDiff(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            for (var f : parsed.getFiles()) {
                var hunks = new ArrayList<ProposedEdit.DiffHunk>();
                for (var d : f.getPatch().getDeltas()) {
                    Integer start = d.getType() == DeltaType.INSERT && d.getSource().getLines().isEmpty()
                            && d.getSource().getPosition() == 0 ? Integer.valueOf(1) : d.getSource().getPosition() + 1;
                    hunks.add(new ProposedEdit.DiffHunk(start, d.getSource().getLines(), d.getTarget().getLines()));
                }
                files.add(new DiffFile(f.getFromFile(), f.getToFile(), hunks));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "java-diff-utils refused a diff; reading it leniently", e);
            files.clear();
        }
        if (files.isEmpty() || files.stream().allMatch(f -> f.hunks().isEmpty())) files = lenient(body);
        if (files.isEmpty()) {
            out.problems.add("A diff block has no file headers (--- a/path, +++ b/path); it was skipped.");
            return;
        }
        for (var f : files) {
            var from = stripPrefix(f.from());
            var to = stripPrefix(f.to());
            boolean created = from == null;
            boolean deleted = to == null;
            var path = deleted ? from : to;
            if (path == null) continue;
            out.edits.add(new ProposedEdit.UnifiedDiff(path, f.hunks(), created, deleted, out.next()));
        }
    }

    private record DiffFile(@Nullable String from, @Nullable String to, List<ProposedEdit.DiffHunk> hunks) {}

    private static @Nullable String stripPrefix(@Nullable String name) {
        if (name == null) return null;
        var s = name.strip();
        int tab = s.indexOf('\t');
        if (tab > 0) s = s.substring(0, tab);
        if (s.equals("/dev/null") || s.isEmpty()) return null;
        if (s.startsWith("a/") || s.startsWith("b/")) s = s.substring(2);
        return s;
    }

    /// Reads `---`/`+++` headers and `@@` hunks whatever their numbers say (or when they have none).
    private static List<DiffFile> lenient(List<String> block) {
        int size = block.size();
        while (size > 0 && block.get(size - 1).isBlank()) size--;
        var body = block.subList(0, size);
        var files = new ArrayList<DiffFile>();
        String from = null;
        String to = null;
        List<ProposedEdit.DiffHunk> hunks = null;
        List<String> old = null;
        List<String> now = null;
        Integer start = null;
        for (int k = 0; k < body.size(); k++) {
            var line = body.get(k);
            if (line.startsWith("--- ") && k + 1 < body.size() && body.get(k + 1).startsWith("+++ ")) {
                if (hunks != null && old != null) hunks.add(new ProposedEdit.DiffHunk(start, old, now));
                if (hunks != null) files.add(new DiffFile(from, to, hunks));
                from = headerName(line);
                to = headerName(body.get(k + 1));
                hunks = new ArrayList<>();
                old = null;
                now = null;
                k++;
            } else if (hunks != null && HUNK.matcher(line).matches()) {
                if (old != null) hunks.add(new ProposedEdit.DiffHunk(start, old, now));
                var m = HUNK_START.matcher(line);
                start = m.matches() ? Integer.valueOf(m.group(1)) : null;
                old = new ArrayList<>();
                now = new ArrayList<>();
            } else if (old != null && now != null) {
                if (line.startsWith("-")) old.add(line.substring(1));
                else if (line.startsWith("+")) now.add(line.substring(1));
                else if (line.startsWith(" ") || line.isEmpty()) {
                    var text = line.isEmpty() ? "" : line.substring(1);
                    old.add(text);
                    now.add(text);
                }
                // "\ No newline at end of file" and anything else: ignored
            }
        }
        if (hunks != null && old != null) hunks.add(new ProposedEdit.DiffHunk(start, old, now));
        if (hunks != null) files.add(new DiffFile(from, to, hunks));
        return files;
    }

    private static String headerName(String header) {
        return header.substring(4);
    }
}
