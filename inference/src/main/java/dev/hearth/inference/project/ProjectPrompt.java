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

    /// Plans and builds the conversation.
    public static Built build(String system, List<ContextFile> files, @Nullable RepoMap map, List<ChatMessage> history,
            String question, int contextSize, int answerRoom, TokenCount count) {
        var parts = parts(system, files, map, history, question, answerRoom, count);
        var plan = ContextBudget.plan(contextSize, parts);
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
