package dev.hearth.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/// One run of the CLI in this JVM, with what it printed.
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return in(CliEnvironment.system(), args);
    }

    /// A run whose commands see `environment` instead of this process's.
    static CliRun in(CliEnvironment environment, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var cli = Cli.commandLine(environment);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /// True when stderr is exactly one line (the CLI's promise for every failure).
    boolean oneLineError() {
        return err.strip().lines().count() == 1 && err.startsWith("hearth: ");
    }
}
