package dev.hearth.inference.project;

import dev.hearth.inference.Engine;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.EngineChatFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// How many tokens a conversation takes as the engine receives it: rendered through the model's chat template
/// with the assistant's opening ([EngineChatFormatter#promptFor], as every Hearth chat renders it) and tokenized as
/// [Engine#generate] does (BOS added, special tokens parsed). The difference to the messages' own tokens is the chat
/// template's share of a budget ([ContextBudget.Part.Kind#TEMPLATE]).
@FunctionalInterface
public interface PromptTokens {
    int count(List<ChatMessage> messages);

    /// Renders the whole conversation and tokenizes the whole prompt, every time: exact.
    static PromptTokens of(Engine engine, EngineChatFormatter formatter) {
        return messages -> engine.tokenize(formatter.promptFor(messages), true, true).size();
    }

    /// Renders the whole conversation every time but tokenizes again only what follows the last special token before
    /// the last message (for the budget shown while a message is typed: the head of the prompt, with every file in
    /// it, stays the same from one keystroke to the next, and its count is kept for the last `kept` heads).
    ///
    /// llama.cpp tokenizes the text between two special tokens on its own (and the text after a special token
    /// starts afresh, with SentencePiece's space prefix), so the head's count plus the rest's count is the whole
    /// prompt's count. Special tokens that strip the spaces beside them (`lstrip`/`rstrip` in their attributes) can
    /// make it differ by the spaces' tokens; the count of a turn that is sent uses [#of].
    static PromptTokens reusingHead(Engine engine, EngineChatFormatter formatter, int kept) {
        if (kept < 1) throw new IllegalArgumentException("kept < 1: " + kept);
        Map<String, Head> heads = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Head> eldest) {
                return size() > kept;
            }
        });
        return messages -> {
            var text = formatter.promptFor(messages);
            if (messages.isEmpty()) return engine.tokenize(text, true, true).size();
            var marked = new ArrayList<>(messages);
            var last = messages.getLast();
            marked.set(marked.size() - 1, ChatMessage.of(last.role(), MARK));
            var markedText = formatter.promptFor(marked);
            int at = markedText.indexOf(MARK);
            if (at < 0) return engine.tokenize(text, true, true).size();
            var head = heads.computeIfAbsent(markedText.substring(0, at), prefix -> Head.of(engine, prefix));
            if (head.end() <= 0 || !text.regionMatches(0, markedText, 0, head.end())) {
                return engine.tokenize(text, true, true).size();
            }
            return head.tokens() + engine.tokenize(text.substring(head.end()), false, true).size();
        };
    }

    /// The head of a prompt: the text through its last special token (`end` characters; 0 when it has none) and
    /// its tokens, BOS included.
    record Head(int end, int tokens) {
        static Head of(Engine engine, String prefix) {
            var pieces = engine.tokenize(prefix, true, true);
            for (int i = pieces.size() - 1; i >= 0; i--) {
                var p = pieces.get(i);
                if (!p.control() || p.piece().isEmpty()) continue;
                int at = prefix.lastIndexOf(p.piece());
                // a control token not in the text (the BOS added in front, an EOS added behind): no head to reuse
                return at < 0 ? new Head(0, 0) : new Head(at + p.piece().length(), i + 1);
            }
            return new Head(0, 0);
        }
    }

    /// Marks the last message's content in a second rendering, to find where the unchanged head of the prompt ends.
    String MARK = "\uE000hearth-last-message\uE001";
}
