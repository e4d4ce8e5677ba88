package dev.hearth.inference.chat;

import java.io.Serial;

/// A runtime error without a position yet; the interpreter turns it into a [TemplateException] at the
/// innermost expression or statement being evaluated.
final class EvalError extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;
    final TemplateException.Kind kind;

    EvalError(String message) {
        this(message, TemplateException.Kind.RUNTIME);
    }

    EvalError(String message, TemplateException.Kind kind) {
        super(message, null, false, false);
        this.kind = kind;
    }
}
