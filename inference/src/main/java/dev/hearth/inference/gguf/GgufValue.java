package dev.hearth.inference.gguf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/// One GGUF metadata value. Every GGUF value type has its record; arrays ([Array]) may be nested
/// and, when read from a file, are loaded only when their elements are asked for.
public sealed interface GgufValue {

    /// The GGUF type of this value.
    GgufValueType type();

    /// This value as a signed `long` if it is an integer of any width (UINT64 above `Long.MAX_VALUE`
    /// comes out negative), otherwise `null`.
    default @Nullable Long asLong() {
        return switch (this) {
            case UInt8 v -> (long) v.value();
            case Int8 v -> (long) v.value();
            case UInt16 v -> (long) v.value();
            case Int16 v -> (long) v.value();
            case UInt32 v -> v.value();
            case Int32 v -> (long) v.value();
            case UInt64 v -> v.value();
            case Int64 v -> v.value();
            default -> null;
        };
    }

    /// A short one-line rendering for people: numbers as numbers, strings quoted and cut at 60
    /// characters, arrays as their first elements (loaded ones) or their type and size.
    default String display() {
        return switch (this) {
            case UInt8 v -> Integer.toString(v.value());
            case Int8 v -> Byte.toString(v.value());
            case UInt16 v -> Integer.toString(v.value());
            case Int16 v -> Short.toString(v.value());
            case UInt32 v -> Long.toString(v.value());
            case Int32 v -> Integer.toString(v.value());
            case Float32 v -> Float.toString(v.value());
            case Bool v -> Boolean.toString(v.value());
            case Text v -> {
                String oneLine = v.value().replace("\n", "\\n");
                yield "\"" + (oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine) + "\"";
            }
            case UInt64 v -> Long.toUnsignedString(v.value());
            case Int64 v -> Long.toString(v.value());
            case Float64 v -> Double.toString(v.value());
            case Array v -> v.display();
        };
    }

    /// An unsigned byte, 0–255.
    record UInt8(int value) implements GgufValue {
        public UInt8 {
            if (value < 0 || value > 0xFF) throw new IllegalArgumentException("UINT8 out of range: " + value);
        }
        @Override public GgufValueType type() { return GgufValueType.UINT8; }
    }

    /// A signed byte.
    record Int8(byte value) implements GgufValue {
        @Override public GgufValueType type() { return GgufValueType.INT8; }
    }

    /// An unsigned 16-bit integer, 0–65535.
    record UInt16(int value) implements GgufValue {
        public UInt16 {
            if (value < 0 || value > 0xFFFF) throw new IllegalArgumentException("UINT16 out of range: " + value);
        }
        @Override public GgufValueType type() { return GgufValueType.UINT16; }
    }

    /// A signed 16-bit integer.
    record Int16(short value) implements GgufValue {
        @Override public GgufValueType type() { return GgufValueType.INT16; }
    }

    /// An unsigned 32-bit integer, 0–4294967295.
    record UInt32(long value) implements GgufValue {
        public UInt32 {
            if (value < 0 || value > 0xFFFF_FFFFL) throw new IllegalArgumentException("UINT32 out of range: " + value);
        }
        @Override public GgufValueType type() { return GgufValueType.UINT32; }
    }

    /// A signed 32-bit integer.
    record Int32(int value) implements GgufValue {
        @Override public GgufValueType type() { return GgufValueType.INT32; }
    }

    /// A 32-bit float.
    record Float32(float value) implements GgufValue {
        @Override public GgufValueType type() { return GgufValueType.FLOAT32; }
    }

    /// A boolean (one byte in the file, 0 or 1).
    record Bool(boolean value) implements GgufValue {
        @Override public GgufValueType type() { return GgufValueType.BOOL; }
    }

