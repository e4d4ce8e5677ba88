package dev.hearth.inference.gguf;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/// Buffered little-endian reads at any position of a file channel. Every read checks the file's
/// size first, so a length field can never make it read (or allocate) past the end.
final class GgufInput implements Closeable {
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer;
    private long bufferStart;
    private String context = "header";

    GgufInput(FileChannel channel, int bufferSize) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.buffer = ByteBuffer.allocate(bufferSize).order(ByteOrder.LITTLE_ENDIAN);
        buffer.limit(0);
    }

    long size() {
        return size;
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long remaining() {
        return size - position();
    }

    /// Names what is being read, for the message of a truncation.
    void context(String context) {
        this.context = context;
    }

    void seek(long position) {
        if (position >= bufferStart && position <= bufferStart + buffer.limit()) {
            buffer.position((int) (position - bufferStart));
        } else {
            bufferStart = position;
            buffer.clear().limit(0);
        }
    }

    private void need(int n) throws IOException {
        if (buffer.remaining() >= n) return;
        long position = position();
        if (n > size - position) {
            throw truncated(position + n);
        }
        bufferStart = position;
        buffer.clear();
        int wanted = (int) Math.min(buffer.capacity(), size - position);
        buffer.limit(wanted);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, bufferStart + buffer.position());
            if (read < 0) break;
        }
        buffer.flip();
        if (buffer.remaining() < n) {
            throw truncated(position + n);
        }
    }

    GgufFormatException truncated(long needed) {
        return new GgufFormatException("truncated: the file ends at byte " + size + " inside " + context
                + " (needs " + needed + " bytes)");
    }

    int u8() throws IOException {
        need(1);
        return buffer.get() & 0xFF;
    }

    short i16() throws IOException {
        need(2);
        return buffer.getShort();
    }

    int i32() throws IOException {
        need(4);
        return buffer.getInt();
    }

    long u32() throws IOException {
        return i32() & 0xFFFF_FFFFL;
    }

    long i64() throws IOException {
        need(8);
        return buffer.getLong();
    }

    float f32() throws IOException {
        need(4);
        return buffer.getFloat();
    }

    double f64() throws IOException {
        need(8);
        return buffer.getDouble();
    }

    /// Reads `n` bytes (the caller has checked `n` against [#remaining()]).
    byte[] bytes(int n) throws IOException {
        byte[] result = new byte[n];
        if (n <= buffer.capacity()) {
            need(n);
            buffer.get(result);
            return result;
        }
        if (n > remaining()) throw truncated(position() + n);
        int fromBuffer = buffer.remaining();
        buffer.get(result, 0, fromBuffer);
        long position = bufferStart + buffer.position();
        var rest = ByteBuffer.wrap(result, fromBuffer, n - fromBuffer);
        while (rest.hasRemaining()) {
            int read = channel.read(rest, position + (rest.position() - fromBuffer));
            if (read < 0) throw truncated(position() + n);
        }
        seek(position + n - fromBuffer);
        return result;
    }

    /// Makes `n` bytes (at most the buffer's capacity) readable in place and returns the buffer,
    /// positioned at them; the caller advances with [#skip(long)].
    ByteBuffer window(int n) throws IOException {
        need(n);
        return buffer;
    }

    void skip(long n) throws IOException {
        if (n < 0 || n > remaining()) throw truncated(position() + n);
        if (n <= buffer.remaining()) {
            buffer.position(buffer.position() + (int) n);
        } else {
            seek(position() + n);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
