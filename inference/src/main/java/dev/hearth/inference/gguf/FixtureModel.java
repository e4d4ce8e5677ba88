package dev.hearth.inference.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SequencedMap;
import org.jspecify.annotations.Nullable;

/// Writes small random-weight models of llama architecture that llama.cpp (b4916) loads and
/// generates with: the fixture every engine, storage and UI test runs on, and the model behind
/// demos and benchmarks (`hearth models make-fixture`).
///
/// The vocabulary is a SentencePiece ("llama") vocabulary: `<unk>` (0), `<s>` (1), `</s>` (2),
/// the 256 byte-fallback tokens `<0x00>`…`<0xFF>` (3–258), the ChatML control tokens
/// `<|im_start|>` (259) and `<|im_end|>` (260), then ordinary pieces (`▁`-prefixed words,
/// letters, digits, punctuation, letter groups) up to the vocabulary size. The file carries a
/// ChatML `tokenizer.chat_template`.
///
/// Weights are pseudo-random from the seed, scaled so that greedy generation depends on the
/// prompt. The same settings write the same bytes.
///
/// ```java
/// Path model = FixtureModel.builder().write(tempDir.resolve("tiny.gguf"));           // ~0.7 MB
/// FixtureModel.builder().width(512).layers(8).vocabulary(32_000).write(path);       // ~230 MB
/// ```
///
/// Test hooks ([Builder#architecture], [Builder#duplicateToken], [Builder#tokens],
/// [Builder#extraMetadata], [Builder#withoutMetadata], [Builder#withoutChatTemplate]) write
/// deliberately unusual or broken files.
public final class FixtureModel {
    /// Id of `<unk>`.
    public static final int UNK_ID = 0;
    /// Id of `<s>`, the BOS token.
    public static final int BOS_ID = 1;
    /// Id of `</s>`, the EOS token.
    public static final int EOS_ID = 2;
    /// Id of the first byte-fallback token `<0x00>`.
    public static final int FIRST_BYTE_ID = 3;
    /// Id of `<|im_start|>`.
    public static final int IM_START_ID = 259;
    /// Id of `<|im_end|>`, also written as the EOT token.
    public static final int IM_END_ID = 260;
    /// The smallest vocabulary the generator writes: the special and byte tokens plus the
    /// single characters.
    public static final int MIN_VOCABULARY = 300;

    /// The ChatML template written to `tokenizer.chat_template`.
    public static final String CHATML_TEMPLATE = "{% for message in messages %}"
            + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final int TYPE_NORMAL = 1;
    private static final int TYPE_UNKNOWN = 2;
    private static final int TYPE_CONTROL = 3;
    private static final int TYPE_BYTE = 6;

    private static final List<String> WORDS = List.of(
            "the", "of", "and", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as", "with",
            "his", "they", "I", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but", "not",
            "what", "all", "were", "we", "when", "your", "can", "said", "there", "use", "an", "each", "which", "she",
            "do", "how", "their", "if", "will", "up", "other", "about", "out", "many", "then", "them", "these", "so",
            "some", "her", "would", "make", "like", "him", "into", "time", "has", "look", "two", "more", "write",
            "go", "see", "number", "no", "way", "could", "people", "my", "than", "first", "water", "been", "call",
            "who", "its", "now", "find", "long", "down", "day", "did", "get", "come", "made", "may", "part",
            "Hello", "hello", "world", "model", "token", "code", "file", "function", "return", "class", "public",
            "int", "void", "String", "new", "true", "false", "null", "import", "def", "self", "print", "while");
    private static final List<String> SUBWORDS = List.of(
            "ing", "ed", "er", "es", "ly", "tion", "al", "re", "un", "th", "he", "in", "an", "on", "at", "en", "nd",
            "st", "ou", "it", "or", "ar", "is", "le", "ion", "ent", "ter", "ers", "ment", "ness");
    private static final String PUNCTUATION = ".,!?;:'\"()[]{}-_+=*/\\<>@#$%^&|~`";

    private FixtureModel() {}

    /// A builder with the defaults of the tiny model: width 64, 2 layers, 4 heads (4 KV heads),
    /// vocabulary 600, context 2048, F32, seed 42.
    public static Builder builder() {
        return new Builder();
    }

