package dev.hearth.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.inference.LoadOptions;
import dev.hearth.inference.gguf.GgufFile;
import dev.hearth.inference.gguf.GgufReader;
import dev.hearth.inference.gguf.KvCacheType;
import dev.hearth.inference.gguf.ModelInfo;
import dev.hearth.ui.Units;
import dev.hearth.ui.models.ModelFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/// `hearth models info NAME|FILE [--json]`: what a GGUF file (or a model of the library, by name) says about its
/// model, or one line saying why it is unusable.
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        header = "Show a GGUF file's metadata and memory needs, or why it is unusable.",
        description = {
            "Show a GGUF model's metadata: architecture, parameters, quantisation, context, vocabulary, special tokens,",
            "chat template and the memory it needs. An unusable file (not GGUF, truncated, a vocabulary llama.cpp would",
            "abort on, …) gives one line saying why and exit code 1."
        })
public final class ModelsInfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME|FILE", description = "A .gguf file, or a model's name as 'hearth models list' shows it.")
    String target;

    private final CliEnvironment environment;
    private Path file = Path.of(".");

    public ModelsInfoCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Option(names = "--ctx", paramLabel = "N", description = "Context size for the KV-cache estimate (default: the training context, at most 8192).")
    Integer context;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    /// The file named, else the library's model of that name.
    private Path resolve() {
        var asFile = Path.of(target);
        if (Files.exists(asFile)) return asFile;
        var matches = ModelsListCommand.library(environment).find(target);
        if (matches.isEmpty()) throw new CliFailure(target + ": the file does not exist, and no model in the library has that name "
                + "(see 'hearth models list')");
        if (matches.size() > 1) {
            throw new CliFailure("'" + target + "' matches several models: " + matches.stream().map(m -> m.path().toString())
                    .collect(Collectors.joining(", ")) + "; give the file");
        }
        return matches.getFirst().path();
    }

    @Override
    public Integer call() throws IOException {
        if (context != null && context <= 0) throw new CliFailure("--ctx must be positive, not " + context, 2);
        file = resolve();
        if (Files.isDirectory(file)) throw new CliFailure(file + ": " + ModelFiles.FOLDER);
        GgufFile gguf;
        try {
            gguf = GgufReader.open(file);
        } catch (IOException e) {
            throw new CliFailure(file + ": " + ModelFiles.problem(e));
        }
        var info = gguf.modelInfo();
        long size = gguf.fileSize();
        int ctx = context != null ? context : defaultContext(info);
        var out = spec.commandLine().getOut();
        if (json) {
            var map = new LinkedHashMap<String, Object>();
            map.put("file", file.toAbsolutePath().toString());
            map.put("size_bytes", size);
            map.put("gguf_version", gguf.version());
            map.put("tensor_count", gguf.tensors().size());
            map.put("alignment", gguf.alignment());
            map.put("architecture", info.architecture());
            map.put("name", info.name());
            map.put("parameters", info.parameterCount());
            map.put("file_type", info.fileType());
            map.put("tensor_types", info.tensorTypes().entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().name(), e -> Map.of("tensors", e.getValue().tensors(), "bytes", e.getValue().bytes()),
                    (a, _) -> a, LinkedHashMap::new)));
            map.put("context_length", info.contextLength());
            map.put("embedding_length", info.embeddingLength());
            map.put("layers", info.blockCount());
            map.put("heads", info.headCount());
            map.put("kv_heads", info.headCountKv());
            map.put("vocabulary_size", info.vocabularySize());
            map.put("tokenizer", info.tokenizerModel());
            map.put("special_tokens", info.specialTokens().stream().map(t -> {
                var token = new LinkedHashMap<String, Object>();
                token.put("role", t.role());
                token.put("id", t.id());
                token.put("text", t.text());
                return token;
            }).toList());
            map.put("chat_template", info.chatTemplate());
            map.put("weights_bytes", info.weightsBytes());
            var kv = new LinkedHashMap<String, Object>();
            kv.put("context", ctx);
            for (var type : KvCacheType.values()) kv.put(type.name().toLowerCase(Locale.ROOT), info.kvCacheBytes(ctx, type));
            map.put("kv_cache_bytes", kv);
            map.put("estimated_memory_bytes", info.estimatedMemoryBytes(ctx, KvCacheType.F16));
            out.println(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).writeValueAsString(map));
        } else {
            printText(out, size, gguf.version(), gguf.tensors().size(), info, ctx);
        }
        out.flush();
        return 0;
    }

    /// The context Hearth would load with by default (the engine's own rule).
    static int defaultContext(ModelInfo info) {
        return LoadOptions.DEFAULT.effectiveContextSize((int) Math.min(Integer.MAX_VALUE, info.contextLength()));
    }

    private void printText(PrintWriter out, long size, int version, int tensors, ModelInfo info, int ctx) {
        row(out, "File", file.toAbsolutePath() + " (" + Units.bytes(size) + ", GGUF v" + version + ", " + tensors + " tensors)");
        row(out, "Name", orDash(info.name()));
        row(out, "Architecture", orDash(info.architecture()));
        row(out, "Parameters", Units.count(info.parameterCount()) + String.format(Locale.ROOT, " (%,d)", info.parameterCount()));
        row(out, "File type", info.fileType());
        row(out, "Tensor types", info.tensorTypes().entrySet().stream()
                .map(e -> e.getKey() + " ×" + e.getValue().tensors() + " (" + Units.bytes(e.getValue().bytes()) + ")")
                .collect(Collectors.joining(", ")));
        row(out, "Context", String.format(Locale.ROOT, "%,d tokens (training)", info.contextLength()));
        row(out, "Embedding", String.format(Locale.ROOT, "%,d", info.embeddingLength()));
        row(out, "Layers", Long.toString(info.blockCount()));
        row(out, "Heads", info.headCount() + " (KV heads " + info.headCountKv() + ")");
        row(out, "Vocabulary", String.format(Locale.ROOT, "%,d tokens, %s tokenizer", info.vocabularySize(), orDash(info.tokenizerModel())));
        row(out, "Special tokens", info.specialTokens().isEmpty() ? "–" : info.specialTokens().stream()
                .map(t -> t.role() + "=" + (t.text() == null ? "?" : t.text()) + " (" + t.id() + ")")
                .collect(Collectors.joining(", ")));
        row(out, "Chat template", info.chatTemplate() == null ? "none" : "yes (" + info.chatTemplate().length() + " characters)");
        row(out, "Weights", Units.bytes(info.weightsBytes()));
        row(out, "KV cache", String.format(Locale.ROOT, "at %,d tokens: f16 %s, q8_0 %s, q4_0 %s", ctx,
                Units.bytes(info.kvCacheBytes(ctx, KvCacheType.F16)), Units.bytes(info.kvCacheBytes(ctx, KvCacheType.Q8_0)),
                Units.bytes(info.kvCacheBytes(ctx, KvCacheType.Q4_0))));
        row(out, "Memory", Units.bytes(info.estimatedMemoryBytes(ctx, KvCacheType.F16)) + " (weights + f16 KV cache)");
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf(Locale.ROOT, "%-15s %s%n", key + ":", value);
    }

    private static String orDash(@org.jspecify.annotations.Nullable String s) {
        return s == null || s.isBlank() ? "–" : s;
    }
}
