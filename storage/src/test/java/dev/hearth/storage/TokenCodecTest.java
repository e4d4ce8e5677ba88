package dev.hearth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCodecTest {

    @Test
    void tokensSurviveEncodingExactly() {
        var tokens = Fixtures.tokens(500, 10, 1);
        assertEquals(tokens, TokenCodec.decode(TokenCodec.encode(tokens)));
    }

    @Test
    void unknownValuesAndUnicodeSurvive() {
        var t = new Token(7, 3, "日本🙂\n", Float.NaN, -1, Float.NaN, 0f, List.of(new TopToken(5, "", -0.0f)));
        var back = TokenCodec.decode(TokenCodec.encode(List.of(t))).getFirst();
        assertEquals(t, back);
        assertEquals(7, back.index());
    }

    @Test
    void aSingleTokenIsStoredPlainAndABigBatchDeflated() {
        assertEquals(TokenCodec.PLAIN, TokenCodec.encode(Fixtures.tokens(1, 0, 2))[0]);
        assertEquals(TokenCodec.DEFLATE, TokenCodec.encode(Fixtures.tokens(1000, 10, 2))[0]);
    }

    @Test
    void nonConsecutiveIndexesAreRefused() {
        var a = Fixtures.tokens(2, 0, 3);
        var gap = List.of(a.get(0), new Token(5, 1, "x", 0f, 0, 0f, 0f, List.of()));
        assertThrows(IllegalArgumentException.class, () -> TokenCodec.encode(gap));
    }

    @Test
    void aTruncatedBlobIsAClearError() {
        var blob = TokenCodec.encode(Fixtures.tokens(3, 2, 4));
        var ex = assertThrows(IllegalArgumentException.class,
                () -> TokenCodec.decode(Arrays.copyOf(blob, blob.length - 5)));
        assertTrue(ex.getMessage().contains("token blob"), ex.getMessage());
    }
}
