package dev.hearth.app.cli;

import dev.hearth.app.DataFolders;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Engines;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.chat.EngineChatFormatter;
import dev.hearth.inference.project.ContextBudget;
import dev.hearth.inference.project.ProjectContext;
import dev.hearth.inference.project.ProjectException;
import dev.hearth.inference.project.ProjectFiles;
import dev.hearth.inference.project.ProjectPrompt;
import dev.hearth.inference.project.PromptTokens;
import dev.hearth.inference.project.RepoMap;
import dev.hearth.inference.project.TokenCount;
import dev.hearth.storage.Message;
import dev.hearth.storage.SessionLog;
import dev.hearth.storage.SqliteSessionLog;
import dev.hearth.storage.StorageException;
import dev.hearth.ui.GenerationRecorder;
import dev.hearth.ui.ProjectRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `hearth project ask`: one question about a project, with chosen files and optionally the repo map in context,
/// built exactly as the Project section builds it ([ProjectPrompt]), streamed, and recorded with its context.
@Command(
        name = "ask",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Ask a model a question about a project folder.",
        description = {
            "Ask a model a question about a project folder. Files given with --file go into the context (each in a",
            "fenced block under its path); --repo-map adds a map of the project (files and their top-level",
            "declarations) trimmed to --repo-map-tokens. The answer streams to stdout; what went into the context",
            "and the budget go to stderr: each part's tokens, the chat template's own tokens (role headers, special",
            "tokens, BOS: the prompt is rendered with the model's template and counted as it is sent) and the total",
            "against the context. The question, answer and the context's files (with their SHA-256) are recorded in",
            "the session log, in a session of the project. --dry-run shows the context and budget only."
        })
