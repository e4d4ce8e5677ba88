package dev.hearth.inference.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.TopToken;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The binary token frame (since protocol version 2): its exact bytes, a round trip, and broken frames refused.
class WorkerProtocolTest {
    private static final GenerationEvent.Token TOKEN = new GenerationEvent.Token(3, 1234, "é!", -0.25, 2, 1.5,
            List.of(new TopToken(7, "a", -0.125), new TopToken(1234, "é!", -0.25)), 0.75, 12.5);

    @Test
    void aTokenFrameHasTheDocumentedBytes() {
        var buffer = new WorkerProtocol.FrameBuffer();
        int size = WorkerProtocol.encodeToken(42, new GenerationEvent.Token(0, 5, "hi", -0.5, 1, 0.0, List.of(), 1.0, 2.0),
                buffer);
        var hex = HexFormat.of().formatHex(Arrays.copyOf(buffer.bytes(), size));
        assertEquals("01" + "0000003e" // marker, payload length 62
                + "000000000000002a" // request id 42
                + "00000000" + "00000005" // index 0, token 5
                + "00000002" + "6869" // text "hi"
                + "bfe0000000000000" // logprob -0.5
                + "00000001" // rank 1
                + "0000000000000000" // entropy 0
                + "3ff0000000000000" // post-sampler probability 1
                + "4000000000000000" // elapsed 2 ms
                + "00000000", hex); // no alternatives
    }

    @Test
    void aTokenFrameRoundTrips() throws Exception {
        var buffer = new WorkerProtocol.FrameBuffer();
        int size = WorkerProtocol.encodeToken(99, TOKEN, buffer);
        var in = new DataInputStream(new ByteArrayInputStream(buffer.bytes(), 1, size - 1));
        long[] id = new long[1];
        assertEquals(TOKEN, WorkerProtocol.decodeToken(in, id));
        assertEquals(99, id[0]);
        // the buffer is reused: a second frame is encoded from the start
        assertEquals(size, WorkerProtocol.encodeToken(99, TOKEN, buffer));
        assertArrayEquals(new byte[] {1}, Arrays.copyOf(buffer.bytes(), 1));
    }

    @Test
    void anOversizedOrTruncatedTokenFrameIsRefused() {
        var huge = new DataInputStream(new ByteArrayInputStream(new byte[] {0x7f, 0, 0, 0}));
        var e = assertThrows(WorkerProtocol.ProtocolException.class, () -> WorkerProtocol.decodeToken(huge, new long[1]));
        assertEquals("a token frame of 2130706432 bytes", e.getMessage());
        var buffer = new WorkerProtocol.FrameBuffer();
        int size = WorkerProtocol.encodeToken(1, TOKEN, buffer);
        var cut = new DataInputStream(new ByteArrayInputStream(buffer.bytes(), 1, size - 10));
        assertThrows(EOFException.class, () -> WorkerProtocol.decodeToken(cut, new long[1]));
    }
}
