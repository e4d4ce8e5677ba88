package dev.hearth.inference.pack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.inference.EngineException;
import dev.hearth.inference.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/// One engine pack folder, read without loading anything: the llama library, every native library beside it, the
/// llama.cpp release its build metadata (`_nlcBuildMetadata.json`) names, and the backends its file names show.
///
/// @param directory the folder (absolute, normalised)
/// @param llamaLibrary `libllama.so` / `libllama.v<version>.so` / `llama.dll` / `libllama.dylib` in it
/// @param libraries every native library file in the folder
/// @param build the llama.cpp release the pack was built from (e.g. `v0.5.0`)
/// @param backends the ggml backends the pack carries (`CPU`, `Vulkan`, `CUDA`, `Metal`, …)
/// @param packageName the npm package the folder came from, when its `package.json` was kept (else empty)
/// @param packageVersion that package's version (else empty)
public record PackFolder(Path directory, Path llamaLibrary, List<Path> libraries, String build, List<String> backends,
        String packageName, String packageVersion) {

    /// The node-llama-cpp release whose packs this Hearth's binding was verified with (docs/native-llama-v0.5.0.md).
    public static final String NODE_LLAMA_CPP_VERSION = "3.22.1";

    /// The llama.cpp releases (as the packs' build metadata names them) this Hearth's binding speaks.
    public static final java.util.Set<String> SUPPORTED_BUILDS = java.util.Set.of("v0.5.0");

    /// The build metadata file node-llama-cpp writes next to its libraries.
    public static final String METADATA = "_nlcBuildMetadata.json";

    /// `libllama.so`, `libllama.v0.5.0.so`, and a GPU pack's `libllama.vulkan.v0.5.0.so` / `libllama.cuda.v0.5.0.so`
    private static final Pattern LLAMA = Pattern.compile("(lib)?llama(\\.[a-z][a-z0-9]*)?(\\.v[0-9][0-9.]*)?\\.(so|dylib|dll)");
    private static final Pattern NATIVE = Pattern.compile(".*\\.(so(\\.[0-9.]+)?|dylib|dll)");
    private static final Pattern BACKEND = Pattern.compile("(lib)?ggml-([a-z0-9]+)(-[a-z0-9_]+)?\\.(so|dylib|dll)");

    public PackFolder {
        libraries = List.copyOf(libraries);
        backends = List.copyOf(backends);
    }

    /// Reads `directory`; a folder that is not an engine pack is refused with `NATIVE_LIBRARY_MISSING` (nothing
    /// there) or `NATIVE_LIBRARY_INVALID` (metadata unreadable) and one clear sentence.
    public static PackFolder inspect(Path directory) {
        var dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir))
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_MISSING, "engine folder not found: " + dir);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_MISSING, "cannot read " + dir + ": " + e.getMessage(), e);
        }
        var llama = files.stream().filter(f -> LLAMA.matcher(f.getFileName().toString()).matches()).findFirst()
                .orElseThrow(() -> new EngineException(Failure.Kind.NATIVE_LIBRARY_MISSING,
                        "the engine folder " + dir + " has no llama library (libllama*.so, libllama*.dylib or llama.dll)"));
        var metadata = dir.resolve(METADATA);
        if (!Files.isRegularFile(metadata))
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_MISSING,
                    "the engine folder " + dir + " has no " + METADATA + " naming its llama.cpp build");
        var mapper = new ObjectMapper();
        String build;
        try {
            JsonNode release = mapper.readTree(metadata.toFile()).path("buildOptions").path("llamaCpp").path("release");
            build = release.asText("");
        } catch (IOException e) {
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID, METADATA + " in " + dir + " is not readable: "
                    + e.getMessage(), e);
        }
        if (build.isBlank() || !build.matches("[A-Za-z0-9._-]{1,40}"))
            throw new EngineException(Failure.Kind.NATIVE_LIBRARY_INVALID, METADATA + " in " + dir
                    + " names no llama.cpp release");
        String name = "", version = "";
        var pkg = dir.resolve("package.json");
        if (Files.isRegularFile(pkg)) {
            try {
                var node = mapper.readTree(pkg.toFile());
                name = node.path("name").asText("");
                version = node.path("version").asText("");
            } catch (IOException e) {
                // the package file is informative only
            }
        }
        var libraries = new ArrayList<Path>();
        var backends = new TreeSet<String>();
        for (var f : files) {
            var n = f.getFileName().toString();
            if (!NATIVE.matcher(n).matches()) continue;
            libraries.add(f);
            var m = BACKEND.matcher(n);
            if (m.matches() && !m.group(2).equals("base")) backends.add(backendName(m.group(2)));
        }
        return new PackFolder(dir, llama, libraries, build, new ArrayList<>(backends), name, version);
    }

    private static String backendName(String id) {
        return switch (id) {
            case "cpu" -> "CPU";
            case "cuda" -> "CUDA";
            case "vulkan" -> "Vulkan";
            case "metal" -> "Metal";
            case "blas" -> "BLAS";
            default -> id.toUpperCase(Locale.ROOT);
        };
    }
}
