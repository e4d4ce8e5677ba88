package dev.hearth.ui.inspector;

import java.util.Locale;

/// How a prompt's tokens split against the context: the system prompt, earlier turns, the new message, and the
/// rest of the prompt's tokens (the chat template's own markers and anything not counted in the three parts); then
/// what is left free, or by how much the prompt is over.
///
/// @param system     tokens of the system prompt
/// @param history    tokens of the earlier turns
/// @param newMessage tokens of the new message and the generation prompt
/// @param template   the prompt's other tokens: total minus the three parts, never below 0
/// @param total      all tokens of the prompt
/// @param context    the context size; 0 when unknown
public record PromptBudget(int system, int history, int newMessage, int template, int total, int context) {
    public PromptBudget {
        if (system < 0 || history < 0 || newMessage < 0 || template < 0 || total < 0 || context < 0) {
            throw new IllegalArgumentException("negative token count");
        }
    }

    /// The budget of a prompt breakdown.
    public static PromptBudget of(PromptBreakdown b) {
        int total = b.totalTokens();
        int parts = b.systemTokens() + b.historyTokens() + b.newMessageTokens();
        return new PromptBudget(b.systemTokens(), b.historyTokens(), b.newMessageTokens(), Math.max(0, total - parts), total,
                Math.max(0, b.contextSize()));
    }

    /// Tokens of the context left for the answer (0 when the prompt fills it or the size is unknown).
    public int free() {
        return Math.max(0, context - total);
    }

    /// Tokens by which the prompt exceeds the context (0 when it fits or the size is unknown).
    public int over() {
        return context == 0 ? 0 : Math.max(0, total - context);
    }

    /// The share of the bar a count takes: the bar is the context, or the prompt when that is longer (or the context
    /// unknown).
    public double fraction(int count) {
        int whole = Math.max(context, total);
        return whole == 0 ? 0 : (double) count / whole;
    }

    /// One line: "System 42 · History 310 · New message 25 · Template 12 — 389 of 4,096 tokens (9.5 %), 3,707 free".
    public String summary() {
        var parts = String.format(Locale.ROOT, "System %,d · History %,d · New message %,d · Template %,d", system, history,
                newMessage, template);
        if (context == 0) return parts + String.format(Locale.ROOT, " — %,d tokens", total);
        if (over() > 0) {
            return parts + String.format(Locale.ROOT, " — %,d tokens, %,d more than the context of %,d", total, over(), context);
        }
        return parts + String.format(Locale.ROOT, " — %,d of %,d tokens (%.1f %%), %,d free", total, context,
                100.0 * total / context, free());
    }
}
