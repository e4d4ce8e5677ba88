package dev.hearth.inference.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBandwidthTest {
    @TempDir Path dir;

    @Test
    void aShortMeasurementReportsWhatItRead() {
        var m = MemoryBandwidth.measure(2, 8 << 20, Duration.ofMillis(20));
        assertTrue(m.bytesPerSecond() > 0);
        assertEquals(2, m.threads());
        assertEquals(8 << 20, m.bufferBytes());
        assertTrue(m.passes() >= 3, "at least three passes, got " + m.passes());
    }

    @Test
    void theCeilingIsBandwidthOverWeightBytes() {
        var m = new MemoryBandwidth.Measurement(20e9, 4, 256 << 20, 5, Instant.EPOCH);
        assertEquals(5.0, m.tokensPerSecondCeiling(4_000_000_000L), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> m.tokensPerSecondCeiling(0));
        assertEquals("20.0 GB/s (4 threads reading 256 MiB, best of 5 passes)", m.describe());
    }

    @Test
    void aSavedMeasurementLoadsBackAndADamagedFileGivesNone() throws Exception {
        var file = dir.resolve("bandwidth.properties");
        assertTrue(MemoryBandwidth.load(file).isEmpty());
        var m = new MemoryBandwidth.Measurement(12.5e9, 8, 256 << 20, 9, Instant.parse("2026-11-24T05:00:00Z"));
        MemoryBandwidth.save(m, file);
        assertEquals(m, MemoryBandwidth.load(file).orElseThrow());

        Files.writeString(file, "bytesPerSecond=-3\nthreads=x\n");
        assertTrue(MemoryBandwidth.load(file).isEmpty());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MemoryBandwidth.measure(0, 8 << 20, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> MemoryBandwidth.measure(1, 1024, Duration.ZERO));
    }
}
