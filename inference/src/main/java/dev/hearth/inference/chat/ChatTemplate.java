package dev.hearth.inference.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// A parsed chat template (Jinja, as in `tokenizer.chat_template`), rendered with Python/Jinja2 semantics as
/// Hugging Face `transformers` applies them: `trim_blocks`, `lstrip_blocks`, loop controls, `tojson` as
/// `json.dumps(ensure_ascii=False)`, `raise_exception`, `strftime_now`. Immutable and thread-safe.
///
///     var template = ChatTemplate.parse(source);
///     String prompt = template.render(ChatRequest.of(messages), SpecialTokens.of("<s>", "</s>"),
///             RenderOptions.defaults());
public final class ChatTemplate {
    /// Longest template source accepted.
    public static final int MAX_SOURCE_CHARS = 1 << 20;
    /// Deepest nesting of blocks and expressions accepted.
    public static final int MAX_NESTING = 100;
    private static final int MAX_TOKENS = 500_000;
    private static final int CACHE_SIZE = 32;

    private static final Map<String, ChatTemplate> CACHE = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ChatTemplate> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private final String source;
    private final List<Ast.Node> body;

    private ChatTemplate(String source, List<Ast.Node> body) {
        this.source = source;
        this.body = body;
    }

    /// Parses `source`, or returns the template parsed before from the same text (a small cache).
    ///
    /// @throws TemplateException on a syntax error or an unsupported construct, naming the line
    public static ChatTemplate parse(String source) {
        synchronized (CACHE) {
            var cached = CACHE.get(source);
            if (cached != null) return cached;
        }
        if (source.length() > MAX_SOURCE_CHARS) {
            throw new TemplateException("template is longer than " + MAX_SOURCE_CHARS + " characters", 0, 0);
        }
        List<Ast.Node> body;
        try {
            body = Parser.parse(Lexer.tokenize(source, MAX_TOKENS), MAX_NESTING);
        } catch (StackOverflowError e) {
            throw new TemplateException("template nests too deeply", 0, 0);
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TemplateException("internal error while parsing: " + e, 0, 0);
        }
        var template = new ChatTemplate(source, body);
        synchronized (CACHE) {
            CACHE.put(source, template);
        }
        return template;
    }

    public String source() {
        return source;
    }

    /// Renders with the given variables (converted by [TemplateValues#of]).
    ///
    /// @throws TemplateException when rendering fails or a limit is reached
    public String render(Map<String, ?> variables, RenderOptions options) {
        var vars = new LinkedHashMap<String, @Nullable Object>();
        for (var e : variables.entrySet()) vars.put(e.getKey(), TemplateValues.of(e.getValue()));
        return new Interpreter(options.limits(), options.clock()).render(body, vars);
    }

    /// Renders a conversation the way `transformers`' `apply_chat_template` does: `messages`, `tools` (when
    /// given), `add_generation_prompt`, the special tokens, then the extra variables.
    public String render(ChatRequest request, SpecialTokens tokens, RenderOptions options) {
        return render(variables(request, tokens), options);
    }

    static Map<String, @Nullable Object> variables(ChatRequest request, SpecialTokens tokens) {
        var vars = new LinkedHashMap<String, @Nullable Object>();
        vars.put("messages", request.messages().stream().map(ChatMessage::toMap).toList());
        if (request.tools() != null) vars.put("tools", request.tools());
        vars.put("add_generation_prompt", request.addGenerationPrompt());
        vars.putAll(tokens.variables());
        vars.putAll(request.extraVariables());
        return vars;
    }
}
