package dev.hearth.inference.llama;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/// Checks a model file before llama.cpp sees it, so that a file that would make llama.cpp abort the process is
/// refused with a typed failure instead.
final class ModelFileCheck {
    /// The architectures llama.cpp b4916 knows (`LLM_ARCH_NAMES` in src/llama-arch.cpp at that build).
    static final Set<String> KNOWN_ARCHITECTURES = Set.of(
            "llama", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder", "refact",
            "bert", "nomic-bert", "jina-bert-v2", "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl",
            "phi2", "phi3", "phimoe", "plamo", "codeshell", "orion", "internlm2", "minicpm", "minicpm3", "gemma",
            "gemma2", "gemma3", "starcoder2", "mamba", "xverse", "command-r", "cohere2", "dbrx", "olmo", "olmo2",
            "olmoe", "openelm", "arctic", "deepseek", "deepseek2", "chatglm", "bitnet", "t5", "t5encoder", "jais",
            "nemotron", "exaone", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7", "granite", "granitemoe", "chameleon",
            "wavtokenizer-dec");

    record Result(String architecture) {}

    private ModelFileCheck() {}

    static Result check(Path file, LlamaGeneration generation) {
        if (!Files.exists(file))
            throw new EngineException(Failure.Kind.MODEL_FILE_MISSING, "model file not found: " + file);
        if (Files.isDirectory(file))
            throw new EngineException(Failure.Kind.NOT_A_MODEL_FILE, file + " is a folder, not a GGUF model file");
        if (!Files.isReadable(file))
            throw new EngineException(Failure.Kind.MODEL_FILE_MISSING, "model file is not readable: " + file);
        try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
            var head = ByteBuffer.allocate(4);
            while (head.hasRemaining() && ch.read(head) >= 0) {}
            if (head.position() < 4 || !"GGUF".equals(new String(head.array(), 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1)))
                throw new EngineException(Failure.Kind.NOT_A_MODEL_FILE, file.getFileName() + " is not a GGUF file");
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.MODEL_FILE_MISSING, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return GgufValidation.validate(file, generation);
    }

    /// Refuses an architecture b4916 does not know (the current generation's library judges for itself at load).
    static void requireKnownArchitecture(String architecture, LlamaGeneration generation) {
        var known = generation.knownArchitectures();
        if (!known.isEmpty() && !known.contains(architecture))
            throw new EngineException(Failure.Kind.UNSUPPORTED_ARCHITECTURE, "this engine's llama.cpp ("
                    + generation.id + ") is too old for architecture '" + architecture
                    + "' (choose a current engine: hearth engines list)");
    }
}