public final class ProjectAskCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The project folder.")
    Path dir;

    @Mixin EngineOptions engineOptions;

    @Option(names = "--file", paramLabel = "PATH", description = "A file (relative to --dir) to put into the context; repeatable.")
    List<String> files = new ArrayList<>();

    @Option(names = "--repo-map", description = "Add the repo map to the context.")
    boolean repoMap;

    @Option(names = "--repo-map-tokens", paramLabel = "N", defaultValue = "1024",
            description = "The repo map's token budget (default: ${DEFAULT-VALUE}).")
    int repoMapTokens;

    @Option(names = "--system", paramLabel = "TEXT", description = "The system prompt (default: a programming assistant's).")
    @Nullable String system;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512",
            description = "Most tokens of the answer; also the room reserved for it in the budget (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Mixin SamplingOptions samplingOptions;

    @Option(names = "--no-log", description = "Do not record the question in the session log.")
    boolean noLog;

    @Option(names = "--dry-run", description = "Show what would go into the context and the budget, then stop: no answer, nothing recorded.")
    boolean dryRun;

    @Parameters(paramLabel = "QUESTION", description = "The question.")
    String question;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (question.isBlank()) throw new CliFailure("the question is empty", 2);
        if (repoMapTokens < 0) throw new CliFailure("--repo-map-tokens must be >= 0, got " + repoMapTokens, 2);
        if (maxTokens < 1) throw new CliFailure("--max-tokens must be >= 1, got " + maxTokens, 2);
        ProjectFiles project;
        try {
            project = ProjectFiles.of(dir);
        } catch (ProjectException e) {
            throw new CliFailure(e.getMessage(), 2);
        }
        for (var f : files) {
            // refused before a model is loaded
            var file = project.file(f).orElseThrow(() -> new CliFailure(f + " is not a file of the project", 2));
            if (file.exclusion() != null) throw new CliFailure(f + " cannot be included: " + file.exclusion().reason(), 2);
        }
        var sampling = samplingOptions.sampling(maxTokens);
        try (var engine = engineOptions.open()) {
            var loadOptions = engineOptions.loadOptions();
            var model = engineOptions.load(engine, loadOptions);
            var count = TokenCount.of(engine);
            var context = new ProjectContext(project, count);
            try {
                for (var f : files) context.add(f);
            } catch (ProjectException e) {
                throw new CliFailure(e.getMessage(), 2);
            }
            RepoMap map = null;
            if (repoMap) {
                var inContext = context.files().stream().map(f -> f.path()).collect(Collectors.toSet());
                map = RepoMap.build(project.list(), inContext, new HashSet<>(RepoMap.symbolsIn(question)), repoMapTokens, count);
            }
            var formatter = EngineChatFormatter.of(engine, model, Engines.builtinChatFormatter(engineOptions.nativeLibrary()));
            var built = ProjectPrompt.build(system == null ? ProjectPrompt.DEFAULT_SYSTEM : system, context.files(), map,
                    List.of(), question, model.contextSize(), maxTokens, count, PromptTokens.of(engine, formatter));
            var plan = built.plan();
            err.println(describe(plan));
            if (!plan.fits()) {
                throw new CliFailure("the question, system prompt, chat template and answer room (" + plan.used() + " tokens) do not fit "
                        + "the context of " + plan.contextSize() + " tokens; use a larger --ctx or a smaller --max-tokens", 2);
            }
            err.flush();
            if (dryRun) return 0;
            String prompt = formatter.promptFor(built.messages());
            var answer = new StringBuilder();
            try (var log = noLog ? null : openLog(err)) {
                GenerationRecorder recorder = null;
                Long sessionId = null;
                Long userMessage = null;
                if (log != null) {
                    var row = ProjectRecords.open(log, project.root());
                    sessionId = log.createSession(title(question), row.id());
                    userMessage = log.addMessage(sessionId, null, Message.Role.USER, question, null);
                    recorder = GenerationRecorder.start(log, sessionId, engineOptions.modelPath(),
                            engine.capabilities().libraryBuild(), engineOptions.inProcess ? "in-process" : "worker",
                            loadOptions, sampling, prompt, engine.tokenize(prompt, true, true).size());
                    ProjectRecords.record(log, recorder, ProjectRecords.context(row.id(), built, repoMap ? repoMapTokens : null));
                }
                var rec = recorder;
                GenerationStats stats;
                try {
                    stats = engine.generate(new GenerationRequest(prompt, sampling), event -> {
                        if (event instanceof GenerationEvent.Token t) {
                            if (rec != null) rec.token(t);
                            answer.append(t.text());
                            out.print(t.text());
                            out.flush();
                        }
                    });
                } catch (EngineException e) {
                    out.flush();
                    if (rec != null) rec.fail(EngineOptions.oneLine(e.getMessage()));
                    throw EngineOptions.failure(e);
                }
                if (rec != null && log != null && sessionId != null) {
                    rec.finish(stats);
                    log.addMessage(sessionId, userMessage, Message.Role.ASSISTANT, answer.toString(), rec.id());
                }
                out.println();
                out.flush();
                err.println(RunCommand.summary(stats));
                err.flush();
            }
            return 0;
        }
    }

    private static @Nullable SessionLog openLog(java.io.PrintWriter err) {
        try {
            return SqliteSessionLog.open(DataFolders.fromEnvironment().database());
        } catch (StorageException e) {
            err.println("hearth: note: this question is not recorded in the session log: " + Cli.describe(e));
            return null;
        }
    }

    static String title(String question) {
        var line = question.strip().lines().findFirst().orElse("").strip();
        return line.length() <= 60 ? line : line.substring(0, 59) + "…";
    }

    /// One line per part of the context, then the total against the context size.
    static String describe(ContextBudget.Plan plan) {
        var sb = new StringBuilder("context:");
        for (var p : plan.kept()) {
            sb.append("\n  ").append(p.label()).append(": ").append(p.tokens()).append(" tokens");
            if (p.kind() == ContextBudget.Part.Kind.TEMPLATE) sb.append(" (role headers, special tokens, BOS)");
        }
        for (var p : plan.cut()) sb.append("\n  ").append(p.label()).append(": ").append(p.tokens()).append(" tokens (left out: over budget)");
        sb.append("\n  total: ").append(plan.used()).append(" of ").append(plan.contextSize()).append(" tokens");
        int room = plan.used(ContextBudget.Part.Kind.ANSWER_ROOM);
        if (plan.used(ContextBudget.Part.Kind.TEMPLATE) > 0) {
            sb.append(" (the prompt as sent: ").append(plan.used() - room).append(", answer room: ").append(room).append(')');
        }
        return sb.toString();
    }
}
