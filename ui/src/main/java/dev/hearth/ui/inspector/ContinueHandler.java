package dev.hearth.ui.inspector;

import dev.hearth.storage.TopToken;

/// What "Continue with this token" does: the chat makes a branch that keeps the answer's tokens before
/// `tokenIndex` and continues with `alternative` in its place.
@FunctionalInterface
public interface ContinueHandler {
    /// @param tokenIndex  the position in the generation ([dev.hearth.storage.Token#index()]) being replaced
    /// @param alternative the token from that position's top list to continue with
    void continueWith(int tokenIndex, TopToken alternative);
}
