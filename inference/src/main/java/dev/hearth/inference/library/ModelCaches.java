package dev.hearth.inference.library;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Finds other tools' model caches on this machine, the places they use by default or by their environment variables:
///
/// - LM Studio: `~/.lmstudio/models`, older `~/.cache/lm-studio/models`
/// - Hugging Face: `HF_HUB_CACHE`, else `HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub` or `~/.cache/huggingface/hub`
/// - llama.cpp: `LLAMA_CACHE`, else `~/.cache/llama.cpp` (Linux), `~/Library/Caches/llama.cpp` (macOS),
///   `%LOCALAPPDATA%\llama.cpp` (Windows)
/// - Ollama: `OLLAMA_MODELS`, else `~/.ollama/models`
public final class ModelCaches {
    private ModelCaches() {}

    /// The caches that exist, in the order above.
    public static List<LibraryFolder> discover(Map<String, String> env, Path userHome, String osName) {
        var found = new ArrayList<LibraryFolder>();
        add(found, userHome.resolve(".lmstudio/models"), ModelSource.LM_STUDIO);
        add(found, userHome.resolve(".cache/lm-studio/models"), ModelSource.LM_STUDIO);
        add(found, huggingFaceHub(env, userHome), ModelSource.HUGGING_FACE);
        add(found, llamaCpp(env, userHome, osName), ModelSource.LLAMA_CPP);
        var ollama = get(env, "OLLAMA_MODELS");
        add(found, ollama != null ? Path.of(ollama) : userHome.resolve(".ollama/models"), ModelSource.OLLAMA);
        return List.copyOf(found);
    }

    static Path huggingFaceHub(Map<String, String> env, Path userHome) {
        var hubCache = get(env, "HF_HUB_CACHE");
        if (hubCache != null) return Path.of(hubCache);
        var home = get(env, "HF_HOME");
        if (home != null) return Path.of(home).resolve("hub");
        var xdg = get(env, "XDG_CACHE_HOME");
        return (xdg != null ? Path.of(xdg) : userHome.resolve(".cache")).resolve("huggingface").resolve("hub");
    }

    static Path llamaCpp(Map<String, String> env, Path userHome, String osName) {
        var explicit = get(env, "LLAMA_CACHE");
        if (explicit != null) return Path.of(explicit);
        var os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("mac")) return userHome.resolve("Library/Caches/llama.cpp");
        if (os.contains("win")) {
            var local = get(env, "LOCALAPPDATA");
            return (local != null ? Path.of(local) : userHome.resolve("AppData/Local")).resolve("llama.cpp");
        }
        var xdg = get(env, "XDG_CACHE_HOME");
        return (xdg != null ? Path.of(xdg) : userHome.resolve(".cache")).resolve("llama.cpp");
    }

    private static void add(List<LibraryFolder> found, Path path, ModelSource source) {
        if (Files.isDirectory(path) && found.stream().noneMatch(f -> f.path().equals(path))) {
            found.add(new LibraryFolder(path, source));
        }
    }

    private static @Nullable String get(Map<String, String> env, String key) {
        var v = env.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
