package dev.hearth.inference.chat;

/// One token of a template. `text` holds the data, the name, the operator, or the decoded string literal.
record Token(Kind kind, String text, int line, int column) {
    enum Kind { DATA, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INT, FLOAT, OP, EOF }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isOp(String t) {
        return kind == Kind.OP && text.equals(t);
    }

    boolean isName(String t) {
        return kind == Kind.NAME && text.equals(t);
    }

    String describe() {
        return switch (kind) {
            case EOF -> "end of template";
            case DATA -> "text";
            case VAR_END, BLOCK_END, VAR_BEGIN, BLOCK_BEGIN, OP, NAME -> "'" + text + "'";
            case STRING -> "string literal";
            case INT, FLOAT -> "number " + text;
        };
    }
}
