package dev.hearth.inference.gguf;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Reads and validates GGUF files (versions 2 and 3, little-endian).
///
/// [#open(Path)] reads the header, the metadata and the tensor infos, checks the structure
/// (sizes, counts, types, alignment, tensor placement) and the vocabulary (types of the tokenizer
/// arrays, duplicate token strings), and refuses anything llama.cpp could not load safely with a
/// [GgufFormatException] whose message is one readable line. Large arrays (token lists, scores,
/// merges) are skipped over and read only when asked for. Every length and count is checked
/// against the bytes left in the file before anything is allocated, so no file makes the reader
/// hang or run out of memory.
///
/// A missing file or folder, or one that cannot be read, fails with the usual `IOException`s
/// (`NoSuchFileException`, `AccessDeniedException`, …), which are not `GgufFormatException`s.
public final class GgufReader {
    /// "GGUF" read as a little-endian int.
    static final int MAGIC = 0x46554747;
    /// Longest metadata key accepted.
    static final int MAX_KEY_LENGTH = 65_535;
    /// Longest string value accepted.
    static final long MAX_STRING_LENGTH = 64L << 20;
    /// Most elements an array may claim.
    static final long MAX_ARRAY_LENGTH = 1L << 32;
    /// Deepest nesting of arrays accepted.
    static final int MAX_ARRAY_DEPTH = 8;
    /// Most metadata entries or tensors accepted.
    static final long MAX_ENTRIES = 1_000_000;
    /// Most elements an array may have for [GgufValue.Array#elements()] to load it.
    static final long MAX_LOADED_ELEMENTS = 16_000_000;
    /// Arrays up to this size are read at once; longer ones when asked for.
    static final int EAGER_ARRAY_LIMIT = 64;
    /// ggml's limit on tensor names (GGML_MAX_NAME, including the terminating NUL).
    static final int MAX_TENSOR_NAME = 63;
    /// ggml's limit on tensor dimensions (GGML_MAX_DIMS).
    static final int MAX_DIMS = 4;

    private final Path path;
    private final GgufInput in;

    private GgufReader(Path path, GgufInput in) {
        this.path = path;
        this.in = in;
    }

    /// Reads and validates the GGUF file at `path`.
    ///
    /// @throws GgufFormatException if the file is not a valid GGUF model file, with the reason
    /// @throws IOException if it cannot be read (missing, a folder, no permission)
    public static GgufFile open(Path path) throws IOException {
        var file = openStructure(path);
        file.validateVocabulary();
        return file;
    }

    /// Reads and checks the structure of the file at `path` but not its vocabulary
    /// (see [GgufFile#validateVocabulary()]).
    static GgufFile openStructure(Path path) throws IOException {
        try (var channel = FileChannel.open(path, StandardOpenOption.READ);
                var in = new GgufInput(channel, 1 << 16)) {
            return new GgufReader(path, in).read();
        }
    }

