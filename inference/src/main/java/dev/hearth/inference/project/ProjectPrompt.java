package dev.hearth.inference.project;

import dev.hearth.inference.chat.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/// Builds the conversation for a question about a project, the same way for the window and `hearth project ask`:
/// one system message with the system prompt, the files in context (each in a fenced block under its path) and the
/// repo map; then the history; then the question. The parts are planned with [ContextBudget] against the context
/// size, and what the plan cuts is left out of the messages.
public final class ProjectPrompt {
    private ProjectPrompt() {}

    /// The default system prompt of project questions.
    public static final String DEFAULT_SYSTEM = "You are a careful programming assistant. Answer questions about the "
            + "user's project using the files and the repository map below. Cite file paths when you refer to code.";

    /// What went into the prompt.
    ///
    /// @param messages the conversation to format with the chat template
    /// @param plan the budget's plan (what was kept, what was cut)
    /// @param files the files kept, in the order added
    /// @param repoMap the repo map kept, or null (none asked for, or cut)
    public record Built(List<ChatMessage> messages, ContextBudget.Plan plan, List<ContextFile> files,
            @Nullable RepoMap repoMap) {
        public Built {
            messages = List.copyOf(messages);
            files = List.copyOf(files);
        }
    }

    /// The text a file takes in the prompt: its path, then its content in a fence longer than any inside it.
    public static String fileBlock(ContextFile f) {
        var fence = "```";
        while (f.text().contains(fence)) fence += "`";
        var body = f.text().endsWith("\n") || f.text().isEmpty() ? f.text() : f.text() + "\n";
        return "File: " + f.path() + "\n" + fence + "\n" + body + fence + "\n\n";
    }

    /// The budget's parts for these pieces, in prompt order. A file's part is its token count plus the tokens of its
    /// path and fences.
    public static List<ContextBudget.Part> parts(String system, List<ContextFile> files, @Nullable RepoMap map,
            List<ChatMessage> history, String question, int answerRoom, TokenCount count) {
        var parts = new ArrayList<ContextBudget.Part>();
        parts.add(new ContextBudget.Part(ContextBudget.Part.Kind.SYSTEM, "system prompt", count.count(system)));
        for (var f : files) {
            int frame = count.count("File: " + f.path() + "\n```\n```\n\n");
            parts.add(new ContextBudget.Part(ContextBudget.Part.Kind.FILE, f.path(), f.tokens() + frame));
        }
        if (map != null && !map.text().isEmpty()) {
            parts.add(new ContextBudget.Part(ContextBudget.Part.Kind.REPO_MAP, "repo map", map.tokens()));
        }
        for (int i = 0; i < history.size(); i++) {
            parts.add(new ContextBudget.Part(ContextBudget.Part.Kind.HISTORY, "message " + (i + 1) + " (" + history.get(i).role() + ")",
                    count.count(history.get(i).text())));
        }
        parts.add(new ContextBudget.Part(ContextBudget.Part.Kind.QUESTION, "question", count.count(question)));
        parts.add(new ContextBudget.Part(ContextBudget.Part.Kind.ANSWER_ROOM, "answer room", answerRoom));
        return parts;
    }

    /// Plans and builds the conversation without counting the chat template (no model to render with).
    public static Built build(String system, List<ContextFile> files, @Nullable RepoMap map, List<ChatMessage> history,
            String question, int contextSize, int answerRoom, TokenCount count) {
        return build(system, files, map, history, question, contextSize, answerRoom, count, null);
    }

