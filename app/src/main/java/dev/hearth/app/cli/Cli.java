package dev.hearth.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/// Runs Hearth's command line. Every failure ends as one line on stderr and a non-zero exit code:
/// 2 for a command line that does not parse, the command's own code for a [CliFailure], 1 otherwise.
public final class Cli {
    private Cli() {}

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return commandLine(CliEnvironment.system());
    }

    /// A command line whose commands see `environment` (tests pass their own environment, home and terminal).
    public static CommandLine commandLine(CliEnvironment environment) {
        var cli = new CommandLine(new HearthCommand(), new EnvironmentFactory(environment));
        cli.setParameterExceptionHandler((ex, _) -> {
            var err = ex.getCommandLine().getErr();
            err.println("hearth: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, _) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof CliFailure failure) {
                err.println("hearth: " + failure.getMessage());
                return failure.exitCode();
            }
            err.println("hearth: unexpected error: " + describe(ex));
            return 1;
        });
        return cli;
    }

    /// Creates commands, handing [CliEnvironment] to those with a constructor that takes it.
    private record EnvironmentFactory(CliEnvironment environment) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                var constructor = type.getDeclaredConstructor(CliEnvironment.class);
                return constructor.newInstance(environment);
            } catch (NoSuchMethodException _) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    /// One line for an unexpected exception: its message, or its type when it has none.
    static String describe(Throwable ex) {
        var message = ex.getMessage();
        var line = message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
        return line.replace('\n', ' ').strip();
    }
}