    /// Settings of a fixture model; [#write(Path)] writes it.
    public static final class Builder {
        private int width = 64;
        private int layers = 2;
        private int heads = 4;
        private int kvHeads = -1;
        private int feedForward = -1;
        private int vocabulary = 600;
        private int contextLength = 2048;
        private GgmlType type = GgmlType.F32;
        private long seed = 42;
        private String name = "Hearth fixture";
        private String architecture = "llama";
        private boolean chatTemplate = true;
        private int version = 3;
        private @Nullable List<String> tokens;
        private final List<int[]> duplicates = new ArrayList<>();
        private final SequencedMap<String, GgufValue> extra = new LinkedHashMap<>();
        private final List<String> removed = new ArrayList<>();

        private Builder() {}

        /// Embedding length (`llama.embedding_length`); a multiple of the head count.
        public Builder width(int width) {
            this.width = positive("width", width);
            return this;
        }

        /// Number of transformer blocks (`llama.block_count`).
        public Builder layers(int layers) {
            this.layers = positive("layers", layers);
            return this;
        }

        /// Attention heads.
        public Builder heads(int heads) {
            this.heads = positive("heads", heads);
            return this;
        }

        /// Key/value heads (grouped-query attention); defaults to the head count.
        public Builder kvHeads(int kvHeads) {
            this.kvHeads = positive("kvHeads", kvHeads);
            return this;
        }

        /// Feed-forward length; defaults to 8/3 of the width rounded to a multiple of 32.
        public Builder feedForward(int feedForward) {
            this.feedForward = positive("feedForward", feedForward);
            return this;
        }

        /// Vocabulary size, at least [#MIN_VOCABULARY].
        public Builder vocabulary(int vocabulary) {
            if (vocabulary < MIN_VOCABULARY) {
                throw new IllegalArgumentException("vocabulary must be at least " + MIN_VOCABULARY + ": " + vocabulary);
            }
            this.vocabulary = vocabulary;
            return this;
        }

        /// Training context length (`llama.context_length`).
        public Builder contextLength(int contextLength) {
            this.contextLength = positive("contextLength", contextLength);
            return this;
        }

        /// Type of the weight matrices: [GgmlType#F32] or [GgmlType#Q8_0] (norms stay F32).
        public Builder type(GgmlType type) {
            if (type != GgmlType.F32 && type != GgmlType.Q8_0) {
                throw new IllegalArgumentException("fixture weights are F32 or Q8_0, not " + type);
            }
            this.type = type;
            return this;
        }

        /// Seed of the weights.
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /// `general.name`.
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /// `general.architecture`; the hyper-parameter keys take it as their prefix. "llama" (default) loads
        /// everywhere; "qwen3" adds that architecture's per-head Q/K norms and loads only on a current llama.cpp
        /// (b4916 does not know it); anything else writes a file llama.cpp will not load (a test hook).
        public Builder architecture(String architecture) {
            this.architecture = Objects.requireNonNull(architecture, "architecture");
            return this;
        }

        /// The GGUF version written: 3 (default) or 2.
        public Builder version(int version) {
            if (version != 2 && version != 3) throw new IllegalArgumentException("GGUF version 2 or 3, not " + version);
            this.version = version;
            return this;
        }

        /// Replaces the whole vocabulary with these token strings (scores 0; token types guessed from
        /// the text: `<unk>`, `<s>`, `</s>`, `<|…|>` control, `<0xNN>` byte, everything else normal).
        /// The vocabulary size becomes the list's size. A test hook.
        public Builder tokens(List<String> tokens) {
            if (tokens.isEmpty()) throw new IllegalArgumentException("no tokens");
            this.tokens = List.copyOf(tokens);
            return this;
        }

        /// Gives token `targetId` the same string as token `sourceId`: a vocabulary that makes
        /// llama.cpp abort. A test hook.
        public Builder duplicateToken(int sourceId, int targetId) {
            if (sourceId == targetId || sourceId < 0 || targetId < 0) {
                throw new IllegalArgumentException("two different token ids: " + sourceId + ", " + targetId);
            }
            duplicates.add(new int[] {sourceId, targetId});
            return this;
        }

