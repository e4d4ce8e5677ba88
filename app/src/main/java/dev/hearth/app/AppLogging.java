package dev.hearth.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/// Sends the window's log (java.util.logging) to `logs/hearth.log` instead of the terminal.
final class AppLogging {
    private AppLogging() {}

    static void toFile(Path file) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        var root = Logger.getLogger("");
        try {
            Files.createDirectories(file.getParent());
            var handler = new FileHandler(file.toString(), 5_000_000, 2, true);
            handler.setFormatter(new SimpleFormatter());
            for (var h : root.getHandlers()) root.removeHandler(h);
            root.addHandler(handler);
            root.setLevel(Level.INFO);
        } catch (IOException e) {
            root.warning("cannot write the log file " + file + ": " + e.getMessage());
        }
    }
}
