package dev.hearth.inference.chat;

import java.io.Serial;

/// A template that cannot be parsed or rendered: a syntax error, an unsupported construct, a runtime error
/// (including the template's own `raise_exception`), or a [RenderLimits] limit that was reached.
/// The message names the line and column of the template where it happened.
public final class TemplateException extends RuntimeException {
    @Serial private static final long serialVersionUID = 1L;

    /// What went wrong, in broad terms.
    public enum Kind {
        /// The template does not parse, or uses a construct this interpreter does not support.
        SYNTAX,
        /// An error while rendering: an undefined value used, a type error, a bad argument.
        RUNTIME,
        /// The template itself called `raise_exception(message)`; [#reason()] is its message.
        RAISED,
        /// A [RenderLimits] bound was reached (output size, loop iterations, call depth, time).
        LIMIT
    }

    private final Kind kind;
    private final int line;
    private final int column;
    private final String reason;

    /// `line` and `column` count from 1; 0 when unknown.
    public TemplateException(Kind kind, String reason, int line, int column) {
        super(format(reason, line, column), null, false, false);
        this.kind = kind;
        this.reason = reason;
        this.line = line;
        this.column = column;
    }

    /// A [Kind#SYNTAX] error.
    public TemplateException(String reason, int line, int column) {
        this(Kind.SYNTAX, reason, line, column);
    }

    public Kind kind() {
        return kind;
    }

    private static String format(String reason, int line, int column) {
        if (line <= 0) return reason;
        return "line " + line + (column > 0 ? ", column " + column : "") + ": " + reason;
    }

    /// The line of the template (from 1), or 0 when unknown.
    public int line() {
        return line;
    }

    /// The column of the template (from 1), or 0 when unknown.
    public int column() {
        return column;
    }

    /// The message without the position.
    public String reason() {
        return reason;
    }
}
