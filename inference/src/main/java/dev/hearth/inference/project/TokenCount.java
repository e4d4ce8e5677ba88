package dev.hearth.inference.project;

import dev.hearth.inference.Engine;

/// How many tokens a text takes. With a model loaded this is its own tokenizer (no BOS/EOS, special-token text
/// counted as plain text); without one, [#ESTIMATE] guesses four characters a token.
@FunctionalInterface
public interface TokenCount {
    /// A rough count for when no model is loaded: one token per four characters, rounded up.
    TokenCount ESTIMATE = text -> (text.length() + 3) / 4;

    int count(String text);

    /// The loaded model's tokenizer.
    static TokenCount of(Engine engine) {
        return text -> text.isEmpty() ? 0 : engine.tokenize(text, false, false).size();
    }
}
