package dev.hearth.inference.library;

import dev.hearth.inference.AtomicFile;
import dev.hearth.inference.LoadOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;

/// How fast this machine streams memory into its cores: the ceiling of token generation on the CPU, where every
/// generated token reads (about) all of the model's weights once. Decode tokens/s ≤ bandwidth ÷ weight bytes.
///
/// The measurement reads a buffer much larger than the caches with one thread per physical core, each summing
/// its own slice of a `long[]` (a plain loop the JIT vectorises), and keeps the best of several passes within a
/// short time budget. It measures reads only, as decoding mostly reads.
public final class MemoryBandwidth {
    /// Default buffer: 256 MiB, far beyond any last-level cache.
    public static final int DEFAULT_BUFFER_BYTES = 256 << 20;

    private MemoryBandwidth() {}

    /// One measurement of the machine.
    ///
    /// @param bytesPerSecond best read bandwidth seen
    /// @param threads        reading threads
    /// @param bufferBytes    size of the buffer read
    /// @param passes         passes made (the best one counts)
    /// @param measuredAt     when
    public record Measurement(double bytesPerSecond, int threads, long bufferBytes, int passes, Instant measuredAt) {
        public Measurement {
            if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond))
                throw new IllegalArgumentException("bandwidth must be > 0, got " + bytesPerSecond);
            if (threads < 1 || passes < 1 || bufferBytes < 1) throw new IllegalArgumentException("counts must be >= 1");
        }

        /// The decode ceiling for a model whose weights take `weightBytes`: tokens per second.
        public double tokensPerSecondCeiling(long weightBytes) {
            if (weightBytes <= 0) throw new IllegalArgumentException("weight bytes must be > 0, got " + weightBytes);
            return bytesPerSecond / weightBytes;
        }

        /// A line for the screen and the README: "12.3 GB/s (4 threads, 256 MiB, best of 6 passes)".
        public String describe() {
            return "%.1f GB/s (%d thread%s reading %d MiB, best of %d passes)".formatted(bytesPerSecond / 1e9, threads,
                    threads == 1 ? "" : "s", bufferBytes >> 20, passes);
        }
    }

    /// Measures with one thread per physical core, a [#DEFAULT_BUFFER_BYTES] buffer and about half a second.
    public static Measurement measure() {
        return measure(LoadOptions.DEFAULT.effectiveThreads(), DEFAULT_BUFFER_BYTES, Duration.ofMillis(500));
    }

    /// Measures with `threads` readers over `bufferBytes`, making passes until `budget` is spent (at least three).
    /// Blocking; the buffer is garbage once it returns.
    public static Measurement measure(int threads, int bufferBytes, Duration budget) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (bufferBytes < (1 << 20)) throw new IllegalArgumentException("buffer must be >= 1 MiB, got " + bufferBytes);
        var data = new long[bufferBytes / Long.BYTES];
        for (int i = 0; i < data.length; i += 512) data[i] = i; // touch every page before timing
        int slice = data.length / threads;
        var barrier = new CyclicBarrier(threads + 1);
        var sums = new long[threads * 16]; // one cache line apart, so the threads do not share one
        var stop = new boolean[1];
        var readers = new ArrayList<Thread>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            int from = t * slice;
            int to = t == threads - 1 ? data.length : from + slice;
            readers.add(Thread.ofPlatform().daemon().name("bandwidth-" + t).start(() -> {
                try {
                    // warm up: the loop is compiled before the first timed pass
                    long warm = 0;
                    for (int k = 0; k < 2_000; k++) warm += sum(data, from, Math.min(to, from + 8_192));
                    sums[index * 16] = warm;
                    while (true) {
                        barrier.await();
                        if (stop[0]) return;
                        sums[index * 16] += sum(data, from, to);
                        barrier.await();
                    }
                } catch (Exception _) {
                    // interrupted or broken barrier: the measuring thread gives up too
                }
            }));
        }
        long best = Long.MAX_VALUE;
        int passes = 0;
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            while (passes < 3 || System.nanoTime() < deadline) {
                barrier.await();
                long start = System.nanoTime();
                barrier.await();
                best = Math.min(best, System.nanoTime() - start);
                passes++;
                if (passes >= 200) break;
            }
            stop[0] = true;
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            readers.forEach(Thread::interrupt);
            throw new IllegalStateException("bandwidth measurement interrupted", e);
        } catch (Exception e) {
            readers.forEach(Thread::interrupt);
            throw new IllegalStateException("bandwidth measurement failed: " + e, e);
        }
        long check = 0;
        for (long s : sums) check += s;
        if (check == 42) System.getLogger(MemoryBandwidth.class.getName()).log(System.Logger.Level.TRACE, "");
        double seconds = Math.max(best, 1) / 1e9;
        return new Measurement((double) data.length * Long.BYTES / seconds, threads, (long) data.length * Long.BYTES,
                passes, Instant.now());
    }

    private static long sum(long[] data, int from, int to) {
        long a = 0;
        long b = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            a += data[i];
            b += data[i + 1];
        }
        if (i < to) a += data[i];
        return a + b;
    }

    /// The measurement kept in `file` (a small properties file), if there is a readable one.
    public static Optional<Measurement> load(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        var p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return Optional.of(new Measurement(Double.parseDouble(p.getProperty("bytesPerSecond", "")),
                    Integer.parseInt(p.getProperty("threads", "")), Long.parseLong(p.getProperty("bufferBytes", "")),
                    Integer.parseInt(p.getProperty("passes", "")), Instant.parse(p.getProperty("measuredAt", ""))));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty(); // damaged or from another version: measure again
        }
    }

    /// Keeps `m` in `file`, replacing it atomically.
    public static void save(Measurement m, Path file) throws IOException {
        var p = new Properties();
        p.setProperty("bytesPerSecond", Double.toString(m.bytesPerSecond()));
        p.setProperty("threads", Integer.toString(m.threads()));
        p.setProperty("bufferBytes", Long.toString(m.bufferBytes()));
        p.setProperty("passes", Integer.toString(m.passes()));
        p.setProperty("measuredAt", m.measuredAt().toString());
        AtomicFile.write(file, out -> p.store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8),
                "Hearth: memory read bandwidth of this machine"));
    }
}
