package dev.hearth.inference.chat;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/// A Python tuple: a list that prints as `(a, b)` and is never equal to a list.
final class PyTuple extends ArrayList<@Nullable Object> {
    @Serial private static final long serialVersionUID = 1L;

    PyTuple(int capacity) {
        super(capacity);
    }

    PyTuple(Collection<? extends @Nullable Object> items) {
        super(items);
    }

    static PyTuple of(@Nullable Object a, @Nullable Object b) {
        var t = new PyTuple(2);
        t.add(a);
        t.add(b);
        return t;
    }
}
