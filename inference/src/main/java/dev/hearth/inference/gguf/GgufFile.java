package dev.hearth.inference.gguf;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/// A GGUF file as [GgufReader] read it: version, metadata in file order, tensor infos, alignment
/// and where the tensor data starts. Large metadata arrays stay in the file until asked for;
/// [#tokens()], [#token(int)] and [#forEachToken(TokenVisitor)] read the vocabulary on demand.
///
/// A `GgufFile` holds no open file: reads on demand open the file again.
public final class GgufFile {
    /// The metadata keys of the special token ids, with the role names [ModelInfo] uses.
    static final Map<String, String> SPECIAL_TOKEN_KEYS;

    static {
        var keys = new LinkedHashMap<String, String>();
        keys.put("bos", "tokenizer.ggml.bos_token_id");
        keys.put("eos", "tokenizer.ggml.eos_token_id");
        keys.put("unk", "tokenizer.ggml.unknown_token_id");
        keys.put("pad", "tokenizer.ggml.padding_token_id");
        keys.put("eot", "tokenizer.ggml.eot_token_id");
        keys.put("eom", "tokenizer.ggml.eom_token_id");
        keys.put("sep", "tokenizer.ggml.seperator_token_id");
        keys.put("mask", "tokenizer.ggml.mask_token_id");
        SPECIAL_TOKEN_KEYS = Collections.unmodifiableMap(keys);
    }

    static final String TOKENS = "tokenizer.ggml.tokens";

    /// Receives the raw bytes of one token; `bytes` is only valid during the call.
    @FunctionalInterface
    public interface TokenVisitor {
        void token(int id, byte[] bytes, int offset, int length);
    }

    private final Path path;
    private final int version;
    private final SequencedMap<String, GgufValue> metadata;
    private final List<TensorInfo> tensors;
    private final int alignment;
    private final long dataOffset;
    private final long fileSize;
    private final Map<Long, String> specialTokenTexts = new TreeMap<>();
    private volatile boolean vocabularyValidated;
    private volatile @Nullable ModelInfo modelInfo;

