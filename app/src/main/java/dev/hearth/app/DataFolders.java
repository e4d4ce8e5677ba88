package dev.hearth.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/// Where Hearth keeps its files. `home` is `$HEARTH_HOME` when set, else the OS data folder:
/// `$XDG_DATA_HOME/hearth` or `~/.local/share/hearth` on Linux, `~/Library/Application Support/Hearth` on macOS,
/// `%LOCALAPPDATA%\Hearth` on Windows.
///
/// @param database the session log, `home/hearth.db`
public record DataFolders(Path home, Path models, Path logs, Path cache, Path database) {

    public static DataFolders of(Path home) {
        return new DataFolders(home, home.resolve("models"), home.resolve("logs"), home.resolve("cache"),
                home.resolve("hearth.db"));
    }

    public static DataFolders resolve(Map<String, String> env, String osName, Path userHome) {
        var explicit = env.get("HEARTH_HOME");
        if (explicit != null && !explicit.isBlank()) return of(Path.of(explicit));
        var os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.contains("darwin")) {
            return of(userHome.resolve("Library").resolve("Application Support").resolve("Hearth"));
        }
        if (os.startsWith("windows")) {
            var local = env.get("LOCALAPPDATA");
            var base = local != null && !local.isBlank() ? Path.of(local) : userHome.resolve("AppData").resolve("Local");
            return of(base.resolve("Hearth"));
        }
        var xdg = env.get("XDG_DATA_HOME");
        var base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : userHome.resolve(".local").resolve("share");
        return of(base.resolve("hearth"));
    }

    public static DataFolders fromEnvironment() {
        return resolve(System.getenv(), System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }
}
