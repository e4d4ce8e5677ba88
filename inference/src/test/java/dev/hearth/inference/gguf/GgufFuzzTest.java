package dev.hearth.inference.gguf;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Thousands of damaged variants of small GGUF files: each one either reads (and its model info
/// and arrays work) or is refused with a [GgufFormatException], never anything else, never a hang.
class GgufFuzzTest {
    private static final int VARIANTS_PER_BASE = 1000;

    @TempDir
    Path dir;

    @Test
    void damagedFixtureModelsEitherReadOrAreRefusedWithTheReadersException() throws Exception {
        var base = Files.readAllBytes(FixtureModel.builder().width(32).heads(2).layers(1).feedForward(32).vocabulary(300)
                .write(dir.resolve("base.gguf")));
        fuzz(base, 1);
    }

    @Test
    void damagedFilesWithEveryValueTypeEitherReadOrAreRefusedWithTheReadersException() throws Exception {
        var writer = new GgufWriter();
        GgufRoundTripTest.everyValueType().forEach(writer::put);
        writer.tensor("t", GgmlType.F32, new long[] {8, 2}, out -> out.write(new byte[64]));
        var bytes = new ByteArrayOutputStream();
        writer.write(bytes);
        fuzz(bytes.toByteArray(), 2);
    }

    private void fuzz(byte[] base, long seed) throws Exception {
        long headerEnd = GgufReader.open(Files.write(dir.resolve("check.gguf"), base)).dataOffset();
        var random = new Random(seed);
        var path = dir.resolve("variant.gguf");
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int i = 0; i < VARIANTS_PER_BASE; i++) {
                int strategy = random.nextInt(7);
                byte[] variant = mutate(base, (int) headerEnd, strategy, random);
                Files.write(path, variant);
                try {
                    var file = GgufReader.open(path);
                    var info = file.modelInfo();
                    for (var type : KvCacheType.values()) {
                        assertTrue(info.kvCacheBytes(4096, type) >= 0);
                    }
                    assertTrue(file.tokens().size() == file.tokenCount());
                    for (var value : file.metadata().values()) {
                        if (value instanceof GgufValue.Array array) array.elements();
                    }
                    outcomes[0]++;
                } catch (GgufFormatException refused) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    fail("variant " + i + " (strategy " + strategy + ", seed " + seed + ") failed with " + t, t);
                }
            }
        });
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "both outcomes occur: " + Arrays.toString(outcomes));
    }

    private static byte[] mutate(byte[] base, int headerEnd, int strategy, Random random) {
        byte[] bytes = base.clone();
        int at = random.nextInt(headerEnd);
        return switch (strategy) {
            case 0 -> { // flip bits in the header and metadata
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    int p = random.nextInt(headerEnd);
                    bytes[p] ^= (byte) (1 << random.nextInt(8));
                }
                yield bytes;
            }
            case 1 -> { // a random byte anywhere
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                yield bytes;
            }
            case 2 -> Arrays.copyOf(bytes, random.nextInt(4) == 0 ? random.nextInt(bytes.length) : at); // truncation
            case 3 -> { // inserted bytes
                int n = 1 + random.nextInt(16);
                byte[] out = new byte[bytes.length + n];
                System.arraycopy(bytes, 0, out, 0, at);
                for (int k = 0; k < n; k++) out[at + k] = (byte) random.nextInt(256);
                System.arraycopy(bytes, at, out, at + n, bytes.length - at);
                yield out;
            }
            case 4 -> { // deleted bytes
                int n = Math.min(1 + random.nextInt(32), bytes.length - at);
                byte[] out = new byte[bytes.length - n];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + n, out, at, bytes.length - at - n);
                yield out;
            }
            case 5 -> { // a length or count set huge
                long[] huge = {-1L, Long.MAX_VALUE, 1L << 32, 1L << 31, 0x7FFF_FFFFL, bytes.length, 1L << 20};
                int p = Math.min(at, bytes.length - 8);
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(p, huge[random.nextInt(huge.length)]);
                yield bytes;
            }
            default -> { // a 32-bit field (types, dimensions) set to a random value
                int p = Math.min(at, bytes.length - 4);
                int[] values = {random.nextInt(64), -1, Integer.MAX_VALUE, 13, 31, 4, 9};
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(p, values[random.nextInt(values.length)]);
                yield bytes;
            }
        };
    }
}