    private GgufFile read() throws IOException {
        long fileSize = in.size();
        if (fileSize < 4) {
            throw new GgufFormatException("not a GGUF file (only " + fileSize + " bytes)");
        }
        int magic = in.i32();
        if (magic != MAGIC) {
            throw new GgufFormatException("not a GGUF file (magic " + describeMagic(magic) + ", expected \"GGUF\")");
        }
        long version = in.u32();
        if (version != 2 && version != 3) {
            if (Integer.reverseBytes((int) version) == 2 || Integer.reverseBytes((int) version) == 3) {
                throw new GgufFormatException("unsupported GGUF version " + version + " (a big-endian file)");
            }
            throw new GgufFormatException("unsupported GGUF version " + version
                    + (version == 1 ? " (the 2023 format; convert it again)" : "") + ", expected 2 or 3");
        }
        long tensorCount = in.i64();
        long kvCount = in.i64();
        // The smallest possible entries: key length + 1-byte key + type + 1-byte value; tensor name length + type + offset + ndims.
        checkCount("metadata entries", kvCount, 8 + 4 + 1);
        checkCount("tensors", tensorCount, 8 + 4 + 4 + 8);

        var metadata = new LinkedHashMap<String, GgufValue>();
        for (long i = 0; i < kvCount; i++) {
            in.context("metadata entry " + i);
            String key = readKey(i);
            in.context("metadata '" + key + "'");
            long typeId = in.u32();
            var type = GgufValueType.byId(typeId).orElseThrow(
                    () -> new GgufFormatException("metadata '" + key + "' has unknown value type " + typeId));
            var value = readValue(type, key, 0);
            if (metadata.putIfAbsent(key, value) != null) {
                throw new GgufFormatException("duplicate metadata key '" + key + "'");
            }
        }

        var tensors = new ArrayList<TensorInfo>((int) Math.min(tensorCount, 4096));
        var names = new HashSet<String>();
        for (long i = 0; i < tensorCount; i++) {
            in.context("tensor info " + i);
            var tensor = readTensorInfo(i);
            if (!names.add(tensor.name())) {
                throw new GgufFormatException("duplicate tensor name '" + tensor.name() + "'");
            }
            tensors.add(tensor);
        }

        long alignment = GgufWriter.DEFAULT_ALIGNMENT;
        var alignmentValue = metadata.get("general.alignment");
        if (alignmentValue != null) {
            if (!(alignmentValue instanceof GgufValue.UInt32(long a))) {
                throw new GgufFormatException("general.alignment is " + alignmentValue.type() + ", expected UINT32");
            }
            if (a == 0 || (a & (a - 1)) != 0) {
                throw new GgufFormatException("general.alignment " + a + " is not a power of two");
            }
            alignment = a;
        }
        long dataOffset = GgufWriter.pad(in.position(), alignment);
        checkPlacement(tensors, alignment, dataOffset, fileSize);
        return new GgufFile(path, (int) version, metadata, tensors, (int) alignment, dataOffset, fileSize);
    }

    private void checkCount(String what, long count, long minimumSize) throws GgufFormatException {
        if (count < 0 || count > MAX_ENTRIES) {
            throw new GgufFormatException("absurd number of " + what + ": " + Long.toUnsignedString(count)
                    + " in a file of " + in.size() + " bytes");
        }
        if (count > in.remaining() / minimumSize) {
            throw in.truncated(in.position() + count * minimumSize);
        }
    }

    private String readKey(long index) throws IOException {
        long length = in.i64();
        if (length < 0 || length > MAX_KEY_LENGTH || length > in.remaining()) {
            throw new GgufFormatException("absurd length " + Long.toUnsignedString(length) + " of metadata key " + index
                    + " at byte " + (in.position() - 8));
        }
        return new String(in.bytes((int) length), StandardCharsets.UTF_8);
    }

    private String readString(String key) throws IOException {
        long start = in.position();
        long length = in.i64();
        checkStringLength(length, key, start);
        return new String(in.bytes((int) length), StandardCharsets.UTF_8);
    }

    /// Refuses a string length that is absurd in itself, or longer than the rest of the file.
    private void checkStringLength(long length, String key, long at) throws GgufFormatException {
        if (length < 0 || length > MAX_STRING_LENGTH) {
            throw new GgufFormatException("absurd string length " + Long.toUnsignedString(length) + " in '" + key
                    + "' at byte " + at);
        }
        if (length > in.remaining()) {
            throw in.truncated(in.position() + length);
        }
    }

    private void checkArrayLength(long count, GgufValueType elementType, String key) throws GgufFormatException {
        if (count < 0 || count > MAX_ARRAY_LENGTH) {
            throw new GgufFormatException("absurd array length " + Long.toUnsignedString(count) + " in '" + key + "'");
        }
        if (count > in.remaining() / elementType.minimumSize()) {
            throw in.truncated(in.position() + count * elementType.minimumSize());
        }
    }

