package dev.hearth.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.app.DataFolders;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Engines;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.LoadProgress;
import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.TokenPiece;
import dev.hearth.inference.chat.ChatMessage;
import dev.hearth.inference.chat.ChatPromptFormatter;
import dev.hearth.inference.chat.ChatRequest;
import dev.hearth.inference.chat.ChatTemplate;
import dev.hearth.inference.chat.RenderOptions;
import dev.hearth.inference.chat.SpecialTokens;
import dev.hearth.inference.chat.TemplateException;
import dev.hearth.inference.chat.TemplateValues;
import dev.hearth.inference.gguf.GgufFormatException;
import dev.hearth.inference.gguf.GgufReader;
import dev.hearth.inference.gguf.ModelInfo;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/// `hearth prompt (--model FILE | --template FILE) --messages FILE.json`: renders a conversation with a chat
/// template and prints the prompt exactly, with no newline added.
@Command(
        name = "prompt",
        mixinStandardHelpOptions = true,
        header = "Print exactly the prompt a model's chat template makes of a conversation.",
        description = {
            "Render a conversation with a model's chat template and print the prompt exactly as the model would see",
            "it (no newline is added at the end). The template comes from a GGUF file's tokenizer.chat_template, with",
            "its BOS/EOS tokens, or from a Jinja file. FILE.json is a JSON array of {\"role\": …, \"content\": …} objects",
            "(content may also be a list of parts; other fields such as tool_calls are passed to the template).",
            "A template error or a template that calls raise_exception gives one line and exit code 1.",
            "With --tokens (and --model) the prompt is tokenized by llama.cpp as the engine does it (special tokens",
            "parsed, BOS added only when the prompt does not start with it) and one line per token is printed:",
            "the id, a tab, and the piece as a JSON string."
        })
