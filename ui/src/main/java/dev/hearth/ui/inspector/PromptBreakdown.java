package dev.hearth.ui.inspector;

import dev.hearth.inference.TokenPiece;
import java.util.List;

/// A rendered chat prompt as the model sees it: the text after the chat template, its tokens, and how many of
/// them the system prompt, the earlier turns and the new message take, against the context size.
///
/// @param renderedPrompt   the prompt text after the chat template (what the engine evaluates)
/// @param pieces           its tokens in order, with special tokens marked `control`
/// @param systemTokens     tokens taken by the system prompt (0 when there is none)
/// @param historyTokens    tokens taken by earlier turns
/// @param newMessageTokens tokens taken by the new message and the generation prompt
/// @param contextSize      the loaded context's size in tokens
public record PromptBreakdown(String renderedPrompt, List<TokenPiece> pieces, int systemTokens, int historyTokens,
        int newMessageTokens, int contextSize) {
    public PromptBreakdown {
        pieces = List.copyOf(pieces);
        if (systemTokens < 0 || historyTokens < 0 || newMessageTokens < 0) {
            throw new IllegalArgumentException("negative token count");
        }
    }

    /// All tokens of the prompt.
    public int totalTokens() {
        return pieces.size();
    }
}
