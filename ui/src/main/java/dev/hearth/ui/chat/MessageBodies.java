package dev.hearth.ui.chat;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import javafx.scene.Node;

/// Message bodies built once and handed to whichever list cell shows the message, so a long answer is not
/// rendered again when the list moves its cells around (a message added, a scroll, the answer ending). A body
/// belongs to one cell at a time: a second cell asking while the first still shows it (the list measuring a cell
/// off screen) gets a new body of its own. Keeps the most recently used bodies of the messages in the list.
/// FX thread only.
final class MessageBodies {
    private static final int KEEP = 64;
    private static final Object OWNER = new Object();

    private record Built(Node node, boolean heatmap) {}

    private final Map<MessageItem, Built> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageItem, Built> eldest) {
            return size() > KEEP;
        }
    };
    private final Function<MessageItem, Node> build;
    private final BooleanSupplier heatmapOn;

    /// @param build renders a message's body
    /// @param heatmapOn whether answers are shown as heatmaps now (a body built for the other form is not reused)
    MessageBodies(Function<MessageItem, Node> build, BooleanSupplier heatmapOn) {
        this.build = build;
        this.heatmapOn = heatmapOn;
    }

    /// The body of `item` for `cell`: the one built before when no other cell shows it, else a new one.
    Node bodyFor(MessageItem item, MessageCell cell) {
        boolean heatmap = heatmapOn.getAsBoolean() && item.isAnswer();
        var entry = cache.get(item);
        if (entry != null && entry.heatmap() == heatmap) {
            var owner = entry.node().getProperties().get(OWNER);
            if (owner == null || owner == cell || !(owner instanceof MessageCell other) || !other.shows(item, entry.node())) {
                entry.node().getProperties().put(OWNER, cell);
                return entry.node();
            }
            return build.apply(item);
        }
        var node = build.apply(item);
        node.getProperties().put(OWNER, cell);
        cache.put(item, new Built(node, heatmap));
        return node;
    }

    /// Forgets the bodies of messages no longer listed.
    void retainOnly(Collection<MessageItem> listed) {
        var keep = new HashSet<>(listed);
        cache.keySet().removeIf(item -> !keep.contains(item));
    }

    /// Forgets every body (the form of the answers changed).
    void clear() {
        cache.clear();
    }
}
