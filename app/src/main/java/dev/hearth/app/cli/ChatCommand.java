package dev.hearth.app.cli;

import dev.hearth.inference.Engine;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.EvalCounters;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.GenerationRequest;
import dev.hearth.inference.GenerationStats;
import dev.hearth.inference.ModelSummary;
import dev.hearth.inference.Sampling;
import dev.hearth.inference.Engines;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.EngineChatFormatter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/// `hearth chat`: an interactive conversation in the terminal, formatted with the model's chat template. The
/// conversation's tokens stay in the engine's KV cache, so each turn evaluates only its new tokens.
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Chat with a GGUF model in the terminal, using its chat template.",
        description = {
            "Chat with a GGUF model in the terminal, using the model's chat template. Answers stream as they are",
            "generated; earlier turns stay in the engine's KV cache. Type /reset to start over, /stats for the last",
            "answer's figures; Ctrl-C stops the current answer, Ctrl-D (end of input) exits."
        })
public final class ChatCommand implements Callable<Integer> {
    @Mixin EngineOptions engineOptions;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message that starts the conversation.")
    @Nullable String system;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "512", description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Mixin SamplingOptions samplingOptions;

    @Spec CommandSpec spec;

    private volatile @Nullable Engine generating;

    /// The figures of one answer.
    record Turn(GenerationStats stats, EvalCounters evaluated) {}

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        var sampling = sampling();
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (var engine = engineOptions.open()) {
            ModelSummary model = engineOptions.load(engine, engineOptions.loadOptions());
            var formatter = EngineChatFormatter.of(engine, model, Engines.builtinChatFormatter(engineOptions.nativeLibrary()));
            var messages = new ArrayList<ChatMessage>();
            if (system != null) messages.add(ChatMessage.system(system));
            installInterruptHandler();
            out.println("Chatting with " + model.path().getFileName() + ". /reset, /stats; Ctrl-C stops an answer, "
                    + "Ctrl-D exits.");
            Turn last = null;
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    out.println();
                    out.flush();
                    return 0;
                }
                line = line.strip();
                if (line.isEmpty()) continue;
                if (line.equals("/reset")) {
                    messages.removeIf(m -> !m.role().equals("system"));
                    out.println("(conversation cleared)");
                    continue;
                }
                if (line.equals("/stats")) {
                    out.println(last == null ? "(no answer yet)" : stats(last));
                    continue;
                }
                if (line.startsWith("/")) {
                    out.println("(unknown command " + line + "; /reset, /stats, Ctrl-D exits)");
                    continue;
                }
                messages.add(ChatMessage.user(line));
                String text = formatter.promptFor(messages);
                var answer = new StringBuilder();
                var before = engine.evalCounters();
                GenerationStats stats;
                try {
                    generating = engine;
                    stats = engine.generate(new GenerationRequest(text, sampling).withTruncateLeft(true), e -> {
                        if (e instanceof GenerationEvent.Token t) {
                            answer.append(t.text());
                            out.print(t.text());
                            out.flush();
                        }
                    });
                } catch (EngineException e) {
                    out.println();
                    out.flush();
                    throw EngineOptions.failure(e);
                } finally {
                    generating = null;
                }
                last = new Turn(stats, engine.evalCounters().since(before));
                out.println(switch (stats.stopReason()) {
                    case CANCELLED -> " [stopped]";
                    case LENGTH -> " [token limit]";
                    case CONTEXT -> " [context full]";
                    default -> "";
                });
                out.flush();
                messages.add(ChatMessage.assistant(answer.toString()));
            }
        }
    }

    static String stats(Turn turn) {
        var s = turn.stats();
        int promptEvaluated = turn.evaluated().totalTokens() - Math.max(0, s.generatedTokens() - 1);
        int reused = Math.max(0, s.promptTokens() - promptEvaluated);
        return String.format(Locale.ROOT,
                "%d tokens, %.1f tok/s, first token after %.0f ms; prompt %d tokens, %d of them reused from the cache, "
                        + "%d evaluated; stop: %s",
                s.generatedTokens(), s.generationTokensPerSecond(), s.timeToFirstTokenMs(), s.promptTokens(), reused,
                s.promptTokens() - reused, s.stopReason().wireName());
    }

    /// Ctrl-C stops the answer being generated, not the program (the engine worker ignores SIGINT).
    private void installInterruptHandler() {
        try {
            Signal.handle(new Signal("INT"), _ -> {
                var engine = generating;
                if (engine != null) engine.cancel();
            });
        } catch (IllegalArgumentException e) {
            // no SIGINT on this platform: Ctrl-C keeps its default meaning
        }
    }

    private Sampling sampling() {
        return samplingOptions.sampling(maxTokens);
    }
}
