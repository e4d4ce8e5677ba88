package dev.hearth.inference.hub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import com.sun.nio.file.ExtendedOpenOption;
import org.jspecify.annotations.Nullable;

/// The disk and SHA-256 side of one transfer, each on a thread of its own, so that receiving, writing and hashing
/// overlap instead of taking turns (one thread doing all three spends the disk's time hashing, which `curl` does not).
///
/// The receiver fills large buffers from a small pool ([#take]) and hands each one over ([#submit]); the writer
/// writes it at its position (one system call per buffer), the hasher feeds it to the digest, both in order; the
/// buffer returns to the pool when both are done. A write failure stops the writing (the receiver sees it through
/// [#writeFailure()]); [#finish()] waits for both threads, after which no write is under way and the digest holds
/// exactly the bytes handed over.
///
/// Where the file system allows it, the block-aligned middle of each buffer goes through a second channel opened with
/// `O_DIRECT` ([#openDirect]), straight from the buffer to the disk, and only the unaligned ends (a resume at an odd
/// offset, a trickle's partial buffer, the file's last bytes) through the page cache. A model is written once and
/// read later by `mmap`, so caching its pages while it downloads buys little, and filling the page cache with fresh
/// pages was the largest single cost of a download (ADR 0016). A direct write the file system refuses for any reason
/// but a full disk is written through the page cache instead, and so is the rest of the transfer.
final class WriteBehind {
    private record Block(ByteBuffer buffer, long position, AtomicInteger users) {}

    private static final Block END = new Block(ByteBuffer.allocate(0), -1, new AtomicInteger());

    private final FileChannel channel;
    private @Nullable FileChannel direct; // touched only by the writer thread once started
    private final int align;
    /// Where the writer copies a block's aligned middle for a direct write: aligned, allocated once per transfer
    /// (the JDK's own substitute for a heap buffer is allocated again for every direct write).
    private final @Nullable ByteBuffer staging;
    private final MessageDigest digest;
    private final ModelDownloader.PartWriter partWriter;
    private final LongConsumer onWritten;
    private final BlockingQueue<ByteBuffer> free;
    private final BlockingQueue<Block> toDisk = new LinkedBlockingQueue<>();
    private final BlockingQueue<Block> toDigest = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Thread hasher;
    private volatile @Nullable IOException writeFailure;
    private volatile long written;
    private boolean finished;

    /// An `O_DIRECT` channel on one file and the alignment its writes need.
    record Direct(FileChannel channel, int align) {}

