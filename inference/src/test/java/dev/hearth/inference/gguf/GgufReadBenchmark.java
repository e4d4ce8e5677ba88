package dev.hearth.inference.gguf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/// How long reading a large model's metadata takes, warm: a file with a 150,000-token BPE
/// vocabulary (tokens, scores, token types and 150,000 merges) and 300 tensors, opened, fully
/// validated (including the duplicate-token check) and turned into a [ModelInfo].
/// Target: under 50 ms.
///
/// Run it (from the repository root):
///
///     ./mvnw -q -B -pl inference test-compile exec:exec@gguf-bench
public class GgufReadBenchmark {

    /// The benchmark file, written once per run.
    @State(Scope.Benchmark)
    public static class LargeModel {
        Path dir;
        Path file;

        @Setup(Level.Trial)
        public void write() throws IOException {
            dir = Files.createTempDirectory("hearth-gguf-bench");
            file = LargeVocabularyModel.write(dir.resolve("large.gguf"), 150_000, 300);
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /// Opens, validates and summarises the file.
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public ModelInfo readMetadataAndModelInfo(LargeModel model) throws IOException {
        return GgufReader.open(model.file).modelInfo();
    }

    /// Opens the file and reads its structure only, without the vocabulary scan.
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    public GgufFile readStructureOnly(LargeModel model) throws IOException {
        return GgufReader.openStructure(model.file);
    }
}
