package dev.hearth.inference.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextStreamTest {
    @Test
    void aCharacterSplitOverTokensIsEmittedWholeWithTheLastPart() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes
        var s = new TextStream(List.of());
        assertEquals("a", s.add(new byte[] {'a', euro[0]}));
        assertEquals("", s.add(new byte[] {euro[1]}));
        assertEquals("€b", s.add(new byte[] {euro[2], 'b'}));
    }

    @Test
    void anEmojiInFourTokensNeverProducesAReplacementCharacter() {
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        var s = new TextStream(List.of());
        var out = new StringBuilder();
        for (byte b : emoji) out.append(s.add(new byte[] {b}));
        assertEquals("😀", out.toString());
    }

    @Test
    void textThatMayStartAStopStringIsHeldBackAndTheStopNeverLeaks() {
        var s = new TextStream(List.of("</end>"));
        assertEquals("hello ", s.add("hello </".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", s.add("en".getBytes(StandardCharsets.UTF_8)));
        assertFalse(s.stopped());
        assertEquals("", s.add("d>tail".getBytes(StandardCharsets.UTF_8)));
        assertTrue(s.stopped());
    }

    @Test
    void heldTextIsReleasedWhenItStopsMatching() {
        var s = new TextStream(List.of("STOP"));
        assertEquals("a", s.add("aST".getBytes(StandardCharsets.UTF_8)));
        assertEquals("STx", s.add("x".getBytes(StandardCharsets.UTF_8)));
        assertEquals("S", s.add("S".getBytes(StandardCharsets.UTF_8)) + s.flush());
    }
}
