package dev.hearth.app;

import dev.hearth.app.cli.Cli;

/// Hearth's entry point: no arguments opens the window, anything else runs the command line.
/// This class must not extend `Application`: on the class path that makes the JVM refuse to start JavaFX.
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            HearthApplication.launchWindow();
            return;
        }
        System.exit(Cli.run(args));
    }
}
