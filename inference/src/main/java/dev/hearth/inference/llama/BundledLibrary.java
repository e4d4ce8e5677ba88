package dev.hearth.inference.llama;

import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/// The llama.cpp library shipped inside the java-llama.cpp jar, extracted once per version into Hearth's cache:
/// `<cache>/native/java-llama.cpp-4.2.0/<os>-<arch>/libjllama.so`. The file is written to a temporary name in
/// the same folder and moved into place, so a crash never leaves a half-written library; a later launch reuses it.
/// Only files in that folder that Hearth wrote are ever replaced.
public final class BundledLibrary {
    /// The java-llama.cpp version whose library this binding expects.
    public static final String JAVA_LLAMA_VERSION = "4.2.0";

    private BundledLibrary() {}

    /// The folder the library is extracted into for this platform.
    public static Path folder(Path cacheFolder) {
        var p = Platform.current();
        return cacheFolder.resolve("native").resolve("java-llama.cpp-" + JAVA_LLAMA_VERSION)
                .resolve(p.os() + "-" + p.arch());
    }

    /// Extracts the library if it is not in the cache yet (or has the wrong size) and returns its path.
    static Path extract(Path cacheFolder) {
        var platform = Platform.current();
        String resource = "de/kherud/llama/" + platform.os() + "/" + platform.arch() + "/" + platform.fileName();
        URL url = BundledLibrary.class.getClassLoader().getResource(resource);
        if (url == null)
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_MISSING,
                    "java-llama.cpp " + JAVA_LLAMA_VERSION + " ships no llama.cpp library for " + platform.os() + " "
                            + platform.arch() + "; choose a library file with --native-lib");
        Path folder = folder(cacheFolder);
        Path target = folder.resolve(platform.fileName());
        try {
            long expectedSize = url.openConnection().getContentLengthLong();
            if (Files.isRegularFile(target) && (expectedSize < 0 || Files.size(target) == expectedSize)) return target;
            Files.createDirectories(folder);
            Path temp = Files.createTempFile(folder, platform.fileName() + ".", ".part");
            try {
                try (InputStream in = url.openStream()) {
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return target;
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_MISSING,
                    "cannot extract the llama.cpp library to " + folder + ": " + e.getMessage(), e);
        }
    }

    /// The platform names java-llama.cpp uses for its resource folders.
    record Platform(String os, String arch, String fileName) {
        static Platform current() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            String a = switch (arch) {
                case "amd64", "x86_64", "x64" -> "x86_64";
                case "aarch64", "arm64" -> "aarch64";
                case "x86", "i386", "i686" -> "x86";
                default -> arch;
            };
            if (os.contains("win")) return new Platform("Windows", a, "jllama.dll");
            if (os.contains("mac") || os.contains("darwin")) return new Platform("Mac", a, "libjllama.dylib");
            return new Platform("Linux", a, "libjllama.so");
        }
    }
}