    private GgufValue readValue(GgufValueType type, String key, int depth) throws IOException {
        return switch (type) {
            case UINT8 -> new GgufValue.UInt8(in.u8());
            case INT8 -> new GgufValue.Int8((byte) in.u8());
            case UINT16 -> new GgufValue.UInt16(in.i16() & 0xFFFF);
            case INT16 -> new GgufValue.Int16(in.i16());
            case UINT32 -> new GgufValue.UInt32(in.u32());
            case INT32 -> new GgufValue.Int32(in.i32());
            case FLOAT32 -> new GgufValue.Float32(in.f32());
            case BOOL -> {
                int b = in.u8();
                if (b > 1) throw new GgufFormatException("metadata '" + key + "' has a BOOL of value " + b);
                yield new GgufValue.Bool(b == 1);
            }
            case STRING -> new GgufValue.Text(readString(key));
            case ARRAY -> readArray(key, depth + 1);
            case UINT64 -> new GgufValue.UInt64(in.i64());
            case INT64 -> new GgufValue.Int64(in.i64());
            case FLOAT64 -> new GgufValue.Float64(in.f64());
        };
    }

    private GgufValue.Array readArray(String key, int depth) throws IOException {
        if (depth > MAX_ARRAY_DEPTH) {
            throw new GgufFormatException("metadata '" + key + "' nests arrays deeper than " + MAX_ARRAY_DEPTH + " levels");
        }
        long typeId = in.u32();
        var elementType = GgufValueType.byId(typeId).orElseThrow(
                () -> new GgufFormatException("metadata '" + key + "' is an array of unknown type " + typeId));
        long count = in.i64();
        checkArrayLength(count, elementType, key);
        long start = in.position();
        if (count <= EAGER_ARRAY_LIMIT) {
            return GgufValue.Array.loaded(elementType, readElements(elementType, count, key, depth), start);
        }
        skipElements(elementType, count, key, depth);
        Path file = path;
        return GgufValue.Array.lazy(elementType, count, start, () -> loadArray(file, start, elementType, count, key, depth));
    }

    private List<GgufValue> readElements(GgufValueType type, long count, String key, int depth) throws IOException {
        var elements = new ArrayList<GgufValue>((int) count);
        for (long i = 0; i < count; i++) {
            if (type == GgufValueType.ARRAY) {
                elements.add(readArray(key, depth + 1));
            } else {
                elements.add(readValue(type, key, depth));
            }
        }
        return elements;
    }

    private void skipElements(GgufValueType type, long count, String key, int depth) throws IOException {
        switch (type) {
            case STRING -> {
                for (long i = 0; i < count; i++) {
                    long length = in.i64();
                    checkStringLength(length, key, in.position() - 8);
                    in.skip(length);
                }
            }
            case ARRAY -> {
                for (long i = 0; i < count; i++) {
                    if (depth + 1 > MAX_ARRAY_DEPTH) {
                        throw new GgufFormatException("metadata '" + key + "' nests arrays deeper than " + MAX_ARRAY_DEPTH
                                + " levels");
                    }
                    long typeId = in.u32();
                    var inner = GgufValueType.byId(typeId).orElseThrow(
                            () -> new GgufFormatException("metadata '" + key + "' is an array of unknown type " + typeId));
                    long innerCount = in.i64();
                    checkArrayLength(innerCount, inner, key);
                    skipElements(inner, innerCount, key, depth + 1);
                }
            }
            case BOOL -> {
                for (long i = 0; i < count; i++) {
                    int b = in.u8();
                    if (b > 1) throw new GgufFormatException("metadata '" + key + "' has a BOOL of value " + b);
                }
            }
            default -> in.skip(count * type.fixedSize());
        }
    }

    private static List<GgufValue> loadArray(Path path, long start, GgufValueType type, long count, String key, int depth)
            throws IOException {
        if (count > MAX_LOADED_ELEMENTS) {
            throw new GgufFormatException("array '" + key + "' has " + count + " elements, too many to load");
        }
        try (var channel = FileChannel.open(path, StandardOpenOption.READ);
                var in = new GgufInput(channel, 1 << 16)) {
            in.seek(start);
            in.context("metadata '" + key + "'");
            return new GgufReader(path, in).readElements(type, count, key, depth);
        }
    }