    /// A string. GGUF strings are byte strings, normally UTF-8; invalid UTF-8 read from a file is
    /// decoded with replacement characters.
    record Text(String value) implements GgufValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }
        @Override public GgufValueType type() { return GgufValueType.STRING; }
    }

    /// An unsigned 64-bit integer; the bits are kept in a `long` (use `Long.toUnsignedString`).
    record UInt64(long value) implements GgufValue {
        @Override public GgufValueType type() { return GgufValueType.UINT64; }
    }

    /// A signed 64-bit integer.
    record Int64(long value) implements GgufValue {
        @Override public GgufValueType type() { return GgufValueType.INT64; }
    }

    /// A 64-bit float.
    record Float64(double value) implements GgufValue {
        @Override public GgufValueType type() { return GgufValueType.FLOAT64; }
    }

    /// An array of values of one type, possibly arrays themselves. An array read from a file keeps
    /// only its place in the file until [#elements()] is first called.
    final class Array implements GgufValue {
        private final GgufValueType elementType;
        private final long size;
        private final @Nullable Loader loader;
        private final long fileOffset;
        private volatile @Nullable List<GgufValue> elements;

        /// Reads the elements of a file-backed array.
        @FunctionalInterface
        interface Loader {
            List<GgufValue> load() throws IOException;
        }

        private Array(GgufValueType elementType, long size, @Nullable List<GgufValue> elements, @Nullable Loader loader) {
            this(elementType, size, elements, loader, -1);
        }

        private Array(GgufValueType elementType, long size, @Nullable List<GgufValue> elements, @Nullable Loader loader,
                long fileOffset) {
            this.fileOffset = fileOffset;
            this.elementType = elementType;
            this.size = size;
            this.elements = elements;
            this.loader = loader;
        }

        static Array lazy(GgufValueType elementType, long size, long fileOffset, Loader loader) {
            return new Array(elementType, size, null, loader, fileOffset);
        }

        static Array loaded(GgufValueType elementType, List<GgufValue> elements, long fileOffset) {
            return new Array(elementType, elements.size(), List.copyOf(elements), null, fileOffset);
        }

        /// Where the first element starts in the file it was read from, or -1.
        long fileOffset() {
            return fileOffset;
        }

        static Array loaded(GgufValueType elementType, List<GgufValue> elements) {
            return new Array(elementType, elements.size(), List.copyOf(elements), null);
        }

        /// An array of the given elements, which must all have `elementType`.
        public static Array of(GgufValueType elementType, List<? extends GgufValue> elements) {
            for (var element : elements) {
                if (element.type() != elementType) {
                    throw new IllegalArgumentException("array of " + elementType + " holds a " + element.type());
                }
            }
            return new Array(elementType, elements.size(), List.copyOf(elements), null);
        }

        /// An array of strings.
        public static Array ofStrings(List<String> values) {
            var list = new ArrayList<GgufValue>(values.size());
            for (var value : values) list.add(new Text(value));
            return new Array(GgufValueType.STRING, list.size(), List.copyOf(list), null);
        }

        /// An array of FLOAT32.
        public static Array ofFloats(float... values) {
            var list = new ArrayList<GgufValue>(values.length);
            for (var value : values) list.add(new Float32(value));
            return new Array(GgufValueType.FLOAT32, list.size(), List.copyOf(list), null);
        }

        /// An array of INT32.
        public static Array ofInts(int... values) {
            var list = new ArrayList<GgufValue>(values.length);
            for (var value : values) list.add(new Int32(value));
            return new Array(GgufValueType.INT32, list.size(), List.copyOf(list), null);
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.ARRAY;
        }

        /// The type every element has.
        public GgufValueType elementType() {
            return elementType;
        }

        /// The number of elements.
        public long size() {
            return size;
        }

        /// Whether the elements are in memory (always true for arrays not read from a file).
        public boolean isLoaded() {
            return elements != null;
        }

        /// The elements, reading them from the file on first use.
        ///
        /// @throws GgufFormatException if the file no longer holds a valid array there
        /// @throws IOException if the file cannot be read
        public List<GgufValue> elements() throws IOException {
            var result = elements;
            if (result == null) {
                synchronized (this) {
                    result = elements;
                    if (result == null) {
                        result = List.copyOf(Objects.requireNonNull(loader).load());
                        elements = result;
                    }
                }
            }
            return result;
        }

        /// The elements as strings; the array must be an array of [GgufValueType#STRING].
        public List<String> strings() throws IOException {
            if (elementType != GgufValueType.STRING) {
                throw new IllegalStateException("array of " + elementType + ", not STRING");
            }
            var list = new ArrayList<String>((int) size);
            for (var element : elements()) list.add(((Text) element).value());
            return list;
        }

        @Override
        public String display() {
            var loaded = elements;
            if (loaded == null || loaded.size() > 8) return "[" + elementType + " × " + size + "]";
            var sb = new StringBuilder("[");
            for (int i = 0; i < loaded.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(loaded.get(i).display());
            }
            return sb.append(']').toString();
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) return true;
            if (!(other instanceof Array that) || that.elementType != elementType || that.size != size) return false;
            try {
                return elements().equals(that.elements());
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public int hashCode() {
            return Objects.hash(elementType, size);
        }

        @Override
        public String toString() {
            var loadedElements = elements;
            if (loadedElements == null) return "Array[" + elementType + " × " + size + ", not loaded]";
            if (loadedElements.size() <= 8) return "Array[" + elementType + " " + loadedElements + "]";
            return "Array[" + elementType + " × " + size + "]";
        }
    }

    /// The UTF-8 bytes of a string as GGUF stores them.
    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
