package dev.hearth.inference.chat;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Variables of one frame (the template, a loop, a macro call), chained to the frame around it.
final class Scope {
    /// Marks a name that is not set in any frame.
    static final Object MISSING = new Object();

    private final @Nullable Scope parent;
    private final Map<String, @Nullable Object> vars = new HashMap<>();

    Scope(@Nullable Scope parent) {
        this.parent = parent;
    }

    @Nullable Object lookup(String name) {
        for (var s = this; s != null; s = s.parent) {
            var v = s.vars.get(name);
            if (v != null || s.vars.containsKey(name)) return v;
        }
        return MISSING;
    }

    void set(String name, @Nullable Object value) {
        vars.put(name, value);
    }
}
