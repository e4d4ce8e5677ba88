package dev.hearth.ui.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hearth.inference.GenerationEvent;
import dev.hearth.storage.Token;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayTest {
    private static Token recorded(int i, int id, String piece) {
        return new Token(i, id, piece, Float.NaN, -1, Float.NaN, 0, List.of());
    }

    private static GenerationEvent.Token replayed(int i, int id, String text) {
        return new GenerationEvent.Token(i, id, text, 0, 1, 0, List.of(), Double.NaN, 0);
    }

    @Test
    void theSameIdsAreIdentical() {
        var outcome = Replay.compare(List.of(recorded(0, 5, "a"), recorded(1, 6, "b")), List.of(replayed(0, 5, "a"), replayed(1, 6, "b")));
        assertEquals(new Replay.Outcome.Identical(2), outcome);
        assertEquals("identical: 2 of 2 tokens", outcome.describe());
    }

    @Test
    void theFirstDifferentIdIsReportedWithBothPieces() {
        var outcome = Replay.compare(List.of(recorded(0, 5, "a"), recorded(1, 6, "b"), recorded(2, 7, "c")),
                List.of(replayed(0, 5, "a"), replayed(1, 9, "x"), replayed(2, 8, "y")));
        assertEquals(new Replay.Outcome.DiffersAt(1, 3, "b", 6, "x", 9), outcome);
        assertEquals("differs at token 1 of 3: recorded \"b\" (id 6), replay \"x\" (id 9)", outcome.describe());
    }

    @Test
    void aPrefixDiffersInLength() {
        var outcome = Replay.compare(List.of(recorded(0, 5, "a"), recorded(1, 6, "b")), List.of(replayed(0, 5, "a")));
        assertEquals(new Replay.Outcome.DiffersInLength(1, 2, 1), outcome);
    }
}
