package dev.hearth.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void bytesUseBinaryUnitsWithThreeSignificantDigits() {
        assertEquals("0 B", Units.bytes(0));
        assertEquals("1023 B", Units.bytes(1023));
        assertEquals("1.00 KiB", Units.bytes(1024));
        assertEquals("1.50 KiB", Units.bytes(1536));
        assertEquals("231 MiB", Units.bytes(231L * 1024 * 1024 + 5000));
        assertEquals("12.5 GiB", Units.bytes(12L * 1024 * 1024 * 1024 + 512L * 1024 * 1024));
    }

    @Test
    void countsUseModelCardSuffixes() {
        assertEquals("999", Units.count(999));
        assertEquals("58.0K", Units.count(58_000));
        assertEquals("7.24B", Units.count(7_241_732_096L));
        assertEquals("150K", Units.count(150_000));
    }
}