    /// Plans and builds the conversation. With `rendered`, the chat template's own tokens are a part of the plan
    /// ([ContextBudget.Part.Kind#TEMPLATE], "chat template"): the rendered prompt's tokens less the parts' tokens.
    /// They are first measured with every part in, the plan cuts what does not fit with them, and the kept messages
    /// are rendered again, so that the plan's [ContextBudget.Plan#used()] is the rendered prompt's tokens plus the
    /// answer room (when cutting changed the template's share, the plan is made again with the new share, a few
    /// times at most, and the one that fits with the fewest cuts is kept). The template's share also holds the words
    /// that join the system prompt, the files and the map, and whatever the tokenizer merges across the parts'
    /// borders; it is never below 0.
    public static Built build(String system, List<ContextFile> files, @Nullable RepoMap map, List<ChatMessage> history,
            String question, int contextSize, int answerRoom, TokenCount count, @Nullable PromptTokens rendered) {
        var parts = parts(system, files, map, history, question, answerRoom, count);
        if (rendered == null) return assemble(system, files, map, history, question, parts, ContextBudget.plan(contextSize, parts));
        var counted = new java.util.HashMap<List<ChatMessage>, Integer>();
        var everything = assemble(system, files, map, history, question, parts, ContextBudget.plan(Integer.MAX_VALUE, parts));
        int template = templateTokens(everything, rendered, counted);
        int needed = parts.stream().mapToInt(ContextBudget.Part::tokens).sum() + template;
        Built best = null;
        Built last = null;
        for (int round = 0; round < 4; round++) {
            var plan = ContextBudget.plan(contextSize, withTemplate(parts, template));
            var built = assemble(system, files, map, history, question, parts, plan);
            int actual = templateTokens(built, rendered, counted);
            var exact = new ContextBudget.Plan(contextSize, needed, plan.kept().stream()
                    .map(p -> p.kind() == ContextBudget.Part.Kind.TEMPLATE ? templatePart(actual) : p).toList(), plan.cut());
            last = new Built(built.messages(), exact, built.files(), built.repoMap());
            if (exact.fits() && (best == null || exact.cut().size() < best.plan().cut().size())) best = last;
            if (actual == template) break;
            template = actual;
        }
        return best != null ? best : last;
    }

    private static int templateTokens(Built built, PromptTokens rendered, java.util.Map<List<ChatMessage>, Integer> counted) {
        int total = counted.computeIfAbsent(built.messages(), rendered::count);
        int content = built.plan().kept().stream()
                .filter(p -> p.kind() != ContextBudget.Part.Kind.ANSWER_ROOM && p.kind() != ContextBudget.Part.Kind.TEMPLATE)
                .mapToInt(ContextBudget.Part::tokens).sum();
        return Math.max(0, total - content);
    }

    private static ContextBudget.Part templatePart(int tokens) {
        return new ContextBudget.Part(ContextBudget.Part.Kind.TEMPLATE, "chat template", tokens);
    }

    /// The parts with the template's part before the answer room (the last part).
    private static List<ContextBudget.Part> withTemplate(List<ContextBudget.Part> parts, int template) {
        var out = new ArrayList<>(parts);
        out.add(out.size() - 1, templatePart(template));
        return out;
    }

    /// The conversation of the parts `plan` keeps (`parts` as [#parts] made them, in its order).
    private static Built assemble(String system, List<ContextFile> files, @Nullable RepoMap map, List<ChatMessage> history,
            String question, List<ContextBudget.Part> parts, ContextBudget.Plan plan) {
        var keptFiles = new ArrayList<ContextFile>();
        for (int i = 0; i < files.size(); i++) if (plan.keeps(parts.get(1 + i))) keptFiles.add(files.get(i));
        int at = 1 + files.size();
        RepoMap keptMap = null;
        if (map != null && !map.text().isEmpty()) {
            if (plan.keeps(parts.get(at))) keptMap = map;
            at++;
        }
        var sys = new StringBuilder(system);
        if (!keptFiles.isEmpty()) {
            sys.append("\n\nFiles from the project:\n\n");
            for (var f : keptFiles) sys.append(fileBlock(f));
        }
        if (keptMap != null) sys.append(keptFiles.isEmpty() ? "\n\n" : "").append(keptMap.text());
        var messages = new ArrayList<ChatMessage>();
        messages.add(ChatMessage.system(sys.toString().strip()));
        for (int i = 0; i < history.size(); i++) if (plan.keeps(parts.get(at + i))) messages.add(history.get(i));
        messages.add(ChatMessage.user(question));
        return new Built(messages, plan, keptFiles, keptMap);
    }
}
