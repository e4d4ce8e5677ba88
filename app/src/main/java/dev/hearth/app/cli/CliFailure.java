package dev.hearth.app.cli;

import java.io.Serial;

/// A failure the CLI reports as one plain line on stderr with a non-zero exit code, never a stack trace.
/// Commands throw it for bad input and for failures the user can act on.
public final class CliFailure extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;
    private final int exitCode;

    public CliFailure(String message) {
        this(message, 1);
    }

    public CliFailure(String message, int exitCode) {
        super(message, null, false, false);
        if (exitCode == 0) throw new IllegalArgumentException("a failure needs a non-zero exit code");
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
