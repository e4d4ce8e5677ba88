package dev.hearth.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/// Where Hearth keeps its files, following each OS's convention.
///
/// | OS | data (`home`) | cache |
/// |---|---|---|
/// | Linux and other Unix | `$XDG_DATA_HOME/hearth` or `~/.local/share/hearth` | `$XDG_CACHE_HOME/hearth` or `~/.cache/hearth` |
/// | macOS | `~/Library/Application Support/Hearth` | `~/Library/Caches/Hearth` |
/// | Windows | `%LOCALAPPDATA%\Hearth` | `%LOCALAPPDATA%\Hearth\cache` |
///
/// `HEARTH_HOME=DIR` puts everything under DIR: `DIR/hearth.db`, `DIR/models/`, `DIR/logs/`, `DIR/cache/`.
///
/// @param home     the data folder
/// @param database the session log, `hearth.db`
/// @param models   downloaded models
/// @param logs     Hearth's and the engine workers' log files
/// @param cache    things Hearth can recreate (the extracted native library, metadata caches)
/// @param settings the settings file
public record DataFolders(Path home, Path database, Path models, Path logs, Path cache, Path settings) {

    public static final String HEARTH_HOME = "HEARTH_HOME";

    /// The folders for this process: its environment, OS and user.
    public static DataFolders fromEnvironment() {
        return resolve(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    /// The folders for an environment, an `os.name` and a home folder; pure, so every OS's rule can be tested anywhere.
    public static DataFolders resolve(Map<String, String> env, String osName, Path userHome) {
        var explicit = nonBlank(env.get(HEARTH_HOME));
        if (explicit != null) {
            var dir = Path.of(explicit).toAbsolutePath().normalize();
            return under(dir, dir.resolve("cache"));
        }
        var os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            var local = nonBlank(env.get("LOCALAPPDATA"));
            var base = local != null ? Path.of(local) : userHome.resolve("AppData").resolve("Local");
            var home = base.resolve("Hearth");
            return under(home, home.resolve("cache"));
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            var library = userHome.resolve("Library");
            return under(library.resolve("Application Support").resolve("Hearth"), library.resolve("Caches").resolve("Hearth"));
        }
        var dataHome = xdg(env, "XDG_DATA_HOME", userHome.resolve(".local").resolve("share"));
        var cacheHome = xdg(env, "XDG_CACHE_HOME", userHome.resolve(".cache"));
        return under(dataHome.resolve("hearth"), cacheHome.resolve("hearth"));
    }

    private static DataFolders under(Path home, Path cache) {
        return new DataFolders(home, home.resolve("hearth.db"), home.resolve("models"), home.resolve("logs"), cache,
                home.resolve("settings.json"));
    }

    /// XDG says relative paths in these variables are invalid and must be ignored.
    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        var value = nonBlank(env.get(name));
        if (value == null) return fallback;
        var path = Path.of(value);
        return path.isAbsolute() ? path : fallback;
    }

    private static @org.jspecify.annotations.Nullable String nonBlank(@org.jspecify.annotations.Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /// Creates the data, models, logs and cache folders if they are missing.
    public DataFolders create() throws IOException {
        for (var dir : new Path[] {home, models, logs, cache}) Files.createDirectories(dir);
        return this;
    }
}
