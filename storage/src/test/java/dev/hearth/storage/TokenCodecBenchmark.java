package dev.hearth.storage;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/// JMH: the cost of the token blob format on the writer thread (encode a 250 ms batch at 2,000 tokens/s) and when
/// opening a generation (decode 4,000 tokens). Run:
///
/// ```
/// ./mvnw -q -B -pl storage test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
/// java -cp storage/target/test-classes:storage/target/classes:$(cat storage/target/cp.txt) org.openjdk.jmh.Main TokenCodecBenchmark
/// ```
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenCodecBenchmark {
    @Param({"500", "4000"})
    int tokens;

    List<Token> batch;
    byte[] blob;

    @Setup
    public void setup() {
        batch = Fixtures.tokens(tokens, 10, 1);
        blob = TokenCodec.encode(batch);
    }

    @Benchmark
    public byte[] encode() {
        return TokenCodec.encode(batch);
    }

    @Benchmark
    public List<Token> decode() {
        return TokenCodec.decode(blob);
    }
}
