package dev.hearth.inference.gguf;

import java.util.Optional;

/// The metadata value types of GGUF (`enum gguf_type`), with their ids and fixed sizes.
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, -1),
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    /// The id stored in the file.
    public int id() {
        return id;
    }

    /// Bytes one value takes, or -1 for [#STRING] and [#ARRAY], whose size varies.
    public int fixedSize() {
        return size;
    }

    /// The smallest number of bytes one value of this type can take in a file.
    int minimumSize() {
        return switch (this) {
            case STRING -> 8;
            case ARRAY -> 12;
            default -> size;
        };
    }

    /// The type with this id, or empty for an unknown id.
    public static Optional<GgufValueType> byId(long id) {
        return id >= 0 && id < BY_ID.length ? Optional.of(BY_ID[(int) id]) : Optional.empty();
    }
}
