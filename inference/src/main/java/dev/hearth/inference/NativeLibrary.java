package dev.hearth.inference;

import java.nio.file.Path;

/// Which llama.cpp library file to load.
public sealed interface NativeLibrary {

    /// The library inside the java-llama.cpp jar, extracted once into `cacheFolder/native/java-llama.cpp-VERSION/`.
    record Bundled(Path cacheFolder) implements NativeLibrary {}

    /// A library file the user chose (for example a CUDA or Vulkan build of the same java-llama.cpp version).
    record UserFile(Path file) implements NativeLibrary {}

    /// An engine pack folder: a current llama.cpp as separate libraries (`libllama`, `libggml*`, one CPU backend per
    /// processor family and any GPU backends), with the build metadata naming its llama.cpp release.
    record EnginePack(Path directory) implements NativeLibrary {}

    static NativeLibrary bundled(Path cacheFolder) {
        return new Bundled(cacheFolder);
    }

    static NativeLibrary file(Path file) {
        return new UserFile(file);
    }

    static NativeLibrary pack(Path directory) {
        return new EnginePack(directory);
    }
}
