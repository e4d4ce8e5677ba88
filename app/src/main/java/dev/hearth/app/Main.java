package dev.hearth.app;

import dev.hearth.app.cli.Cli;
import dev.hearth.app.cli.EngineWorkerCommand;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/// Hearth's entry point: no arguments opens the window, one existing `.gguf` file opens the window with that model
/// shown (what a double-click on a model file in the file manager does), anything else runs the command line.
/// This class must not extend `Application`: on the class path that makes the JVM refuse to start JavaFX.
public final class Main {
    private Main() {}

    /// What a command line asks Hearth to do.
    sealed interface Launch {
        /// Open the window; `model`, when present, is shown in the Models section.
        record Window(@Nullable Path model) implements Launch {}

        /// Run the command line with these arguments.
        record Command(List<String> args) implements Launch {}

        /// The only argument names a `.gguf` file that is not there.
        record NoSuchModel(String arg) implements Launch {}
    }

    public static void main(String[] args) {
        // An engine worker skips picocli: building the whole command tree (every subcommand, Jackson, locale data)
        // cost about as much CPU as the rest of a worker's start. Anything but these exact forms goes to the CLI,
        // whose `engine-worker` command does the same (and reports bad arguments).
        if (args.length >= 1 && args[0].equals("engine-worker")) {
            if (args.length == 1) EngineWorkerCommand.serve(null);
            if (args.length == 3 && args[1].equals("--native-lib")) EngineWorkerCommand.serve(Path.of(args[2]));
            if (args.length == 3 && args[1].equals("--engine-dir"))
                dev.hearth.inference.worker.WorkerServer.main(dev.hearth.inference.NativeLibrary.pack(Path.of(args[2])));
        }
        switch (decide(List.of(args), Files::isRegularFile)) {
            case Launch.Window(var model) -> HearthApplication.launchWindow(model);
            case Launch.Command(var cliArgs) -> System.exit(Cli.run(cliArgs.toArray(String[]::new)));
            case Launch.NoSuchModel(var arg) -> {
                System.err.println("hearth: no such model file: " + arg + " (try 'hearth --help')");
                System.exit(2);
            }
        }
    }

    /// The window for no arguments or for one argument naming an existing file that ends in `.gguf` (any case);
    /// [Launch.NoSuchModel] for one `.gguf` argument that is not a file; the command line for everything else, so
    /// `hearth models info X.gguf` still gets the CLI. `isFile` is [Files#isRegularFile] in the app.
    static Launch decide(List<String> args, Predicate<Path> isFile) {
        if (args.isEmpty()) return new Launch.Window(null);
        if (args.size() == 1) {
            var arg = args.getFirst();
            if (!arg.startsWith("-") && arg.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
                try {
                    var file = Path.of(arg).toAbsolutePath().normalize();
                    return isFile.test(file) ? new Launch.Window(file) : new Launch.NoSuchModel(arg);
                } catch (InvalidPathException _) {
                    return new Launch.NoSuchModel(arg);
                }
            }
        }
        return new Launch.Command(List.copyOf(args));
    }
}