        /// Adds a metadata entry, or replaces the value of a key the generator writes (in place).
        public Builder extraMetadata(String key, GgufValue value) {
            extra.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /// Leaves out a metadata key the generator would write. A test hook.
        public Builder withoutMetadata(String key) {
            removed.add(key);
            return this;
        }

        /// Leaves out `tokenizer.chat_template`.
        public Builder withoutChatTemplate() {
            this.chatTemplate = false;
            return this;
        }

        int kvHeadCount() {
            return kvHeads > 0 ? kvHeads : heads;
        }

        int feedForwardLength() {
            if (feedForward > 0) return feedForward;
            int derived = (int) Math.round(width * 8.0 / 3.0 / 32.0) * 32;
            return Math.max(32, derived);
        }

        /// The vocabulary this builder writes.
        public List<String> vocabularyStrings() {
            var list = new ArrayList<>(tokens != null ? tokens : generatedVocabulary(vocabulary));
            for (int[] dup : duplicates) {
                if (dup[0] >= list.size() || dup[1] >= list.size()) {
                    throw new IllegalArgumentException("token id out of range: " + dup[0] + ", " + dup[1]);
                }
                list.set(dup[1], list.get(dup[0]));
            }
            return list;
        }

        /// A writer holding this model's metadata and tensors, for callers that add more.
        public GgufWriter writer() {
            validate();
            var vocab = vocabularyStrings();
            int n = vocab.size();
            var meta = new LinkedHashMap<String, GgufValue>();
            String a = architecture;
            int headDim = width / heads;
            int kvDim = headDim * kvHeadCount();
            int ff = feedForwardLength();
            meta.put("general.architecture", new GgufValue.Text(a));
            meta.put("general.name", new GgufValue.Text(name));
            meta.put("general.file_type", new GgufValue.UInt32(type == GgmlType.F32 ? 0 : 7));
            meta.put(a + ".vocab_size", new GgufValue.UInt32(n));
            meta.put(a + ".context_length", new GgufValue.UInt32(contextLength));
            meta.put(a + ".embedding_length", new GgufValue.UInt32(width));
            meta.put(a + ".block_count", new GgufValue.UInt32(layers));
            meta.put(a + ".feed_forward_length", new GgufValue.UInt32(ff));
            meta.put(a + ".rope.dimension_count", new GgufValue.UInt32(headDim));
            meta.put(a + ".rope.freq_base", new GgufValue.Float32(10_000f));
            meta.put(a + ".attention.head_count", new GgufValue.UInt32(heads));
            meta.put(a + ".attention.head_count_kv", new GgufValue.UInt32(kvHeadCount()));
            meta.put(a + ".attention.layer_norm_rms_epsilon", new GgufValue.Float32(1e-5f));
            if (a.equals("qwen3")) {
                meta.put(a + ".attention.key_length", new GgufValue.UInt32(headDim));
                meta.put(a + ".attention.value_length", new GgufValue.UInt32(headDim));
            }
            meta.put("tokenizer.ggml.model", new GgufValue.Text("llama"));
            meta.put("tokenizer.ggml.tokens", GgufValue.Array.ofStrings(vocab));
            float[] scores = new float[n];
            int[] types = new int[n];
            for (int i = 0; i < n; i++) {
                types[i] = tokenType(vocab.get(i));
                scores[i] = types[i] == TYPE_NORMAL && tokens == null ? -(i - IM_END_ID) : 0f;
            }
            meta.put("tokenizer.ggml.scores", GgufValue.Array.ofFloats(scores));
            meta.put("tokenizer.ggml.token_type", GgufValue.Array.ofInts(types));
            meta.put("tokenizer.ggml.bos_token_id", new GgufValue.UInt32(BOS_ID));
            meta.put("tokenizer.ggml.eos_token_id", new GgufValue.UInt32(EOS_ID));
            meta.put("tokenizer.ggml.unknown_token_id", new GgufValue.UInt32(UNK_ID));
            if (tokens == null) {
                meta.put("tokenizer.ggml.eot_token_id", new GgufValue.UInt32(IM_END_ID));
            }
            meta.put("tokenizer.ggml.add_bos_token", new GgufValue.Bool(true));
            meta.put("tokenizer.ggml.add_eos_token", new GgufValue.Bool(false));
            if (chatTemplate) {
                meta.put("tokenizer.chat_template", new GgufValue.Text(CHATML_TEMPLATE));
            }
            meta.putAll(extra);
            removed.forEach(meta::remove);

            var writer = new GgufWriter().version(version);
            meta.forEach(writer::put);

            var weights = new Weights(seed, type);
            writer.tensor("token_embd.weight", type, dims(width, n), weights.next(width, (long) width * n, 1.0));
            double attnScale = 1.0 / Math.sqrt(width);
            for (int layer = 0; layer < layers; layer++) {
                String p = "blk." + layer + ".";
                writer.tensor(p + "attn_norm.weight", GgmlType.F32, dims(width), Weights.ones(width));
                writer.tensor(p + "attn_q.weight", type, dims(width, width), weights.next(width, (long) width * width, attnScale));
                writer.tensor(p + "attn_k.weight", type, dims(width, kvDim), weights.next(width, (long) width * kvDim, attnScale));
                writer.tensor(p + "attn_v.weight", type, dims(width, kvDim), weights.next(width, (long) width * kvDim, attnScale));
                writer.tensor(p + "attn_output.weight", type, dims(width, width), weights.next(width, (long) width * width, attnScale));
                if (architecture.equals("qwen3")) {
                    writer.tensor(p + "attn_q_norm.weight", GgmlType.F32, dims(headDim), Weights.ones(headDim));
                    writer.tensor(p + "attn_k_norm.weight", GgmlType.F32, dims(headDim), Weights.ones(headDim));
                }
                writer.tensor(p + "ffn_norm.weight", GgmlType.F32, dims(width), Weights.ones(width));
                writer.tensor(p + "ffn_gate.weight", type, dims(width, ff), weights.next(width, (long) width * ff, attnScale));
                writer.tensor(p + "ffn_down.weight", type, dims(ff, width), weights.next(ff, (long) ff * width, 1.0 / Math.sqrt(ff)));
                writer.tensor(p + "ffn_up.weight", type, dims(width, ff), weights.next(width, (long) width * ff, attnScale));
            }
            writer.tensor("output_norm.weight", GgmlType.F32, dims(width), Weights.ones(width));
            writer.tensor("output.weight", type, dims(width, n), weights.next(width, (long) width * n, 4.0 / Math.sqrt(width)));
            return writer;
        }

        /// Writes the model to `path` and returns `path`.
        public Path write(Path path) throws IOException {
            writer().write(path);
            return path;
        }

        private void validate() {
            if (width % heads != 0) {
                throw new IllegalArgumentException("width " + width + " is not a multiple of the head count " + heads);
            }
            if (heads % kvHeadCount() != 0) {
                throw new IllegalArgumentException("heads " + heads + " is not a multiple of the KV head count " + kvHeadCount());
            }
            if ((width / heads) % 2 != 0) {
                throw new IllegalArgumentException("head size " + width / heads + " must be even (rotary embedding)");
            }
            if (type == GgmlType.Q8_0 && (width % 32 != 0 || feedForwardLength() % 32 != 0)) {
                throw new IllegalArgumentException("Q8_0 needs width and feed-forward length that are multiples of 32");
            }
        }

        private static long[] dims(long... dims) {
            return dims;
        }

        private static int positive(String what, int value) {
            if (value <= 0) throw new IllegalArgumentException(what + " must be positive: " + value);
            return value;
        }
    }

