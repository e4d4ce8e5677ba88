package dev.hearth.ui.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VisibleTextTest {
    @Test
    void labelsShowEveryKindOfWhitespace() {
        assertEquals("␣world", VisibleText.label(" world"));
        assertEquals("↵↵", VisibleText.label("\n\n"));
        assertEquals("⇥x␍", VisibleText.label("\tx\r"));
        assertEquals("U+0007", VisibleText.label("\u0007"));
        assertEquals("∅", VisibleText.label(""));
    }

    @Test
    void runningTextKeepsItsLineBreaksButMarksThem() {
        assertEquals(" world", VisibleText.inline(" world"));
        assertEquals("↵\n", VisibleText.inline("\n"));
        assertEquals("a↵\nb", VisibleText.inline("a\nb"));
        assertEquals("∅", VisibleText.inline(""));
    }
}
