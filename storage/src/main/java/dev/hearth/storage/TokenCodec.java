package dev.hearth.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/// The binary format of a batch of consecutive tokens (`token_batch.data`). Little-endian throughout.
///
/// ```
/// blob    := format:u8 payload
///            format 1: payload = body
///            format 2: payload = bodyLength:varint deflate(body)   (raw deflate, no zlib header)
/// body    := firstIndex:varint count:varint token{count}
/// token   := id:varint piece:str logprob:f32 rankPlusOne:varint entropy:f32 ms:f32 topCount:varint alt{topCount}
/// alt     := id:varint text:str logprob:f32
/// str     := byteLength:varint utf8-bytes
/// varint  := unsigned LEB128 (7 bits a byte, low bits first)
/// ```
///
/// Token indexes are implied: `firstIndex`, `firstIndex + 1`, … Unknown `logprob`/`entropy` are NaN, unknown rank
/// is -1 (stored as 0). The writer deflates a body when that saves at least an eighth.
final class TokenCodec {
    static final int PLAIN = 1;
    static final int DEFLATE = 2;

    private TokenCodec() {}

    static byte[] encode(List<Token> tokens) {
        if (tokens.isEmpty()) throw new IllegalArgumentException("no tokens");
        var out = new Out(64 + tokens.size() * 48);
        int first = tokens.getFirst().index();
        out.varint(first);
        out.varint(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            var t = tokens.get(i);
            if (t.index() != first + i) {
                throw new IllegalArgumentException("token indexes not consecutive at " + t.index());
            }
            out.varint(t.id());
            out.str(t.piece());
            out.f32(t.logprob());
            out.varint(t.rank() + 1);
            out.f32(t.entropy());
            out.f32(t.ms());
            out.varint(t.top().size());
            for (var alt : t.top()) {
                out.varint(alt.id());
                out.str(alt.text());
                out.f32(alt.logprob());
            }
        }
        return pack(out.buf, out.len);
    }

    private static byte[] pack(byte[] body, int len) {
        var deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            deflater.setInput(body, 0, len);
            deflater.finish();
            var packed = new byte[len + 16];
            int n = 0;
            while (!deflater.finished() && n < packed.length) n += deflater.deflate(packed, n, packed.length - n);
            var header = new Out(8);
            header.u8(DEFLATE);
            header.varint(len);
            if (deflater.finished() && header.len + n <= len - len / 8) {
                var blob = Arrays.copyOf(header.buf, header.len + n);
                System.arraycopy(packed, 0, blob, header.len, n);
                return blob;
            }
        } finally {
            deflater.end();
        }
        var blob = new byte[len + 1];
        blob[0] = PLAIN;
        System.arraycopy(body, 0, blob, 1, len);
        return blob;
    }

    static List<Token> decode(byte[] blob) {
        if (blob.length == 0) throw new IllegalArgumentException("empty token blob");
        byte[] body;
        int pos;
        switch (blob[0]) {
            case PLAIN -> {
                body = blob;
                pos = 1;
            }
            case DEFLATE -> {
                var in = new In(blob, 1);
                int len = in.varint();
                body = new byte[len];
                var inflater = new Inflater(true);
                try {
                    inflater.setInput(blob, in.pos, blob.length - in.pos);
                    int n = 0;
                    while (n < len) {
                        int k = inflater.inflate(body, n, len - n);
                        if (k == 0 && (inflater.finished() || inflater.needsInput())) break;
                        n += k;
                    }
                    if (n != len) throw new IllegalArgumentException("token blob shorter than its header says");
                } catch (DataFormatException e) {
                    throw new IllegalArgumentException("token blob is not valid deflate data", e);
                } finally {
                    inflater.end();
                }
                pos = 0;
            }
            default -> throw new IllegalArgumentException("unknown token blob format " + blob[0]);
        }
        var in = new In(body, pos);
        int first = in.varint();
        int count = in.varint();
        var tokens = new ArrayList<Token>(count);
        for (int i = 0; i < count; i++) {
            int id = in.varint();
            var piece = in.str();
            float logprob = in.f32();
            int rank = in.varint() - 1;
            float entropy = in.f32();
            float ms = in.f32();
            int topCount = in.varint();
            var top = new ArrayList<TopToken>(topCount);
            for (int k = 0; k < topCount; k++) top.add(new TopToken(in.varint(), in.str(), in.f32()));
            tokens.add(new Token(first + i, id, piece, logprob, rank, entropy, ms, top));
        }
        return tokens;
    }

    private static final class Out {
        byte[] buf;
        int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }

        void u8(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void varint(int v) {
            if (v < 0) throw new IllegalArgumentException("negative varint " + v);
            ensure(5);
            while ((v & ~0x7F) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void f32(float f) {
            int bits = Float.floatToRawIntBits(f);
            ensure(4);
            buf[len++] = (byte) bits;
            buf[len++] = (byte) (bits >>> 8);
            buf[len++] = (byte) (bits >>> 16);
            buf[len++] = (byte) (bits >>> 24);
        }

        void str(String s) {
            var bytes = s.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
        }
    }

    private static final class In {
        final byte[] buf;
        int pos;

        In(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        private void need(int n) {
            if (pos + n > buf.length) throw new IllegalArgumentException("token blob truncated");
        }

        int varint() {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                need(1);
                int b = buf[pos++] & 0xFF;
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new IllegalArgumentException("varint too long in token blob");
        }

        float f32() {
            need(4);
            int bits = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
            pos += 4;
            return Float.intBitsToFloat(bits);
        }

        String str() {
            int n = varint();
            need(n);
            var s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