    GgufFile(Path path, int version, SequencedMap<String, GgufValue> metadata, List<TensorInfo> tensors, int alignment,
            long dataOffset, long fileSize) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableSequencedMap(metadata);
        this.tensors = List.copyOf(tensors);
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.fileSize = fileSize;
    }

    /// The file this was read from.
    public Path path() {
        return path;
    }

    /// GGUF version: 2 or 3.
    public int version() {
        return version;
    }

    /// All metadata, in file order.
    public SequencedMap<String, GgufValue> metadata() {
        return metadata;
    }

    /// The tensor infos, in file order.
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /// Alignment of the tensor data (`general.alignment`, default 32).
    public int alignment() {
        return alignment;
    }

    /// Where the tensor data section starts in the file.
    public long dataOffset() {
        return dataOffset;
    }

    /// Bytes of the file.
    public long fileSize() {
        return fileSize;
    }

    /// The value of `key`, if present.
    public Optional<GgufValue> value(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /// The string value of `key`.
    ///
    /// @throws GgufFormatException if it is missing or not a string
    public String string(String key) throws GgufFormatException {
        if (required(key) instanceof GgufValue.Text(String text)) return text;
        throw wrongType(key, "STRING");
    }

    /// The UINT32 value of `key`.
    ///
    /// @throws GgufFormatException if it is missing or not a UINT32
    public long u32(String key) throws GgufFormatException {
        if (required(key) instanceof GgufValue.UInt32(long v)) return v;
        throw wrongType(key, "UINT32");
    }

    /// The value of `key` as a `long`, whatever its integer type.
    ///
    /// @throws GgufFormatException if it is missing or not an integer
    public long integer(String key) throws GgufFormatException {
        Long v = required(key).asLong();
        if (v == null) throw wrongType(key, "an integer");
        return v;
    }

    /// The string value of `key`, empty if it is missing or not a string.
    public Optional<String> optionalString(String key) {
        return metadata.get(key) instanceof GgufValue.Text(String text) ? Optional.of(text) : Optional.empty();
    }

    /// The integer value of `key` (any integer type), empty if it is missing or not an integer.
    public OptionalLong optionalLong(String key) {
        var value = metadata.get(key);
        Long v = value == null ? null : value.asLong();
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /// The boolean value of `key`, empty if it is missing or not a BOOL.
    public Optional<Boolean> optionalBool(String key) {
        return metadata.get(key) instanceof GgufValue.Bool(boolean b) ? Optional.of(b) : Optional.empty();
    }

    /// The array value of `key`, empty if it is missing or not an array.
    public Optional<GgufValue.Array> optionalArray(String key) {
        return metadata.get(key) instanceof GgufValue.Array array ? Optional.of(array) : Optional.empty();
    }

    private GgufValue required(String key) throws GgufFormatException {
        var value = metadata.get(key);
        if (value == null) throw new GgufFormatException("missing metadata '" + key + "'");
        return value;
    }

    private GgufFormatException wrongType(String key, String expected) {
        return new GgufFormatException("metadata '" + key + "' is " + describeType(metadata.get(key)) + ", expected " + expected);
    }

    private static String describeType(@Nullable GgufValue value) {
        if (value instanceof GgufValue.Array array) return "an array of " + array.elementType();
        return value == null ? "missing" : value.type().toString();
    }

    /// Tokens in the vocabulary (`tokenizer.ggml.tokens`), 0 if the file has none.
    public int tokenCount() {
        return optionalArray(TOKENS).map(a -> (int) Math.min(a.size(), Integer.MAX_VALUE)).orElse(0);
    }

    /// Calls `visitor` with every token's raw bytes, in id order, without creating strings.
    public void forEachToken(TokenVisitor visitor) throws IOException {
        var tokens = tokenArray();
        if (tokens == null) return;
        try (var channel = FileChannel.open(path, StandardOpenOption.READ);
                var in = new GgufInput(channel, SCAN_BUFFER)) {
            in.seek(tokens.fileOffset());
            in.context("metadata '" + TOKENS + "'");
            int count = (int) tokens.size();
            for (int id = 0; id < count; id++) {
                long length = in.i64();
                if (length < 0 || length > GgufReader.MAX_STRING_LENGTH || length > in.remaining()) {
                    throw new GgufFormatException("absurd string length " + Long.toUnsignedString(length) + " of token " + id);
                }
                int n = (int) length;
                if (n <= SCAN_BUFFER) {
                    var window = in.window(n);
                    visitor.token(id, window.array(), window.position(), n);
                    in.skip(n);
                } else {
                    byte[] bytes = in.bytes(n);
                    visitor.token(id, bytes, 0, n);
                }
            }
        }
    }

    private GgufValue.@Nullable Array tokenArray() throws GgufFormatException {
        var value = metadata.get(TOKENS);
        if (value == null) return null;
        if (!(value instanceof GgufValue.Array array) || array.elementType() != GgufValueType.STRING) {
            throw new GgufFormatException(TOKENS + " is " + describeType(value)
                    + ", expected an array of strings (llama.cpp would abort)");
        }
        if (array.size() > MAX_VOCABULARY) {
            throw new GgufFormatException("absurd vocabulary size " + array.size());
        }
        return array;
    }

    /// Largest vocabulary accepted.
    static final int MAX_VOCABULARY = 4_000_000;

    /// All token strings, in id order (this creates one `String` per token).
    public List<String> tokens() throws IOException {
        var list = new ArrayList<String>(tokenCount());
        forEachToken((_, bytes, offset, length) -> list.add(new String(bytes, offset, length, StandardCharsets.UTF_8)));
        return list;
    }

    /// The string of token `id` (read by scanning the vocabulary up to it).
    ///
    /// @throws IndexOutOfBoundsException if the vocabulary has no such id
    public String token(int id) throws IOException {
        if (id < 0 || id >= tokenCount()) throw new IndexOutOfBoundsException("token id " + id + " of " + tokenCount());
        var result = new String[1];
        forEachTokenUpTo(id, (i, bytes, offset, length) -> {
            if (i == id) result[0] = new String(bytes, offset, length, StandardCharsets.UTF_8);
        });
        return result[0];
    }

    private void forEachTokenUpTo(int lastId, TokenVisitor visitor) throws IOException {
        // Stops early by throwing a private marker: scanning stops at lastId.
        try {
            forEachToken((id, bytes, offset, length) -> {
                visitor.token(id, bytes, offset, length);
                if (id >= lastId) throw new StopScan();
            });
        } catch (StopScan _) {
            // done
        }
    }

    private static final class StopScan extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopScan() {
            super(null, null, false, false);
        }
    }

    /// Checks the vocabulary the way llama.cpp will use it, so that loading it cannot abort the
    /// process: the token list is an array of strings without duplicates, `tokenizer.ggml.scores`
    /// is FLOAT32 and `tokenizer.ggml.token_type` INT32 of the same length, `tokenizer.ggml.merges`
    /// holds strings, `tokenizer.ggml.precompiled_charsmap` bytes. Token strings are compared by
    /// hashing their raw bytes, without creating strings. [GgufReader#open] has already called this.
    ///
    /// @throws GgufFormatException with the first problem found
    public void validateVocabulary() throws IOException {
        if (vocabularyValidated) return;
        var tokens = tokenArray();
        if (tokens != null) {
            int count = (int) tokens.size();
            checkParallelArray("tokenizer.ggml.scores", GgufValueType.FLOAT32, count);
            checkParallelArray("tokenizer.ggml.token_type", GgufValueType.INT32, count);
            var merges = metadata.get("tokenizer.ggml.merges");
            if (merges != null && !(merges instanceof GgufValue.Array m && m.elementType() == GgufValueType.STRING)) {
                throw new GgufFormatException("tokenizer.ggml.merges is " + describeType(merges)
                        + ", expected an array of strings (llama.cpp would abort)");
            }
            var charsmap = metadata.get("tokenizer.ggml.precompiled_charsmap");
            if (charsmap != null && !(charsmap instanceof GgufValue.Array c
                    && (c.elementType() == GgufValueType.UINT8 || c.elementType() == GgufValueType.INT8) && c.size() >= 4)) {
                throw new GgufFormatException("tokenizer.ggml.precompiled_charsmap is " + describeType(charsmap)
                        + ", expected an array of at least 4 bytes (llama.cpp would abort)");
            }
            findDuplicateTokens(tokens);
        }
        vocabularyValidated = true;
    }

    private void checkParallelArray(String key, GgufValueType elementType, int count) throws GgufFormatException {
        var value = metadata.get(key);
        if (value == null) return;
        if (!(value instanceof GgufValue.Array array) || array.elementType() != elementType) {
            throw new GgufFormatException(key + " is " + describeType(value) + ", expected an array of " + elementType);
        }
        if (array.size() != count) {
            throw new GgufFormatException(key + " has " + array.size() + " entries but the vocabulary has " + count + " tokens");
        }
    }

    private void findDuplicateTokens(GgufValue.Array tokens) throws IOException {
        int count = (int) tokens.size();
        long[] specialIds = SPECIAL_TOKEN_KEYS.values().stream()
                .map(this::optionalLong)
                .filter(id -> id.isPresent() && id.getAsLong() >= 0 && id.getAsLong() < count)
                .mapToLong(id -> id.getAsLong())
                .distinct()
                .toArray();
        // Open addressing at a load factor of at most 2/3: an int per slot, a long per token.
        int tableSize = Integer.highestOneBit(Math.max(16, count + count / 2)) << 1;
        int mask = tableSize - 1;
        int[] table = new int[tableSize]; // token id + 1; 0 = empty
        long[] hashes = new long[count];
        int duplicateOf = -1;
        int duplicate = -1;
        try (var channel = FileChannel.open(path, StandardOpenOption.READ);
                var in = new GgufInput(channel, SCAN_BUFFER)) {
            in.seek(tokens.fileOffset());
            in.context("metadata '" + TOKENS + "'");
            scan:
            for (int id = 0; id < count; id++) {
                long length = in.i64();
                if (length < 0 || length > GgufReader.MAX_STRING_LENGTH || length > in.remaining()) {
                    throw new GgufFormatException("absurd string length " + Long.toUnsignedString(length) + " of token " + id);
                }
                int n = (int) length;
                byte[] bytes;
                int offset;
                if (n <= SCAN_BUFFER) {
                    var window = in.window(n);
                    bytes = window.array();
                    offset = window.position();
                } else {
                    bytes = in.bytes(n);
                    offset = 0;
                }
                long h = 0xcbf29ce484222325L ^ n;
                for (int i = offset, end = offset + n; i < end; i++) {
                    h = (h ^ bytes[i]) * 0x100000001b3L;
                }
                h ^= h >>> 29;
                hashes[id] = h;
                for (long special : specialIds) {
                    if (special == id) specialTokenTexts.put(special, new String(bytes, offset, n, StandardCharsets.UTF_8));
                }
                if (n <= SCAN_BUFFER) in.skip(n);
                int slot = (int) (h ^ (h >>> 32)) & mask;
                while (table[slot] != 0) {
                    int other = table[slot] - 1;
                    if (hashes[other] == h) {
                        duplicateOf = other;
                        duplicate = id;
                        break scan;
                    }
                    slot = (slot + 1) & mask;
                }
                table[slot] = id + 1;
            }
        }
        if (duplicate >= 0) {
            byte[] first = tokenBytes(duplicateOf);
            byte[] second = tokenBytes(duplicate);
            if (java.util.Arrays.equals(first, second)) {
                throw new GgufFormatException("duplicate token string '" + printable(first) + "' at ids " + duplicateOf
                        + " and " + duplicate + " (llama.cpp would abort)");
            }
            // Two different strings with the same 64-bit hash: decide exactly, the slow way.
            findDuplicateTokensExactly();
        }
    }

    private static final int SCAN_BUFFER = 1 << 16;

    private void findDuplicateTokensExactly() throws IOException {
        var seen = new java.util.HashMap<java.nio.ByteBuffer, Integer>();
        var duplicate = new String[1];
        forEachToken((id, bytes, offset, length) -> {
            if (duplicate[0] != null) return;
            byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
            Integer previous = seen.putIfAbsent(java.nio.ByteBuffer.wrap(copy), id);
            if (previous != null) {
                duplicate[0] = "duplicate token string '" + printable(copy) + "' at ids " + previous + " and " + id
                        + " (llama.cpp would abort)";
            }
        });
        if (duplicate[0] != null) throw new GgufFormatException(duplicate[0]);
    }

    private byte[] tokenBytes(int id) throws IOException {
        var result = new byte[1][];
        forEachTokenUpTo(id, (i, bytes, offset, length) -> {
            if (i == id) result[0] = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        });
        return result[0];
    }

    /// A token's text for messages: control characters escaped, at most 40 characters.
    static String printable(byte[] bytes) {
        var text = new String(bytes, StandardCharsets.UTF_8);
        var sb = new StringBuilder();
        text.codePoints().limit(40).forEach(c -> {
            if (c < 0x20 || c == 0x7F) sb.append(String.format("\\x%02x", c));
            else sb.appendCodePoint(c);
        });
        if (text.codePointCount(0, text.length()) > 40) sb.append('…');
        return sb.toString();
    }

    /// What the file says about its model. Needs no further reading of the file.
    public ModelInfo modelInfo() {
        var info = modelInfo;
        if (info == null) {
            info = buildModelInfo();
            modelInfo = info;
        }
        return info;
    }

    private ModelInfo buildModelInfo() {
        String architecture = optionalString("general.architecture").orElse(null);
        String prefix = (architecture == null ? "llama" : architecture) + ".";
        long parameters = 0;
        long weights = 0;
        var stats = new EnumMap<GgmlType, long[]>(GgmlType.class);
        for (var tensor : tensors) {
            parameters = saturatingAdd(parameters, tensor.elementCount());
            weights = saturatingAdd(weights, tensor.byteSize());
            var s = stats.computeIfAbsent(tensor.type(), _ -> new long[2]);
            s[0]++;
            s[1] = saturatingAdd(s[1], tensor.byteSize());
        }
        var tensorTypes = new LinkedHashMap<GgmlType, ModelInfo.TypeStats>();
        stats.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> tensorTypes.put(e.getKey(), new ModelInfo.TypeStats((int) e.getValue()[0], e.getValue()[1])));

        long fileTypeId = optionalLong("general.file_type").orElse(-1);
        long width = positive(prefix + "embedding_length");
        long heads = positive(prefix + "attention.head_count");
        long kvHeads = positive(prefix + "attention.head_count_kv");
        if (kvHeads == 0) kvHeads = heads;
        long headSize = heads > 0 ? width / heads : 0;
        long keyLength = positive(prefix + "attention.key_length");
        long valueLength = positive(prefix + "attention.value_length");

        var special = new ArrayList<ModelInfo.SpecialToken>();
        int vocabulary = tokenCount();
        for (var entry : SPECIAL_TOKEN_KEYS.entrySet()) {
            var id = optionalLong(entry.getValue());
            if (id.isPresent()) {
                long tokenId = id.getAsLong();
                String text = tokenId >= 0 && tokenId < vocabulary ? specialTokenTexts.get(tokenId) : null;
                special.add(new ModelInfo.SpecialToken(entry.getKey(), tokenId, text));
            }
        }
        return new ModelInfo(
                architecture,
                optionalString("general.name").orElse(null),
                parameters,
                (int) Math.max(-1, Math.min(fileTypeId, Integer.MAX_VALUE)),
                ModelInfo.fileTypeLabel(fileTypeId),
                tensorTypes,
                positive(prefix + "context_length"),
                width,
                positive(prefix + "block_count"),
                heads,
                kvHeads,
                keyLength > 0 ? keyLength : headSize,
                valueLength > 0 ? valueLength : headSize,
                vocabulary,
                optionalString("tokenizer.ggml.model").orElse(null),
                special,
                optionalString("tokenizer.chat_template").orElse(null),
                weights,
                fileSize);
    }

    /// An integer value, or the largest element of a (loaded) integer array such as per-layer head
    /// counts; 0 when absent, negative or not an integer.
    private long positive(String key) {
        var value = metadata.get(key);
        if (value == null) return 0;
        if (value instanceof GgufValue.Array array && array.isLoaded()) {
            long max = 0;
            try {
                for (var element : array.elements()) {
                    Long v = element.asLong();
                    if (v != null) max = Math.max(max, v);
                }
            } catch (IOException e) {
                return 0;
            }
            return max;
        }
        Long v = value.asLong();
        return v == null || v < 0 ? 0 : v;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + ", v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors]";
    }
}
