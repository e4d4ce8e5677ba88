package dev.hearth.ui.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    @Test
    void wordsJoinBackToTheText() {
        var text = "Hello,  world!\nIt's 42 déjà-vu.";
        assertEquals(text, String.join("", Comparison.words(text)));
    }

    @Test
    void theDiffMarksDeletedAndInsertedWords() {
        var pieces = Comparison.diff("the quick brown fox jumps", "the slow brown fox jumps high");
        assertEquals(List.of(
                new Comparison.Piece(Comparison.Change.EQUAL, "the "),
                new Comparison.Piece(Comparison.Change.DELETE, "quick"),
                new Comparison.Piece(Comparison.Change.INSERT, "slow"),
                new Comparison.Piece(Comparison.Change.EQUAL, " brown fox jumps"),
                new Comparison.Piece(Comparison.Change.INSERT, " high")), pieces);
    }

    @Test
    void identicalTextsAreOneEqualPiece() {
        assertEquals(List.of(new Comparison.Piece(Comparison.Change.EQUAL, "same words")), Comparison.diff("same words", "same words"));
    }
}
