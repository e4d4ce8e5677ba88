package dev.hearth.inference.worker;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.hearth.inference.GenerationEvent;
import dev.hearth.inference.TopToken;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/// The protocol's Java work per generated token with 10 alternatives: the worker encodes a binary token frame, the
/// client decodes it (what `WorkerServer` and `EngineClient` do; the pipe itself is not included). `json*` measure the
/// JSON line protocol version 1 used for tokens, for comparison.
///
/// Run: `java -cp <test classpath> org.openjdk.jmh.Main WorkerProtocolBenchmark`
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WorkerProtocolBenchmark {
    static final ObjectReader TOKEN = WorkerProtocol.JSON.readerFor(GenerationEvent.Token.class);
    record TokenMessage(int v, String type, long id, GenerationEvent.Token token) {}

    TokenMessage message;
    String line;
    final WorkerProtocol.FrameBuffer buffer = new WorkerProtocol.FrameBuffer();
    byte[] frame;

    @Setup
    public void setup() throws Exception {
        var top = new ArrayList<TopToken>();
        for (int i = 0; i < 10; i++) top.add(new TopToken(1000 + i, " word" + i, -0.5 - i));
        message = new TokenMessage(1, "token", 42, new GenerationEvent.Token(17, 1000, " word0", -0.5, 1, 2.25, top,
                1.0, 4.2));
        line = WorkerProtocol.JSON.writeValueAsString(message);
        int size = WorkerProtocol.encodeToken(42, message.token(), buffer);
        frame = java.util.Arrays.copyOf(buffer.bytes(), size);
    }

    @Benchmark
    public int frameEncode() {
        return WorkerProtocol.encodeToken(42, message.token(), buffer);
    }

    @Benchmark
    public GenerationEvent.Token frameDecode() throws Exception {
        var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(frame, 1, frame.length - 1));
        return WorkerProtocol.decodeToken(in, new long[1]);
    }

    @Benchmark
    public byte[] jsonEncode() throws Exception {
        return WorkerProtocol.JSON.writeValueAsBytes(message);
    }

    @Benchmark
    public GenerationEvent.Token jsonDecode() throws Exception {
        var node = WorkerProtocol.JSON.readTree(line);
        return TOKEN.readValue(node.get("token"));
    }
}
