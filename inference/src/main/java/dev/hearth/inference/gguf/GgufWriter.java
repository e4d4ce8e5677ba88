package dev.hearth.inference.gguf;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/// Writes GGUF files (version 3 by default, or 2): metadata of every value type, including nested
/// arrays, then the tensor infos, then the tensor data, each tensor padded to the alignment.
///
/// Tensor data is streamed: each tensor's [TensorData] writes its bytes when the file is written,
/// so a large model never sits in memory as a whole.
///
/// The writer writes what it is given, in order. It checks only what it needs to produce a file
/// at all (each tensor writes exactly its size); duplicate keys or other defects are written as
/// asked, so tests can produce bad files.
///
/// ```java
/// new GgufWriter()
///     .put("general.architecture", new GgufValue.Text("llama"))
///     .tensor("output_norm.weight", GgmlType.F32, new long[] {64}, out -> out.write(bytes))
///     .write(path);
/// ```
public final class GgufWriter {
    /// The default alignment of tensor data, as in llama.cpp.
    public static final int DEFAULT_ALIGNMENT = 32;

    /// Writes the bytes of one tensor.
    @FunctionalInterface
    public interface TensorData {
        /// Writes exactly the tensor's byte size to `out`.
        void writeTo(OutputStream out) throws IOException;
    }

    private record Entry(String key, GgufValue value) {}

    private record Tensor(String name, GgmlType type, long[] dims, long byteSize, long offset, TensorData data) {}

    private final List<Entry> metadata = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private int version = 3;
    private long nextOffset;

    /// A writer for a GGUF v3 file.
    public GgufWriter() {}

    /// Chooses the GGUF version to write: 2 or 3 (they differ only in that v3 may be big-endian;
    /// this writer always writes little-endian).
    public GgufWriter version(int version) {
        if (version != 2 && version != 3) throw new IllegalArgumentException("GGUF version 2 or 3, not " + version);
        this.version = version;
        return this;
    }