    /// The generated vocabulary of `size` tokens (special, byte, ChatML, then ordinary pieces).
    static List<String> generatedVocabulary(int size) {
        var set = new LinkedHashSet<String>(size * 2);
        set.add("<unk>");
        set.add("<s>");
        set.add("</s>");
        for (int b = 0; b < 256; b++) set.add(String.format("<0x%02X>", b));
        set.add("<|im_start|>");
        set.add("<|im_end|>");
        set.add("▁");
        for (char c = 'a'; c <= 'z'; c++) set.add(String.valueOf(c));
        for (char c = 'A'; c <= 'Z'; c++) set.add(String.valueOf(c));
        for (char c = '0'; c <= '9'; c++) set.add(String.valueOf(c));
        for (char c : PUNCTUATION.toCharArray()) set.add(String.valueOf(c));
        for (char c = 'a'; c <= 'z'; c++) set.add("▁" + c);
        for (char c = 'A'; c <= 'Z'; c++) set.add("▁" + c);
        for (char c = '0'; c <= '9'; c++) set.add("▁" + c);
        for (String word : WORDS) set.add("▁" + word);
        for (String sub : SUBWORDS) set.add(sub);
        for (String word : WORDS) set.add(word);
        // Letter groups of growing length until the vocabulary is full.
        for (int length = 2; set.size() < size; length++) {
            int[] digits = new int[length];
            outer:
            while (set.size() < size) {
                var sb = new StringBuilder(length);
                for (int d : digits) sb.append((char) ('a' + d));
                String piece = sb.toString();
                set.add("▁" + piece);
                if (set.size() < size) set.add(piece);
                for (int i = length - 1; i >= 0; i--) {
                    if (++digits[i] < 26) continue outer;
                    digits[i] = 0;
                }
                break;
            }
        }
        var list = new ArrayList<>(set);
        return list.size() > size ? list.subList(0, size) : list;
    }

