package dev.hearth.inference.project;

import java.util.ArrayList;
import java.util.List;

/// The arithmetic of a project prompt against the context size: system prompt + files + repo map + history +
/// the question + the chat template's own tokens + room reserved for the answer. When the sum is over the context size, parts are cut in this
/// order until it fits: the oldest history first, then the repo map, then files, the last added first. The system
/// prompt, the question, the chat template and the answer room are never cut; if they alone do not fit, the plan does not fit.
public final class ContextBudget {
    private ContextBudget() {}

    /// One part of the prompt. `label` names it for the screen (a file's path, "history 3").
    public record Part(Kind kind, String label, int tokens) {
        /// What a part is. [#TEMPLATE] is what the chat template adds around the messages (role headers, special
        /// tokens such as `<|im_start|>`, BOS, the assistant's opening), measured by rendering the messages
        /// ([ProjectPrompt#build]).
        public enum Kind { SYSTEM, FILE, REPO_MAP, HISTORY, QUESTION, TEMPLATE, ANSWER_ROOM }

        public Part {
            if (tokens < 0) throw new IllegalArgumentException("tokens < 0: " + tokens);
        }
    }

    /// What the parts need, what is kept and what would be cut.
    ///
    /// @param contextSize the context size in tokens
    /// @param needed the sum of every part before cutting
    /// @param kept the parts kept, in the order given
    /// @param cut the parts cut, in the order they were cut
    public record Plan(int contextSize, int needed, List<Part> kept, List<Part> cut) {
        public Plan {
            kept = List.copyOf(kept);
            cut = List.copyOf(cut);
        }

        /// The tokens of the kept parts.
        public int used() {
            return kept.stream().mapToInt(Part::tokens).sum();
        }

        /// The tokens of the kept parts of one kind.
        public int used(Part.Kind kind) {
            return kept.stream().filter(p -> p.kind() == kind).mapToInt(Part::tokens).sum();
        }

        /// Whether the kept parts fit the context.
        public boolean fits() {
            return used() <= contextSize;
        }

        /// Whether anything had to be cut, or it does not fit even so.
        public boolean overBudget() {
            return needed > contextSize;
        }

        /// Whether the part is kept.
        public boolean keeps(Part part) {
            return kept.contains(part);
        }
    }

    /// Plans the parts (in prompt order) against `contextSize` tokens.
    public static Plan plan(int contextSize, List<Part> parts) {
        if (contextSize <= 0) throw new IllegalArgumentException("context size <= 0: " + contextSize);
        int needed = parts.stream().mapToInt(Part::tokens).sum();
        var kept = new ArrayList<>(parts);
        var cut = new ArrayList<Part>();
        int used = needed;
        // oldest history first
        for (var p : parts) {
            if (used <= contextSize) break;
            if (p.kind() == Part.Kind.HISTORY) {
                kept.remove(p);
                cut.add(p);
                used -= p.tokens();
            }
        }
        for (var p : parts) {
            if (used <= contextSize) break;
            if (p.kind() == Part.Kind.REPO_MAP) {
                kept.remove(p);
                cut.add(p);
                used -= p.tokens();
            }
        }
        for (var p : parts.reversed()) {
            if (used <= contextSize) break;
            if (p.kind() == Part.Kind.FILE) {
                kept.remove(p);
                cut.add(p);
                used -= p.tokens();
            }
        }
        return new Plan(contextSize, needed, kept, cut);
    }
}