    /// Adds a metadata entry.
    public GgufWriter put(String key, GgufValue value) {
        metadata.add(new Entry(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value")));
        return this;
    }

    /// Adds a string entry.
    public GgufWriter putString(String key, String value) {
        return put(key, new GgufValue.Text(value));
    }

    /// Adds a UINT32 entry.
    public GgufWriter putUInt32(String key, long value) {
        return put(key, new GgufValue.UInt32(value));
    }

    /// Adds a FLOAT32 entry.
    public GgufWriter putFloat32(String key, float value) {
        return put(key, new GgufValue.Float32(value));
    }

    /// Adds a BOOL entry.
    public GgufWriter putBool(String key, boolean value) {
        return put(key, new GgufValue.Bool(value));
    }

    /// Adds a tensor with ggml dimensions `dims` (innermost first, as in GGUF), placed after the
    /// previous one at the next aligned offset.
    public GgufWriter tensor(String name, GgmlType type, long[] dims, TensorData data) {
        long elements = elementCount(dims);
        long size = type.byteSize(elements);
        if (size < 0) {
            throw new IllegalArgumentException("tensor '" + name + "': " + Arrays.toString(dims) + " is not a whole number of "
                    + type + " blocks of " + type.blockSize());
        }
        if (dims.length == 0 || dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': first dimension must be a multiple of " + type.blockSize());
        }
        return tensorAt(name, type, dims, nextOffset, data);
    }

    /// Adds a tensor at an explicit offset in the data section (tests use this to write
    /// overlapping or misaligned tensors).
    GgufWriter tensorAt(String name, GgmlType type, long[] dims, long offset, TensorData data) {
        long size = Math.max(0, type.byteSize(elementCount(dims)));
        tensors.add(new Tensor(Objects.requireNonNull(name, "name"), type, dims.clone(), size, offset, data));
        nextOffset = Math.max(nextOffset, pad(offset + size, alignment()));
        return this;
    }

    private static long elementCount(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension " + d);
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private int alignment() {
        for (var entry : metadata) {
            if (entry.key().equals("general.alignment") && entry.value() instanceof GgufValue.UInt32(long a) && a > 0) {
                return (int) a;
            }
        }
        return DEFAULT_ALIGNMENT;
    }

    static long pad(long offset, long alignment) {
        long rest = offset % alignment;
        return rest == 0 ? offset : offset + alignment - rest;
    }

    /// Writes the file, replacing any file at `path`.
    public void write(Path path) throws IOException {
        try (var out = Files.newOutputStream(path)) {
            write(out);
        }
    }

    /// Writes the file to `sink` (which is not closed).
    public void write(OutputStream sink) throws IOException {
        var out = new LittleEndianOutput(new BufferedOutputStream(nonClosing(sink), 1 << 16));
        out.writeInt(0x46554747); // "GGUF"
        out.writeInt(version);
        out.writeLong(tensors.size());
        out.writeLong(metadata.size());
        for (var entry : metadata) {
            out.writeString(GgufValue.utf8(entry.key()));
            out.writeInt(entry.value().type().id());
            writeValue(out, entry.value());
        }
        for (var tensor : tensors) {
            out.writeString(GgufValue.utf8(tensor.name()));
            out.writeInt(tensor.dims().length);
            for (long d : tensor.dims()) out.writeLong(d);
            out.writeInt(tensor.type().id());
            out.writeLong(tensor.offset());
        }
        long alignment = alignment();
        out.zeros(pad(out.count(), alignment) - out.count());
        long dataStart = out.count();
        for (var tensor : tensors.stream().sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList()) {
            long target = dataStart + tensor.offset();
            // Tensors placed to overlap (tests of bad files) lose their overlapping bytes.
            var tensorOut = new Skipping(out, Math.max(0, out.count() - target));
            out.zeros(Math.max(0, target - out.count()));
            tensor.data().writeTo(tensorOut);
            long written = tensorOut.seen;
            if (written != tensor.byteSize()) {
                throw new IllegalStateException("tensor '" + tensor.name() + "' wrote " + written + " bytes, its size is "
                        + tensor.byteSize());
            }
        }
        out.zeros(pad(out.count(), alignment) - out.count());
        out.flush();
    }

    private static void writeValue(LittleEndianOutput out, GgufValue value) throws IOException {
        switch (value) {
            case GgufValue.UInt8 v -> out.write(v.value());
            case GgufValue.Int8 v -> out.write(v.value());
            case GgufValue.UInt16 v -> out.writeShort(v.value());
            case GgufValue.Int16 v -> out.writeShort(v.value());
            case GgufValue.UInt32 v -> out.writeInt((int) v.value());
            case GgufValue.Int32 v -> out.writeInt(v.value());
            case GgufValue.Float32 v -> out.writeInt(Float.floatToRawIntBits(v.value()));
            case GgufValue.Bool v -> out.write(v.value() ? 1 : 0);
            case GgufValue.Text v -> out.writeString(GgufValue.utf8(v.value()));
            case GgufValue.UInt64 v -> out.writeLong(v.value());
            case GgufValue.Int64 v -> out.writeLong(v.value());
            case GgufValue.Float64 v -> out.writeLong(Double.doubleToRawLongBits(v.value()));
            case GgufValue.Array v -> {
                out.writeInt(v.elementType().id());
                out.writeLong(v.size());
                for (var element : v.elements()) writeValue(out, element);
            }
        }
    }

    private static OutputStream nonClosing(OutputStream sink) {
        return new FilterOutputStream(sink) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /// Counts what it is given and forwards all but the first `skip` bytes.
    private static final class Skipping extends OutputStream {
        private final OutputStream out;
        private long skip;
        long seen;

        Skipping(OutputStream out, long skip) {
            this.out = out;
            this.skip = skip;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            seen += len;
            int dropped = (int) Math.min(skip, len);
            skip -= dropped;
            if (len > dropped) out.write(b, off + dropped, len - dropped);
        }
    }

    /// A little-endian output that counts what it writes.
    private static final class LittleEndianOutput extends FilterOutputStream {
        private final byte[] scratch = new byte[8];
        private long count;

        LittleEndianOutput(OutputStream out) {
            super(out);
        }

        long count() {
            return count;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        void writeShort(int v) throws IOException {
            scratch[0] = (byte) v;
            scratch[1] = (byte) (v >>> 8);
            write(scratch, 0, 2);
        }

        void writeInt(int v) throws IOException {
            for (int i = 0; i < 4; i++) scratch[i] = (byte) (v >>> (8 * i));
            write(scratch, 0, 4);
        }

        void writeLong(long v) throws IOException {
            for (int i = 0; i < 8; i++) scratch[i] = (byte) (v >>> (8 * i));
            write(scratch, 0, 8);
        }

        void writeString(byte[] utf8) throws IOException {
            writeLong(utf8.length);
            write(utf8, 0, utf8.length);
        }

        void zeros(long n) throws IOException {
            for (long i = 0; i < n; i++) write(0);
        }
    }
}