public final class PromptCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--model", paramLabel = "FILE", required = true,
                description = "A .gguf model: its chat template and special tokens are used.")
        @Nullable Path model;

        @Option(names = "--template", paramLabel = "FILE", required = true,
                description = "A Jinja chat template file (as in tokenizer_config.json's chat_template).")
        @Nullable Path template;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--messages", paramLabel = "FILE.json", required = true,
            description = "The conversation: a JSON array of messages.")
    Path messages;

    @Option(names = "--tools", paramLabel = "FILE.json",
            description = "Tool definitions: a JSON array passed to the template as `tools`.")
    @Nullable Path tools;

    @Option(names = "--bos-token", paramLabel = "T", description = "The BOS token text (overrides the model's).")
    @Nullable String bosToken;

    @Option(names = "--eos-token", paramLabel = "T", description = "The EOS token text (overrides the model's).")
    @Nullable String eosToken;

    @Option(names = "--no-generation-prompt", negatable = false,
            description = "Do not open the assistant's turn (add_generation_prompt = false).")
    boolean noGenerationPrompt;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD",
            description = "Fix the date strftime_now() sees (midnight UTC), for reproducible prompts.")
    @Nullable String date;

    @Option(names = "--tokens", negatable = false,
            description = "With --model: print the prompt's token ids and pieces instead of the prompt.")
    boolean tokens;

    @Option(names = "--native-lib", paramLabel = "FILE",
            description = "With --tokens: a llama.cpp library file to use instead of the bundled one.")
    @Nullable Path nativeLib;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (tokens && source.model == null) throw new CliFailure("--tokens needs --model (the model's vocabulary)", 2);
        var conversation = readMessages(messages);
        List<?> toolList = tools == null ? null : readTools(tools);
        var clock = date == null ? Clock.systemDefaultZone() : fixedDate(date);
        var options = RenderOptions.defaults().withClock(clock);
        var request = new ChatRequest(conversation, toolList, !noGenerationPrompt, Map.of());
        String text;
        String bos;
        if (source.template != null) {
            bos = bosToken;
            var tokens = new SpecialTokens(bosToken, eosToken, Map.of());
            text = render(readText(source.template, "template"), source.template.toString(), request, tokens, options);
        } else {
            var model = Path.of(String.valueOf(source.model));
            var info = readModel(model);
            var tokens = tokensOf(info);
            bos = tokens.bos();
            if (info.chatTemplate() == null) {
                text = ChatPromptFormatter.plain(request.messages(), request.addGenerationPrompt());
                spec.commandLine().getErr().println("hearth: note: " + model
                        + " has no chat template (tokenizer.chat_template); printed Hearth's plain fallback format");
            } else {
                // As chat does: the model's template through Hearth's interpreter, else llama.cpp's built-in format.
                var formatted = new ChatPromptFormatter(info.chatTemplate(), tokens,
                        Engines.builtinChatFormatter(nativeLibrary()), options).format(request);
                switch (formatted.source()) {
                    case TEMPLATE -> {}
                    case BUILTIN -> spec.commandLine().getErr().println("hearth: note: " + model + "'s chat template could not be"
                            + " rendered (" + oneLine(String.valueOf(formatted.templateError())) + "); printed llama.cpp's built-in format for it");
                    case PLAIN -> throw new CliFailure(model + " (tokenizer.chat_template): template error: "
                            + oneLine(String.valueOf(formatted.templateError())));
                }
                text = formatted.text();
            }
            if (this.tokens) {
                boolean startsWithBos = bos != null && !bos.isEmpty() && text.startsWith(bos);
                printTokens(model, text, !startsWithBos);
                return 0;
            }
        }
        var out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return 0;
    }

    /// Tokenizes as the engine will: special-token text parsed, BOS added only when the prompt lacks it.
    private void printTokens(Path model, String text, boolean addSpecial) {
        var library = nativeLibrary();
        var json = new ObjectMapper();
        var out = spec.commandLine().getOut();
        try (var engine = Engines.inProcess(library)) {
            engine.load(model, LoadOptions.DEFAULT.withContextSize(256).withThreads(1), LoadProgress.NONE);
            for (TokenPiece t : engine.tokenize(text, addSpecial, true)) {
                out.print(t.id() + "\t" + json.writeValueAsString(t.piece()) + "\n");
            }
            out.flush();
        } catch (EngineException e) {
            throw new CliFailure(model + ": " + oneLine(String.valueOf(e.getMessage())));
        } catch (JsonProcessingException e) {
            throw new CliFailure("cannot print a token: " + oneLine(e.getOriginalMessage()));
        }
    }

    private NativeLibrary nativeLibrary() {
        return nativeLib != null ? NativeLibrary.file(nativeLib) : NativeLibrary.bundled(DataFolders.fromEnvironment().cache());
    }

    private static String render(
            String template, String where, ChatRequest request, SpecialTokens tokens, RenderOptions options) {
        try {
            return ChatTemplate.parse(template).render(request, tokens, options);
        } catch (TemplateException e) {
            var what = e.kind() == TemplateException.Kind.RAISED ? "the template refused the conversation" : "template error";
            throw new CliFailure(where + ": " + what + ": " + oneLine(e.getMessage()));
        }
    }

    private SpecialTokens tokensOf(ModelInfo info) {
        var others = new LinkedHashMap<String, String>();
        for (var t : info.specialTokens()) {
            if (t.text() != null && !t.role().equals("bos") && !t.role().equals("eos")) {
                others.put(t.role() + "_token", t.text());
            }
        }
        var bos = bosToken != null ? bosToken : info.specialToken("bos").map(ModelInfo.SpecialToken::text).orElse(null);
        var eos = eosToken != null ? eosToken : info.specialToken("eos").map(ModelInfo.SpecialToken::text).orElse(null);
        return new SpecialTokens(bos, eos, others);
    }

    private static ModelInfo readModel(Path model) {
        try {
            return GgufReader.open(model).modelInfo();
        } catch (GgufFormatException e) {
            throw new CliFailure(model + ": not a usable GGUF file: " + oneLine(e.getMessage()));
        } catch (IOException e) {
            throw new CliFailure(describe(model, "model", e));
        }
    }

    private static List<ChatMessage> readMessages(Path file) {
        try {
            return TemplateValues.parseMessages(readText(file, "messages file"));
        } catch (IllegalArgumentException e) {
            throw new CliFailure(file + ": " + oneLine(e.getMessage()));
        }
    }

    private static List<?> readTools(Path file) {
        try {
            if (TemplateValues.parseJson(readText(file, "tools file")) instanceof List<?> list) return list;
            throw new CliFailure(file + ": tools must be a JSON array");
        } catch (IllegalArgumentException e) {
            throw new CliFailure(file + ": " + oneLine(e.getMessage()));
        }
    }

    private static String readText(Path file, String what) {
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            if (Files.size(file) > ChatTemplate.MAX_SOURCE_CHARS * 4L) {
                throw new CliFailure(file + ": " + what + " is too large");
            }
            return decoder.decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new CliFailure(file + ": " + what + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CliFailure(describe(file, what, e));
        }
    }

    private static String describe(Path file, String what, IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> file + ": no such " + what;
            case AccessDeniedException _ -> file + ": permission denied";
            default -> Files.isDirectory(file) ? file + ": is a folder, not a " + what
                    : file + ": cannot read " + what + ": " + oneLine(String.valueOf(e.getMessage()));
        };
    }

    private static Clock fixedDate(String text) {
        try {
            return Clock.fixed(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new CliFailure("--date must be YYYY-MM-DD, not '" + text + "'", 2);
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').strip();
    }
}
