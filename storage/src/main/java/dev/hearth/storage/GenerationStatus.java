package dev.hearth.storage;

import java.util.Locale;

/// Where a generation stands. Only `RUNNING` changes later; the others are final.
public enum GenerationStatus {
    RUNNING, DONE, CANCELLED,
    /// The process writing it ended before the generation finished (a crash, a kill, a power cut).
    INTERRUPTED,
    FAILED;

    /// The lowercase name stored in the database and in exports.
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GenerationStatus ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
