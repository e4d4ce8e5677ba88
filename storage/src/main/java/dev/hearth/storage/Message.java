package dev.hearth.storage;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/// One message of a session. Messages form a tree through `parentId`: an edit, a regeneration or a branch adds a
/// sibling (same parent) and never overwrites. `generationId` links an assistant message to the run that wrote it.
public record Message(
        long id, long sessionId, @Nullable Long parentId, Role role, String content, @Nullable Long generationId,
        Instant createdAt) {

    public enum Role {
        SYSTEM, USER, ASSISTANT, TOOL;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role ofCode(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
