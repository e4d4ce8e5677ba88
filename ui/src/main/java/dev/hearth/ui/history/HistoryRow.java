package dev.hearth.ui.history;

import dev.hearth.storage.Generation;
import dev.hearth.storage.SearchHit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// One line of the history table: a generation and, when it came from a search, the log's highlighted snippet.
public record HistoryRow(Generation generation, @Nullable String snippet) {
    static final int EXCERPT_CHARS = 120;

    /// A stretch of the excerpt; `match` when it is a matched word.
    public record Span(String text, boolean match) {}

    private static final java.util.regex.Pattern CHAT_MARKUP = java.util.regex.Pattern.compile("<\\|[^|<>]{1,40}\\|>");

    /// What the excerpt column shows: the search snippet with its matches marked, else the prompt: its start, or for
    /// a chat-rendered prompt (with `<|…|>` markers) its end, where the latest question is.
    public List<Span> excerpt() {
        var s = snippet;
        if (s == null || s.isEmpty()) {
            var raw = generation.run().prompt();
            boolean chat = CHAT_MARKUP.matcher(raw).find();
            var prompt = CHAT_MARKUP.matcher(raw).replaceAll(" ").replaceAll("\\s+", " ").strip();
            if (chat && prompt.endsWith(" assistant")) prompt = prompt.substring(0, prompt.length() - " assistant".length());
            if (prompt.length() <= EXCERPT_CHARS) return List.of(new Span(prompt, false));
            return List.of(new Span(chat ? "…" + prompt.substring(prompt.length() - EXCERPT_CHARS)
                    : prompt.substring(0, EXCERPT_CHARS) + "…", false));
        }
        var spans = new ArrayList<Span>();
        int at = 0;
        s = s.replaceAll("\\s+", " ");
        while (at < s.length()) {
            int open = s.indexOf(SearchHit.MARK_START, at);
            if (open < 0) {
                spans.add(new Span(s.substring(at), false));
                break;
            }
            if (open > at) spans.add(new Span(s.substring(at, open), false));
            int close = s.indexOf(SearchHit.MARK_END, open);
            if (close < 0) close = s.length();
            spans.add(new Span(s.substring(open + 1, close), true));
            at = close + 1;
        }
        return List.copyOf(spans);
    }

    /// The excerpt as plain text.
    public String excerptText() {
        var sb = new StringBuilder();
        for (var span : excerpt()) sb.append(span.text());
        return sb.toString();
    }
}
