package dev.hearth.inference.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    static Map<String, GgufValue> everyValueType() {
        var values = new LinkedHashMap<String, GgufValue>();
        values.put("t.u8", new GgufValue.UInt8(255));
        values.put("t.i8", new GgufValue.Int8((byte) -128));
        values.put("t.u16", new GgufValue.UInt16(65_535));
        values.put("t.i16", new GgufValue.Int16((short) -32_768));
        values.put("t.u32", new GgufValue.UInt32(4_294_967_295L));
        values.put("t.i32", new GgufValue.Int32(Integer.MIN_VALUE));
        values.put("t.f32", new GgufValue.Float32(-1.5e-7f));
        values.put("t.bool.true", new GgufValue.Bool(true));
        values.put("t.bool.false", new GgufValue.Bool(false));
        values.put("t.string", new GgufValue.Text("héllo ▁wörld 🔥"));
        values.put("t.string.empty", new GgufValue.Text(""));
        values.put("t.u64", new GgufValue.UInt64(-1L)); // 2^64 - 1
        values.put("t.i64", new GgufValue.Int64(Long.MIN_VALUE));
        values.put("t.f64", new GgufValue.Float64(Math.PI));
        values.put("t.array.empty", GgufValue.Array.of(GgufValueType.UINT8, List.of()));
        values.put("t.array.ints", GgufValue.Array.ofInts(1, -2, 3));
        values.put("t.array.strings", GgufValue.Array.ofStrings(List.of("a", "", "ünï")));
        values.put("t.array.bools", GgufValue.Array.of(GgufValueType.BOOL, List.of(new GgufValue.Bool(true), new GgufValue.Bool(false))));
        values.put("t.array.nested", GgufValue.Array.of(GgufValueType.ARRAY, List.of(
                GgufValue.Array.ofFloats(1f, 2f),
                GgufValue.Array.of(GgufValueType.ARRAY, List.of(GgufValue.Array.ofStrings(List.of("deep")))),
                GgufValue.Array.of(GgufValueType.UINT64, List.of(new GgufValue.UInt64(7))))));
        var big = new ArrayList<GgufValue>();
        for (int i = 0; i < 1000; i++) big.add(new GgufValue.Int16((short) i));
        values.put("t.array.large", GgufValue.Array.of(GgufValueType.INT16, big));
        var bigNested = new ArrayList<GgufValue>();
        for (int i = 0; i < 100; i++) bigNested.add(GgufValue.Array.ofStrings(List.of("x" + i, "y")));
        values.put("t.array.large.nested", GgufValue.Array.of(GgufValueType.ARRAY, bigNested));
        return values;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyValueTypeSurvivesAWriteAndARead(int version) throws Exception {
        var writer = new GgufWriter().version(version);
        everyValueType().forEach(writer::put);
        var path = dir.resolve("values.gguf");
        writer.write(path);

        var file = GgufReader.open(path);

        assertEquals(version, file.version());
        assertEquals(List.copyOf(everyValueType().keySet()), List.copyOf(file.metadata().keySet()), "order is kept");
        for (var entry : everyValueType().entrySet()) {
            assertEquals(entry.getValue(), file.metadata().get(entry.getKey()), entry.getKey());
        }
        assertTrue(file.tensors().isEmpty());
    }

    @Test
    void largeArraysStayInTheFileUntilAskedFor() throws Exception {
        var writer = new GgufWriter();
        everyValueType().forEach(writer::put);
        var path = dir.resolve("lazy.gguf");
        writer.write(path);

        var file = GgufReader.open(path);
        var large = file.optionalArray("t.array.large").orElseThrow();
        var small = file.optionalArray("t.array.ints").orElseThrow();

        assertFalse(large.isLoaded());
        assertTrue(small.isLoaded());
        assertEquals(1000, large.size());
        assertEquals(new GgufValue.Int16((short) 999), large.elements().get(999));
        assertTrue(large.isLoaded());
    }

    @Test
    void tensorsAreWrittenAlignedAndReadBackWithTheirData() throws Exception {
        byte[] first = new byte[3 * 4];
        byte[] second = new byte[34];
        for (int i = 0; i < second.length; i++) second[i] = (byte) i;
        var path = dir.resolve("tensors.gguf");
        new GgufWriter()
                .putString("general.architecture", "test")
                .tensor("a", GgmlType.F32, new long[] {3}, out -> out.write(first))
                .tensor("b", GgmlType.Q8_0, new long[] {32, 1}, out -> out.write(second))
                .write(path);

        var file = GgufReader.open(path);

        assertEquals(32, file.alignment());
        assertEquals(0, file.dataOffset() % 32);
        var a = file.tensors().get(0);
        var b = file.tensors().get(1);
        assertEquals(new TensorInfo("a", new long[] {3}, GgmlType.F32, 0, 12), a);
        assertEquals(new TensorInfo("b", new long[] {32, 1}, GgmlType.Q8_0, 32, 34), b);
        byte[] bytes = Files.readAllBytes(path);
        byte[] read = new byte[34];
        System.arraycopy(bytes, (int) (file.dataOffset() + b.offset()), read, 0, 34);
        assertArrayEquals(second, read);
        assertEquals(0, Files.size(path) % 32, "the file ends padded");
    }

    @Test
    void customAlignmentIsHonoured() throws Exception {
        var path = dir.resolve("align.gguf");
        new GgufWriter()
                .putUInt32("general.alignment", 64)
                .tensor("a", GgmlType.F32, new long[] {1}, out -> out.write(new byte[4]))
                .tensor("b", GgmlType.F32, new long[] {1}, out -> out.write(new byte[4]))
                .write(path);

        var file = GgufReader.open(path);

        assertEquals(64, file.alignment());
        assertEquals(0, file.dataOffset() % 64);
        assertEquals(64, file.tensors().get(1).offset());
    }

    @Test
    void alignmentSetAfterTheTensorsStillPlacesThemAligned() throws Exception {
        var path = dir.resolve("late.gguf");
        new GgufWriter()
                .tensor("a", GgmlType.F32, new long[] {1}, out -> out.write(new byte[4]))
                .tensor("b", GgmlType.F32, new long[] {1}, out -> out.write(new byte[4]))
                .putUInt32("general.alignment", 128)
                .write(path);

        assertEquals(128, GgufReader.open(path).tensors().get(1).offset());
    }

    @Test
    void aTensorWritingTheWrongNumberOfBytesIsRefused() {
        var writer = new GgufWriter().tensor("a", GgmlType.F32, new long[] {4}, out -> out.write(new byte[15]));

        assertThrows(IllegalStateException.class, () -> writer.write(new ByteArrayOutputStream()));
    }

    @Test
    void writerProducesTheDocumentedV2Bytes() throws Exception {
        var out = new ByteArrayOutputStream();
        new GgufWriter().version(2)
                .putString("k", "v")
                .put("n", GgufValue.Array.of(GgufValueType.UINT8, List.of(new GgufValue.UInt8(9))))
                .tensor("t", GgmlType.F16, new long[] {2}, o -> o.write(new byte[] {1, 2, 3, 4}))
                .write(out);

        var expected = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        expected.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(2).putLong(1).putLong(2);
        expected.putLong(1).put((byte) 'k').putInt(8).putLong(1).put((byte) 'v');
        expected.putLong(1).put((byte) 'n').putInt(9).putInt(0).putLong(1).put((byte) 9);
        expected.putLong(1).put((byte) 't').putInt(1).putLong(2).putInt(1).putLong(0);
        while (expected.position() % 32 != 0) expected.put((byte) 0);
        expected.put(new byte[] {1, 2, 3, 4});
        while (expected.position() % 32 != 0) expected.put((byte) 0);
        byte[] golden = new byte[expected.position()];
        expected.flip().get(golden);

        assertArrayEquals(golden, out.toByteArray());
    }

    @Test
    void typedAccessorsReturnValuesAndNameWhatIsWrong() throws Exception {
        var path = dir.resolve("acc.gguf");
        new GgufWriter().putString("s", "text").putUInt32("u", 7).put("i", new GgufValue.Int64(-3)).write(path);
        var file = GgufReader.open(path);

        assertEquals("text", file.string("s"));
        assertEquals(7, file.u32("u"));
        assertEquals(-3, file.integer("i"));
        assertEquals(7, file.optionalLong("u").orElseThrow());
        assertTrue(file.optionalString("u").isEmpty());
        assertEquals("missing metadata 'x'", assertThrows(GgufFormatException.class, () -> file.string("x")).getMessage());
        assertEquals("metadata 's' is STRING, expected UINT32",
                assertThrows(GgufFormatException.class, () -> file.u32("s")).getMessage());
    }

    @Test
    void valuesDisplayOnOneLine() {
        assertEquals("18446744073709551615", new GgufValue.UInt64(-1).display());
        assertEquals("\"a\\nb\"", new GgufValue.Text("a\nb").display());
        assertEquals("[1, -2, 3]", GgufValue.Array.ofInts(1, -2, 3).display());
        assertEquals("[INT32 × 9]", GgufValue.Array.ofInts(new int[9]).display());
        assertEquals("\"" + "x".repeat(60) + "…\"", new GgufValue.Text("x".repeat(100)).display());
    }

    @Test
    void everyGgmlTypeIdOfB4916IsKnownAndRemovedOnesAreNot() {
        for (int id = 0; id <= 35; id++) {
            boolean removed = id == 4 || id == 5 || (id >= 31 && id <= 33);
            assertEquals(!removed, GgmlType.byId(id).isPresent(), "type id " + id);
        }
        assertTrue(GgmlType.byId(36).isEmpty());
        assertEquals(GgmlType.BF16, GgmlType.byId(30).orElseThrow());
        assertEquals(34, GgmlType.Q8_0.byteSize(32));
        assertEquals(144, GgmlType.Q4_K.byteSize(256));
        assertEquals(-1, GgmlType.Q4_K.byteSize(100));
    }
}