    /// Opens `file` for direct writes, or null where the file system cannot (tmpfs, some network file systems).
    static @Nullable Direct openDirect(Path file) {
        try {
            long align = Files.getFileStore(file).getBlockSize();
            if (align <= 0 || align > (1 << 20) || Long.bitCount(align) != 1) return null;
            return new Direct(FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT), (int) align);
        } catch (IOException | UnsupportedOperationException _) {
            return null;
        }
    }

    /// @param direct    the same file opened with `O_DIRECT` ([#openDirect]), or null to write through `channel` only;
    ///                  the caller closes it after [#finish()]
    /// @param written   where the file's bytes end now (the first block goes there)
    /// @param onWritten called on the writer thread with the new end after each block reached the file
    WriteBehind(String name, FileChannel channel, @Nullable Direct direct, MessageDigest digest,
                ModelDownloader.PartWriter partWriter, int bufferBytes, int buffers, long written, LongConsumer onWritten) {
        this.channel = channel;
        this.direct = direct == null ? null : direct.channel();
        this.align = direct == null ? 1 : direct.align();
        this.staging = direct == null ? null : ByteBuffer.allocateDirect(bufferBytes + align).alignedSlice(align);
        this.digest = digest;
        this.partWriter = partWriter;
        this.onWritten = onWritten;
        this.written = written;
        this.free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) free.add(ByteBuffer.allocate(bufferBytes));
        this.writer = Thread.ofPlatform().daemon().name("download-write " + name).start(this::writeLoop);
        this.hasher = Thread.ofPlatform().daemon().name("download-sha256 " + name).start(this::hashLoop);
    }

    /// A free, cleared buffer (waits while all are busy); its bytes are in [ByteBuffer#array()].
    ByteBuffer take() throws InterruptedException {
        return free.take();
    }

    /// Hands over a buffer filled from its start (its position is how many bytes it holds) to be written at `position`.
    void submit(ByteBuffer filled, long position) {
        filled.flip();
        var block = new Block(filled, position, new AtomicInteger(2));
        toDisk.add(block);
        toDigest.add(block);
    }

    /// Gives back a buffer that was taken and not submitted.
    void giveBack(ByteBuffer unused) {
        free.add(unused.clear());
    }

    /// The first write failure, if any; once there is one, later blocks are not written.
    @Nullable IOException writeFailure() {
        return writeFailure;
    }

    /// Where the file's written bytes end.
    long written() {
        return written;
    }

    /// Waits until every block handed over is written (or skipped after a failure) and hashed, and stops both threads.
    /// Idempotent. An interrupt while waiting is kept for the caller, but the wait itself is finished.
    void finish() {
        if (finished) return;
        finished = true;
        toDisk.add(END);
        toDigest.add(END);
        boolean interrupted = false;
        for (var t : new Thread[] {writer, hasher}) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException _) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void writeLoop() {
        for (Block block; (block = next(toDisk)) != END; ) {
            if (writeFailure == null) {
                var bytes = block.buffer();
                long at = block.position();
                try {
                    write(bytes, at);
                    at += bytes.limit();
                    written = at;
                    onWritten.accept(at);
                } catch (IOException e) {
                    writeFailure = e;
                } catch (RuntimeException e) {
                    writeFailure = new IOException(e);
                }
            }
            release(block);
        }
    }

    /// Writes the whole buffer at `at`: its aligned middle directly when there is one, the rest through the page cache.
    private void write(ByteBuffer bytes, long at) throws IOException {
        int length = bytes.limit();
        var d = direct;
        var stage = staging;
        if (d != null && stage != null) {
            long start = (at + align - 1) / align * align;
            long end = (at + length) / align * align;
            if (end - start >= align) {
                int from = (int) (start - at);
                int to = (int) (end - at);
                writeCached(bytes.slice(0, from), at);
                try {
                    stage.clear().put(bytes.slice(from, to - from)).flip();
                    writeFully(d, stage, start);
                } catch (IOException e) {
                    if (Download.isDiskFull(e)) throw e;
                    direct = null; // refused (alignment, file system): the page cache from here on
                    writeCached(bytes.slice(from, to - from), start);
                }
                writeCached(bytes.slice(to, length - to), end);
                return;
            }
        }
        writeCached(bytes.slice(0, length), at);
    }

    private void writeFully(FileChannel target, ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) at += partWriter.write(target, bytes, at);
    }

    /// Through the page cache in pieces of [#PAGE_CACHE_PIECE]: one 4 MiB `write(2)` into new page-cache pages cost
    /// 3.3 s of kernel time per GiB on the build machine, 128 KiB ones 0.4–0.5 s (`dd` into a new file, bs=4M vs
    /// bs=128K; the kernel's large folios for large writes are the likely cause).
    private void writeCached(ByteBuffer bytes, long at) throws IOException {
        for (int from = 0; from < bytes.limit(); from += PAGE_CACHE_PIECE) {
            int length = Math.min(PAGE_CACHE_PIECE, bytes.limit() - from);
            writeFully(channel, bytes.slice(from, length), at + from);
        }
    }

    static final int PAGE_CACHE_PIECE = 128 << 10;

    private void hashLoop() {
        for (Block block; (block = next(toDigest)) != END; ) {
            digest.update(block.buffer().duplicate());
            release(block);
        }
    }

    private void release(Block block) {
        if (block.users().decrementAndGet() == 0) free.add(block.buffer().clear());
    }

    private static Block next(BlockingQueue<Block> queue) {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException _) {
                // only finish() ends these threads: every block handed over must be dealt with
            }
        }
    }
}
