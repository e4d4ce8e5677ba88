package dev.hearth.inference.library;

import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.ModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/// Listing 200 real GGUF models with their metadata (what the Models section shows) in a library that was just
/// created, as after a restart: `readEveryFile` without the on-disk metadata cache (every header parsed again),
/// `fromDiskCache` with the cache file an earlier run wrote. The files themselves are in the OS page cache in both.
///
///     java -cp inference/target/classes:inference/target/test-classes:$(cat cp.txt) org.openjdk.jmh.Main LibraryMetadataBenchmark
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LibraryMetadataBenchmark {
    private Path dir;
    private Path models;
    private Path cacheFile;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("hearth-metadata-bench");
        models = dir.resolve("models");
        for (int i = 0; i < 200; i++) {
            var repo = Files.createDirectories(models.resolve("owner" + (i % 20)).resolve("Repo-" + i + "-GGUF"));
            FixtureModel.builder().layers(2).seed(i).write(repo.resolve("Model-" + i + "-F32.gguf"));
        }
        cacheFile = dir.resolve("cache/gguf-metadata.json");
        var library = new ModelLibrary(models, List.of(), List.of(), cacheFile);
        if (infos(library).size() != 200) throw new IllegalStateException("expected 200 models");
        try {
            Thread.sleep(3 * MetadataCache.SAVE_DELAY_MS); // the last gathered save
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        var saved = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cacheFile.toFile()).get("entries").size();
        if (saved != 200) throw new IllegalStateException("the cache file holds " + saved + " entries");
    }

    @Benchmark
    public List<ModelInfo> readEveryFile() throws IOException {
        return infos(new ModelLibrary(models, List.of(), List.of()));
    }

    @Benchmark
    public List<ModelInfo> fromDiskCache() throws IOException {
        return infos(new ModelLibrary(models, List.of(), List.of(), cacheFile));
    }

    private static List<ModelInfo> infos(ModelLibrary library) throws IOException {
        var out = new ArrayList<ModelInfo>();
        for (var model : library.list()) out.add(library.info(model));
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var walk = Files.walk(dir)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
