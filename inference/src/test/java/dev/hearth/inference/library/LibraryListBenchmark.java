package dev.hearth.inference.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
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

/// Listing a library of 200 models (warm: the file system's metadata cached, the JIT warmed up): 150 single files in
/// owner/repo folders, 10 split sets of 5 parts, plus a Hugging Face cache of 0 and an unrelated README in each repo.
///
///     java -cp inference/target/classes:inference/target/test-classes:$(cat cp.txt) org.openjdk.jmh.Main LibraryListBenchmark
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LibraryListBenchmark {
    private Path dir;
    private ModelLibrary library;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("hearth-library-bench");
        var models = dir.resolve("models");
        for (int i = 0; i < 190; i++) {
            var repo = models.resolve("owner" + (i % 20)).resolve("Repo-" + i + "-GGUF");
            Files.createDirectories(repo);
            Files.write(repo.resolve("Model-" + i + "-Q4_K_M.gguf"), new byte[] {'G', 'G', 'U', 'F'});
            Files.writeString(repo.resolve("README.md"), "readme");
        }
        for (int s = 0; s < 10; s++) {
            var repo = models.resolve("split").resolve("Big-" + s + "-GGUF");
            Files.createDirectories(repo);
            for (int p = 1; p <= 5; p++) {
                Files.write(repo.resolve(String.format("Big-%d-Q8_0-%05d-of-00005.gguf", s, p)), new byte[] {'G', 'G', 'U', 'F'});
            }
        }
        library = new ModelLibrary(models, List.of(), List.of());
        int count = library.list().size();
        if (count != 200) throw new IllegalStateException("expected 200 models, listed " + count);
    }

    @Benchmark
    public List<LocalModel> list200() {
        return library.list();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var walk = Files.walk(dir)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
