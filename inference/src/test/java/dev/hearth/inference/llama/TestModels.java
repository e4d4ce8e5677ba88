package dev.hearth.inference.llama;

import dev.hearth.inference.NativeLibrary;
import dev.hearth.inference.gguf.FixtureModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// Fixture models written once per test JVM by our GGUF writer, and the shared native library.
final class TestModels {
    private static Path tiny;

    private TestModels() {}

    static Path hearthHome() {
        var home = System.getenv("HEARTH_HOME");
        return Path.of(home != null ? home : "target/test-hearth-home").toAbsolutePath();
    }

    static NativeLibrary library() {
        return dev.hearth.inference.TestEngine.library(hearthHome().resolve("cache"));
    }

    /// A 64-wide, 2-layer llama with the fixture's 300+-token vocabulary (~0.6 MB).
    static synchronized Path tiny() {
        if (tiny == null) {
            try {
                var dir = Files.createDirectories(hearthHome().resolve("models"));
                tiny = FixtureModel.builder().width(64).layers(2).contextLength(512).seed(7)
                        .write(dir.resolve("tiny-engine-test.gguf"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tiny;
    }
}
