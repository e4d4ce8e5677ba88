package dev.hearth.app;

import java.awt.Desktop;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/// macOS: a `.gguf` file double-clicked in the Finder reaches an app as an Apple event (`openFiles`), not as a
/// command-line argument, both when it starts Hearth and when Hearth already runs. `java.awt.Desktop` is the JDK's
/// public way to receive it. Used on macOS only, so that on Linux and Windows AWT is never loaded for it (those
/// systems pass the file as an argument, which [Main] handles).
///
/// Not run on macOS during development (there was no Mac): it follows the JDK's documented API; if JavaFX's own
/// macOS toolkit took the event first, the handler would simply never be called and nothing else changes.
final class MacOpenFiles {
    private MacOpenFiles() {}

    static boolean isMac() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    /// Registers `open` for files the Finder asks Hearth to open; does nothing off macOS or where unsupported.
    static void install(Consumer<Path> open) {
        if (!isMac()) return;
        try {
            if (!Desktop.isDesktopSupported()) return;
            var desktop = Desktop.getDesktop();
            if (!desktop.isSupported(Desktop.Action.APP_OPEN_FILE)) return;
            desktop.setOpenFileHandler(event -> event.getFiles().stream()
                    .map(File::toPath)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf"))
                    .forEach(p -> open.accept(p.toAbsolutePath().normalize())));
        } catch (RuntimeException | LinkageError e) {
            // headless, or no AWT in this runtime: double-clicks fall back to what the launcher passes as arguments
            System.getLogger(MacOpenFiles.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot receive files opened from the Finder: " + e);
        }
    }
}