    private TensorInfo readTensorInfo(long index) throws IOException {
        long nameLength = in.i64();
        if (nameLength < 0 || nameLength > in.remaining()) {
            throw new GgufFormatException("absurd name length " + Long.toUnsignedString(nameLength) + " of tensor " + index);
        }
        if (nameLength > MAX_TENSOR_NAME) {
            throw new GgufFormatException("tensor " + index + " has a name of " + nameLength + " bytes; llama.cpp allows "
                    + MAX_TENSOR_NAME);
        }
        String name = new String(in.bytes((int) nameLength), StandardCharsets.UTF_8);
        in.context("tensor info '" + name + "'");
        long dimCount = in.u32();
        if (dimCount > MAX_DIMS) {
            throw new GgufFormatException("tensor '" + name + "' has " + dimCount + " dimensions; ggml allows " + MAX_DIMS);
        }
        long[] dims = new long[(int) dimCount];
        long elements = 1;
        for (int d = 0; d < dimCount; d++) {
            dims[d] = in.i64();
            if (dims[d] < 0) {
                throw new GgufFormatException("tensor '" + name + "' has an absurd dimension " + Long.toUnsignedString(dims[d]));
            }
            if (dims[d] != 0 && elements > Long.MAX_VALUE / dims[d]) {
                throw new GgufFormatException("tensor '" + name + "' has an absurd number of elements");
            }
            elements *= dims[d];
        }
        long typeId = in.u32();
        var type = GgmlType.byId(typeId).orElseThrow(
                () -> new GgufFormatException("tensor '" + name + "' has unknown type " + typeId));
        if (dimCount > 0 && dims[0] % type.blockSize() != 0) {
            throw new GgufFormatException("tensor '" + name + "' has rows of " + dims[0] + " elements, not a multiple of the "
                    + type + " block size " + type.blockSize());
        }
        long byteSize = type.byteSize(elements);
        if (byteSize < 0) {
            throw new GgufFormatException("tensor '" + name + "' has an absurd size");
        }
        long offset = in.i64();
        if (offset < 0) {
            throw new GgufFormatException("tensor '" + name + "' has an absurd offset " + Long.toUnsignedString(offset));
        }
        return new TensorInfo(name, dims, type, offset, byteSize);
    }

    private static void checkPlacement(List<TensorInfo> tensors, long alignment, long dataOffset, long fileSize)
            throws GgufFormatException {
        if (tensors.isEmpty()) return;
        if (dataOffset > fileSize) {
            throw new GgufFormatException("truncated: the tensor data would start at byte " + dataOffset
                    + " but the file ends at byte " + fileSize);
        }
        long dataSize = fileSize - dataOffset;
        for (var tensor : tensors) {
            if (tensor.offset() % alignment != 0) {
                throw new GgufFormatException("tensor '" + tensor.name() + "' at offset " + tensor.offset()
                        + " is not aligned to " + alignment + " bytes");
            }
            if (tensor.offset() > dataSize || tensor.byteSize() > dataSize - tensor.offset()) {
                throw new GgufFormatException("tensor '" + tensor.name() + "' extends past the end of the file (its data ends at byte "
                        + saturatedSum(dataOffset, tensor.offset(), tensor.byteSize()) + ", the file has " + fileSize + ")");
            }
        }
        var sorted = tensors.stream().sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList();
        for (int i = 1; i < sorted.size(); i++) {
            var previous = sorted.get(i - 1);
            var current = sorted.get(i);
            if (current.offset() < previous.offset() + previous.byteSize()) {
                throw new GgufFormatException("tensors '" + previous.name() + "' and '" + current.name() + "' overlap");
            }
        }
    }

    private static String saturatedSum(long a, long b, long c) {
        long sum = a + b;
        if (sum < 0) return "over " + Long.MAX_VALUE;
        sum += c;
        return sum < 0 ? "over " + Long.MAX_VALUE : Long.toString(sum);
    }

    private static String describeMagic(int magic) {
        var text = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int c = (magic >>> (8 * i)) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return String.format("0x%08x", Integer.reverseBytes(magic));
            }
            text.append((char) c);
        }
        return "\"" + text + "\"";
    }

}
