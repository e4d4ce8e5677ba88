package dev.hearth.ui.history;

import com.github.difflib.DiffUtils;
import dev.hearth.storage.Generation;
import dev.hearth.storage.GenerationStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// Two generations side by side: a word-level diff of their outputs (java-diff-utils) and the parameters and
/// stats in which they differ.
///
/// @param left    the first generation (the diff's "before")
/// @param right   the second (its "after")
/// @param words   the outputs as a run of equal, deleted (only in `left`) and inserted (only in `right`) pieces
/// @param rows    every compared field, differing or not
public record Comparison(Generation left, Generation right, List<Piece> words, List<Row> rows) {

    public enum Change { EQUAL, DELETE, INSERT }

    /// A run of words (with the spaces between them) that is in both outputs, or in one only.
    public record Piece(Change change, String text) {}

    /// One compared field.
    public record Row(String field, String left, String right) {
        public boolean differs() {
            return !left.equals(right);
        }
    }

    private static final Pattern WORDS = Pattern.compile("\\s+|[\\p{L}\\p{N}_]+|[^\\s\\p{L}\\p{N}_]");

    /// Splits text into words, runs of whitespace and single punctuation marks; joined, they give the text back.
    static List<String> words(String text) {
        var out = new ArrayList<String>();
        var m = WORDS.matcher(text);
        while (m.find()) out.add(m.group());
        return out;
    }

    public static Comparison of(Generation left, Generation right) {
        return new Comparison(left, right, diff(left.output(), right.output()), rows(left, right));
    }

    /// The word diff of two texts: equal runs, runs only in `before` (deleted) and only in `after` (inserted).
    public static List<Piece> diff(String before, String after) {
        var a = words(before);
        var b = words(after);
        var pieces = new ArrayList<Piece>();
        int at = 0;
        for (var delta : DiffUtils.diff(a, b).getDeltas()) {
            var source = delta.getSource();
            add(pieces, Change.EQUAL, a.subList(at, source.getPosition()));
            add(pieces, Change.DELETE, source.getLines());
            add(pieces, Change.INSERT, delta.getTarget().getLines());
            at = source.getPosition() + source.getLines().size();
        }
        add(pieces, Change.EQUAL, a.subList(at, a.size()));
        return List.copyOf(pieces);
    }

    private static void add(List<Piece> pieces, Change change, List<String> words) {
        if (words.isEmpty()) return;
        var text = String.join("", words);
        if (!pieces.isEmpty() && pieces.getLast().change() == change) {
            text = pieces.removeLast().text() + text;
        }
        pieces.add(new Piece(change, text));
    }

    private static List<Row> rows(Generation l, Generation r) {
        var rows = new ArrayList<Row>();
        rows.add(new Row("model", l.run().modelName(), r.run().modelName()));
        rows.add(new Row("model sha256", text(l.run().modelSha256()), text(r.run().modelSha256())));
        rows.add(new Row("library", l.run().nativeBuild(), r.run().nativeBuild()));
        rows.add(new Row("engine", l.run().engine(), r.run().engine()));
        rows.add(new Row("seed", Long.toString(l.run().seed()), Long.toString(r.run().seed())));
        addMap(rows, "load.", l.run().loadOptions(), r.run().loadOptions());
        addMap(rows, "sampling.", l.run().sampling(), r.run().sampling());
        rows.add(new Row("prompt tokens", Integer.toString(l.run().promptTokens()), Integer.toString(r.run().promptTokens())));
        rows.add(new Row("status", l.status().code(), r.status().code()));
        rows.add(new Row("stop reason", text(l.stopReason()), text(r.stopReason())));
        rows.add(new Row("tokens", Integer.toString(l.tokenCount()), Integer.toString(r.tokenCount())));
        stat(rows, "tok/s", l, r, GenerationStats::tokensPerSecond);
        stat(rows, "prompt tok/s", l, r, GenerationStats::promptTokensPerSecond);
        stat(rows, "TTFT ms", l, r, GenerationStats::ttftMs);
        return List.copyOf(rows);
    }

    private static void addMap(List<Row> rows, String prefix, Map<String, Object> l, Map<String, Object> r) {
        var keys = new TreeSet<>(l.keySet());
        keys.addAll(r.keySet());
        for (var k : keys) rows.add(new Row(prefix + k, text(l.get(k)), text(r.get(k))));
    }

    private static void stat(List<Row> rows, String name, Generation l, Generation r, Function<GenerationStats, Double> f) {
        rows.add(new Row(name, number(l.stats(), f), number(r.stats(), f)));
    }

    private static String number(@Nullable GenerationStats s, Function<GenerationStats, Double> f) {
        return s == null ? "—" : String.format(Locale.ROOT, "%.1f", f.apply(s));
    }

    private static String text(@Nullable Object o) {
        return o == null ? "—" : Objects.toString(o);
    }
}
