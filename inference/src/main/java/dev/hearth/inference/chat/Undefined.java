package dev.hearth.inference.chat;

/// Jinja2's default `Undefined`: prints as nothing, is false, iterates as empty, and fails with `hint` when
/// used further (attribute access, calls, arithmetic).
record Undefined(String hint) {
    static final Undefined NAMELESS = new Undefined("value is undefined");

    static Undefined name(String name) {
        return new Undefined("'" + name + "' is undefined");
    }
}
