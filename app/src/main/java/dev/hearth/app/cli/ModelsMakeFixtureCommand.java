package dev.hearth.app.cli;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.GgmlType;
import dev.hearth.inference.gguf.GgufReader;
import dev.hearth.ui.Units;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `hearth models make-fixture OUT.gguf`: writes a small random-weight llama model for demos, tests and benchmarks.
@Command(
        name = "make-fixture",
        mixinStandardHelpOptions = true,
        header = "Write a small random-weight llama model for demos, tests and benchmarks.",
        description = {
            "Write a random-weight llama-architecture GGUF model (SentencePiece tokenizer with byte fallback,",
            "ChatML template). Its output is gibberish; it is for demos, tests and benchmarks. The same options and",
            "seed always give the same bytes. --width 512 --layers 8 --vocab 32000 gives the ~230 MB bench model."
        })
public final class ModelsMakeFixtureCommand implements Callable<Integer> {
    enum WeightType { f32, q8_0 }

    enum Architecture { llama, qwen3 }

    @Parameters(paramLabel = "OUT.gguf", description = "The file to write (must not exist unless --force).")
    Path out;

    @Option(names = "--width", paramLabel = "N", defaultValue = "64", description = "Embedding length (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "2", description = "Transformer layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", paramLabel = "N", defaultValue = "4", description = "Attention heads; must divide the width (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--vocab", paramLabel = "N", defaultValue = "600", description = "Vocabulary size, at least 300 (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--ctx", paramLabel = "N", defaultValue = "2048", description = "Training context length (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--type", paramLabel = "f32|q8_0", defaultValue = "f32", description = "Weight type (default: ${DEFAULT-VALUE}).")
    WeightType type;

    @Option(names = "--arch", paramLabel = "llama|qwen3", defaultValue = "llama",
            description = "Architecture: llama runs on every engine, qwen3 only on a current one (default: ${DEFAULT-VALUE}).")
    Architecture architecture;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the random weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Overwrite OUT.gguf if it exists.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (Files.isDirectory(out)) throw new CliFailure(out + " is a folder; give a file name such as " + out.resolve("fixture.gguf"));
        if (Files.exists(out) && !force) throw new CliFailure(out + " exists; use --force to overwrite it");
        var parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new CliFailure("no such folder: " + parent);
        FixtureModel.Builder builder;
        try {
            builder = FixtureModel.builder().width(width).layers(layers).heads(heads).vocabulary(vocab)
                    .contextLength(context).seed(seed).architecture(architecture.name()).type(type == WeightType.q8_0 ? GgmlType.Q8_0 : GgmlType.F32);
            // Written beside OUT and moved into place: a process that has the old file mapped (llama.cpp uses mmap)
            // keeps its bytes instead of seeing them change under it.
            var tmp = out.resolveSibling(out.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            try {
                builder.write(tmp);
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IllegalArgumentException e) {
            throw new CliFailure("cannot make that model: " + e.getMessage(), 2);
        }
        var info = GgufReader.open(out).modelInfo();
        spec.commandLine().getOut().printf("wrote %s (%s, %s %s, %s parameters, vocabulary %,d)%n", out, Units.bytes(Files.size(out)),
                info.architecture(), info.fileType(), Units.count(info.parameterCount()), info.vocabularySize());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
