package dev.hearth.inference;

import java.io.Serial;

/// The engine's one exception type: it carries a [Failure], whose kind callers switch on.
public final class EngineException extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    public EngineException(Failure.Kind kind, String detail) {
        this(new Failure(kind, detail), null);
    }

    public EngineException(Failure failure, Throwable cause) {
        super(failure.detail(), cause);
        this.failure = failure;
    }

    public EngineException(Failure.Kind kind, String detail, Throwable cause) {
        this(new Failure(kind, detail), cause);
    }

    public Failure failure() {
        return failure;
    }

    public Failure.Kind kind() {
        return failure.kind();
    }
}
