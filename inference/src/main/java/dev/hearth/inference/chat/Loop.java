package dev.hearth.inference.chat;

import java.util.List;
import org.jspecify.annotations.Nullable;

/// The `loop` variable of a `{% for %}` body: `index`, `index0`, `revindex`, `revindex0`, `first`, `last`,
/// `length`, `previtem`, `nextitem`, `depth`, `depth0`, and the methods `cycle(...)` and `changed(...)`.
final class Loop {
    final List<@Nullable Object> items;
    final int depth;
    final Callable.@Nullable RecursiveLoop recursive;
    int index0;
    @Nullable Object lastChanged = Undefined.NAMELESS;

    Loop(List<@Nullable Object> items, int depth, Callable.@Nullable RecursiveLoop recursive) {
        this.items = items;
        this.depth = depth;
        this.recursive = recursive;
    }

    @Nullable Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index0 + 1;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> (long) depth;
            case "depth0" -> (long) depth - 1;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : new Undefined("there is no previous item");
            case "nextitem" -> index0 + 1 < n ? items.get(index0 + 1) : new Undefined("there is no next item");
            case "cycle", "changed" -> new Callable.Method(this, name);
            default -> new Undefined("'LoopContext' has no attribute '" + name + "'");
        };
    }
}
