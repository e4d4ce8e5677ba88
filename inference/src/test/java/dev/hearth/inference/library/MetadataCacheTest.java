package dev.hearth.inference.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.gguf.FixtureModel;
import dev.hearth.inference.gguf.GgufReader;
import dev.hearth.inference.gguf.ModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataCacheTest {
    @TempDir Path dir;

    public record Info(String text, long length) {}

    private final AtomicInteger reads = new AtomicInteger();

    private MetadataCache<Info> cache(Path file) {
        return new MetadataCache<>(p -> {
            reads.incrementAndGet();
            var text = Files.readString(p);
            return new Info(text, text.length());
        }, Info.class, file);
    }

    @Test
    void aNewCacheOnTheSameFileAnswersWithoutReadingTheModelAgain() throws Exception {
        var model = Files.writeString(dir.resolve("a.gguf"), "alpha");
        var cacheFile = dir.resolve("cache/meta.json");
        var first = cache(cacheFile);
        assertEquals(new Info("alpha", 5), first.get(model));
        first.save();

        var second = cache(cacheFile);
        assertEquals(new Info("alpha", 5), second.get(model));
        assertEquals(1, reads.get());
    }

    @Test
    void aModelChangedSinceItWasCachedIsReadAgain() throws Exception {
        var model = Files.writeString(dir.resolve("a.gguf"), "alpha");
        var cacheFile = dir.resolve("meta.json");
        var first = cache(cacheFile);
        first.get(model);
        first.save();
        Files.writeString(model, "alphA"); // same size: the modification time tells
        Files.setLastModifiedTime(model, FileTime.from(Instant.now().plusSeconds(5)));

        assertEquals(new Info("alphA", 5), cache(cacheFile).get(model));
        assertEquals(2, reads.get());
    }

    @Test
    void aDamagedCacheFileIsIgnoredAndRewritten() throws Exception {
        var model = Files.writeString(dir.resolve("a.gguf"), "alpha");
        var cacheFile = Files.writeString(dir.resolve("meta.json"), "{\"format\":1,\"entries\":[{\"path\":");
        var cache = cache(cacheFile);
        assertEquals(new Info("alpha", 5), cache.get(model));
        cache.save();

        var json = new ObjectMapper().readTree(cacheFile.toFile());
        assertEquals(MetadataCache.FORMAT, json.get("format").asInt());
        assertEquals(model.toAbsolutePath().toString(), json.get("entries").get(0).get("path").asText());
    }

    @Test
    void anEntryThatDoesNotFitTheTypeIsReadAgainAndTheOthersAreKept() throws Exception {
        var a = Files.writeString(dir.resolve("a.gguf"), "alpha");
        var b = Files.writeString(dir.resolve("b.gguf"), "beta");
        var cacheFile = dir.resolve("meta.json");
        var first = cache(cacheFile);
        first.get(a);
        first.get(b);
        first.save();
        var text = Files.readString(cacheFile).replace("\"text\":\"beta\"", "\"text\":{\"not\":\"text\"}");
        Files.writeString(cacheFile, text);

        var second = cache(cacheFile);
        second.get(a);
        second.get(b);
        assertEquals(3, reads.get(), "only b is read again");
    }

    @Test
    void savesFromTwoProcessesAreMergedNotLost() throws Exception {
        var a = Files.writeString(dir.resolve("a.gguf"), "alpha");
        var b = Files.writeString(dir.resolve("b.gguf"), "beta");
        var cacheFile = dir.resolve("meta.json");
        var one = cache(cacheFile);
        var two = cache(cacheFile);
        one.get(a);
        two.get(b);
        one.save();
        two.save();

        var third = cache(cacheFile);
        third.get(a);
        third.get(b);
        assertEquals(2, reads.get());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(a, b, cacheFile), files.sorted().toList(), "no temporary file is left behind");
        }
    }

    @Test
    void entriesOfDeletedModelsAreDroppedAtTheNextSave() throws Exception {
        var a = Files.writeString(dir.resolve("a.gguf"), "alpha");
        var cacheFile = dir.resolve("meta.json");
        var cache = cache(cacheFile);
        cache.get(a);
        cache.save();
        Files.delete(a);
        cache.save();
        assertEquals(0, new ObjectMapper().readTree(cacheFile.toFile()).get("entries").size());
    }

    @Test
    void aRealModelsInfoComesBackFromTheFileUnchanged() throws Exception {
        var models = dir.resolve("models");
        var path = FixtureModel.builder().layers(2).write(Files.createDirectories(models.resolve("t/tiny")).resolve("tiny-F32.gguf"));
        var cacheFile = dir.resolve("cache/gguf-metadata.json");
        var first = new ModelLibrary(models, List.of(), List.of(), cacheFile);
        var info = first.info(first.list().getFirst());
        assertTrue(Files.isRegularFile(cacheFile), "the first read is saved at once");

        var fromDisk = new MetadataCache<>(p -> { throw new AssertionError("read " + p); }, ModelInfo.class, cacheFile).get(path);
        assertEquals(info, fromDisk);
        assertEquals(GgufReader.open(path).modelInfo(), fromDisk);
    }
}