    private static int tokenType(String token) {
        if (token.equals("<unk>")) return TYPE_UNKNOWN;
        if (token.equals("<s>") || token.equals("</s>") || (token.startsWith("<|") && token.endsWith("|>"))) return TYPE_CONTROL;
        if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) return TYPE_BYTE;
        return TYPE_NORMAL;
    }

    /// Pseudo-random weights: each tensor its own SplitMix64 stream from the seed, uniform values
    /// of standard deviation `scale`, written F32 or quantised to Q8_0 as llama.cpp's reference
    /// quantiser does.
    private static final class Weights {
        private final long seed;
        private final GgmlType type;
        private int tensorIndex;

        Weights(long seed, GgmlType type) {
            this.seed = seed;
            this.type = type;
        }

        GgufWriter.TensorData next(int rowLength, long elements, double scale) {
            long streamSeed = seed * 0x9E3779B97F4A7C15L + (++tensorIndex) * 0xBF58476D1CE4E5B9L;
            float half = (float) (Math.sqrt(3.0) * scale);
            GgmlType t = type;
            return out -> {
                var random = new SplitMix64(streamSeed);
                if (t == GgmlType.F32) {
                    writeF32(out, elements, () -> random.nextSymmetric(half));
                } else {
                    writeQ8_0(out, elements, () -> random.nextSymmetric(half));
                }
            };
        }

        static GgufWriter.TensorData ones(int elements) {
            return out -> writeF32(out, elements, () -> 1f);
        }

        private interface FloatSource {
            float next();
        }

        private static void writeF32(OutputStream out, long elements, FloatSource source) throws IOException {
            var buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < elements; i++) {
                if (!buffer.hasRemaining()) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putFloat(source.next());
            }
            out.write(buffer.array(), 0, buffer.position());
        }

        private static void writeQ8_0(OutputStream out, long elements, FloatSource source) throws IOException {
            var buffer = ByteBuffer.allocate(34 * 2048).order(ByteOrder.LITTLE_ENDIAN);
            float[] block = new float[32];
            for (long i = 0; i < elements; i += 32) {
                float amax = 0;
                for (int j = 0; j < 32; j++) {
                    block[j] = source.next();
                    amax = Math.max(amax, Math.abs(block[j]));
                }
                float d = amax / 127f;
                float id = d != 0 ? 1f / d : 0f;
                if (!buffer.hasRemaining()) {
                    out.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                buffer.putShort(Float.floatToFloat16(d));
                for (int j = 0; j < 32; j++) buffer.put((byte) Math.round(block[j] * id));
            }
            out.write(buffer.array(), 0, buffer.position());
        }
    }

    /// SplitMix64: small, fast and fixed forever, so fixtures stay byte-identical across JDKs.
    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /// Uniform in [-half, half).
        float nextSymmetric(float half) {
            float unit = (nextLong() >>> 40) * 0x1.0p-24f; // [0, 1)
            return (unit * 2f - 1f) * half;
        }
    }
}
