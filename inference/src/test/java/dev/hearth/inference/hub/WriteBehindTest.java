package dev.hearth.inference.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    private static final int PREFIX = 5_000; // bytes already in the file: an unaligned resume
    private static final int[] BLOCKS = {16_384, 10_000, 16_384, 3_000, 16_384, 9_999};

    @TempDir
    Path dir;

    private record Call(boolean direct, long position, int length) {}

    @Test
    void directWritesGoOnlyToAlignedRangesAndTheFileGetsEveryByteInPlace() throws Exception {
        var file = dir.resolve("model.gguf.part");
        var direct = WriteBehind.openDirect(prepare(file));
        assumeTrue(direct != null, "this file system has no O_DIRECT");
        var calls = new CopyOnWriteArrayList<Call>();
        var digest = MessageDigest.getInstance("SHA-256");
        var bytes = FakeHub.bytes(PREFIX + Arrays.stream(BLOCKS).sum(), 7);

        var failure = run(file, direct, digest, bytes, recording(calls, direct.channel(), null));

        assertNull(failure);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals(sha256(Arrays.copyOfRange(bytes, PREFIX, bytes.length)), HexFormat.of().formatHex(digest.digest()));
        var directCalls = calls.stream().filter(Call::direct).toList();
        assertFalse(directCalls.isEmpty(), "the aligned middles went through O_DIRECT");
        for (var c : directCalls) {
            assertEquals(0, c.position() % direct.align(), "position " + c.position());
            assertEquals(0, c.length() % direct.align(), "length " + c.length());
        }
    }

    @Test
    void aDirectWriteTheFileSystemRefusesIsWrittenThroughThePageCacheInstead() throws Exception {
        var file = dir.resolve("model.gguf.part");
        var direct = WriteBehind.openDirect(prepare(file));
        assumeTrue(direct != null, "this file system has no O_DIRECT");
        var calls = new CopyOnWriteArrayList<Call>();
        var bytes = FakeHub.bytes(PREFIX + Arrays.stream(BLOCKS).sum(), 8);

        var failure = run(file, direct, MessageDigest.getInstance("SHA-256"), bytes,
                recording(calls, direct.channel(), new IOException("Invalid argument")));

        assertNull(failure);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals(1, calls.stream().filter(Call::direct).count(), "after one refusal, no more direct writes");
    }

    @Test
    void aFullDiskOnADirectWriteIsReportedAndNotRetried() throws Exception {
        var file = dir.resolve("model.gguf.part");
        var direct = WriteBehind.openDirect(prepare(file));
        assumeTrue(direct != null, "this file system has no O_DIRECT");
        var calls = new CopyOnWriteArrayList<Call>();
        var bytes = FakeHub.bytes(PREFIX + Arrays.stream(BLOCKS).sum(), 9);

        var failure = run(file, direct, MessageDigest.getInstance("SHA-256"), bytes,
                recording(calls, direct.channel(), new IOException("No space left on device")));

        assertNotNull(failure);
        assertTrue(Download.isDiskFull(failure), failure.getMessage());
        assertTrue(Files.size(file) < bytes.length, "the transfer stopped at the full disk");
    }

    @Test
    void withoutDirectWritesEverythingGoesThroughOneChannel() throws Exception {
        var file = dir.resolve("model.gguf.part");
        prepare(file);
        var calls = new CopyOnWriteArrayList<Call>();
        var digest = MessageDigest.getInstance("SHA-256");
        var bytes = FakeHub.bytes(PREFIX + Arrays.stream(BLOCKS).sum(), 10);

        var failure = run(file, null, digest, bytes, recording(calls, null, null));

        assertNull(failure);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals(sha256(Arrays.copyOfRange(bytes, PREFIX, bytes.length)), HexFormat.of().formatHex(digest.digest()));
        assertEquals(BLOCKS.length, calls.size(), "one write per block");
    }

    /// Creates the empty `.part` file (a direct channel opens only an existing file).
    private static Path prepare(Path file) throws IOException {
        Files.write(file, new byte[0]);
        return file;
    }

    /// Feeds `bytes` through a [WriteBehind]: the first [#PREFIX] written beforehand (like a `.part` a dropped
    /// connection left), then [#BLOCKS] submitted in order; returns the pipeline's write failure.
    private static @Nullable IOException run(Path file, WriteBehind.@Nullable Direct direct,
            MessageDigest digest, byte[] bytes, ModelDownloader.PartWriter writer) throws Exception {
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            channel.write(ByteBuffer.wrap(bytes, 0, PREFIX), 0);
            var pipeline = new WriteBehind("test", channel, direct, digest, writer, 16_384, 3, PREFIX, _ -> {});
            long at = PREFIX;
            for (int length : BLOCKS) {
                var buffer = pipeline.take();
                buffer.put(bytes, (int) at, length);
                pipeline.submit(buffer, at);
                at += length;
            }
            pipeline.finish();
            return pipeline.writeFailure();
        } finally {
            if (direct != null) direct.channel().close();
        }
    }

    /// Records every write; the first one through `direct` throws `refusal` when there is one.
    private static ModelDownloader.PartWriter recording(List<Call> calls, @Nullable FileChannel direct,
                                                        @Nullable IOException refusal) {
        return (channel, buffer, position) -> {
            boolean viaDirect = channel == direct;
            calls.add(new Call(viaDirect, position, buffer.remaining()));
            if (viaDirect && refusal != null) throw refusal;
            return channel.write(buffer, position);
        };
    }

    private static String sha256(byte[] bytes) {
        return FakeHub.sha256(bytes);
    }
}
