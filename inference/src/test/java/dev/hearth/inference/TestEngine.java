package dev.hearth.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/// Which llama.cpp the engine tests run on: the bundled b4916 (default) or, with `-Dhearth.test.engine=pack`, the
/// current-generation engine pack the build fetched (`-Dhearth.test.enginePack=DIR`). Without a fetched pack (no npm
/// at build time) the tests that need it are skipped with that reason, never failed.
public final class TestEngine {
    private TestEngine() {}

    /// True when this test JVM runs the engine suites on the engine pack.
    public static boolean onPack() {
        return "pack".equals(System.getProperty("hearth.test.engine"));
    }

    /// The fetched engine pack folder; skips the calling test when the build could not fetch one.
    public static Path packDirectory() {
        var dir = System.getProperty("hearth.test.enginePack", "");
        Assumptions.assumeTrue(!dir.isBlank() && Files.isRegularFile(Path.of(dir, "_nlcBuildMetadata.json")),
                "no engine pack was fetched at build time (npm missing or offline): " + dir);
        return Path.of(dir);
    }

    /// The library the engine suites load: the pack when [#onPack()], else the bundled b4916 in `cache`.
    public static NativeLibrary library(Path cache) {
        return onPack() ? NativeLibrary.pack(packDirectory()) : NativeLibrary.bundled(cache);
    }
}
