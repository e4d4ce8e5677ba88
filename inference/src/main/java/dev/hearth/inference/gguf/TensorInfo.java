package dev.hearth.inference.gguf;

import java.util.Arrays;
import java.util.Objects;

/// One tensor's entry in a GGUF file.
///
/// @param name     the tensor's name, e.g. `blk.0.attn_q.weight`
/// @param dims     ggml dimensions, innermost (row length) first
/// @param type     element type
/// @param offset   where its data starts, relative to the file's data section
/// @param byteSize bytes its data takes
public record TensorInfo(String name, long[] dims, GgmlType type, long offset, long byteSize) {
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /// The number of elements (product of the dimensions).
    public long elementCount() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorInfo that && name.equals(that.name) && Arrays.equals(dims, that.dims)
                && type == that.type && offset == that.offset && byteSize == that.byteSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(dims), type, offset, byteSize);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims) + " @" + offset + " (" + byteSize + " bytes)";
    }
}
