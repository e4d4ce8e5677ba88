package dev.hearth.storage;

import org.jspecify.annotations.Nullable;

/// A session found by [SessionLog#searchSessions]: the session and, when one of its messages matched, the best
/// matching message and a snippet of it whose matched words are marked with [SearchHit#MARK_START] and
/// [SearchHit#MARK_END]. A session found by its title alone has no message.
public record SessionMatch(Session session, @Nullable Long messageId, Message.@Nullable Role role, String snippet) {
    /// The snippet with the matched words between `open` and `close` (`**`, `«` `»`, …).
    public String snippet(String open, String close) {
        return snippet.replace(SearchHit.MARK_START, open).replace(SearchHit.MARK_END, close);
    }
}
