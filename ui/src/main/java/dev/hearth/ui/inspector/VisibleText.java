package dev.hearth.ui.inspector;

/// Token text with its whitespace made visible, so a token that is only a space or a newline can be seen, pointed
/// at and told apart from its neighbours.
final class VisibleText {
    /// What an empty piece (a token that releases no text yet, such as an end token) is drawn as.
    static final String EMPTY = "∅";

    private VisibleText() {}

    /// For a label: every space is `␣`, a newline `↵`, a tab `⇥`, a carriage return `␍`; other control
    /// characters are shown as `U+XXXX`.
    static String label(String piece) {
        if (piece.isEmpty()) return EMPTY;
        var out = new StringBuilder(piece.length() + 4);
        piece.codePoints().forEach(c -> {
            switch (c) {
                case ' ' -> out.append('␣');
                case '\n' -> out.append('↵');
                case '\t' -> out.append('⇥');
                case '\r' -> out.append('␍');
                default -> {
                    if (Character.isISOControl(c)) out.append(String.format("U+%04X", c));
                    else out.appendCodePoint(c);
                }
            }
        });
        return out.toString();
    }

    /// For running text: the text stays as written (spaces are shown by the token's background), a newline gets
    /// a `↵` before it so the token has something to hover, a tab shows `⇥`, and an empty piece is `∅`.
    static String inline(String piece) {
        if (piece.isEmpty()) return EMPTY;
        if (piece.indexOf('\n') < 0 && piece.indexOf('\r') < 0 && piece.indexOf('\t') < 0) return piece;
        var out = new StringBuilder(piece.length() + 4);
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            switch (c) {
                case '\n' -> out.append("↵\n");
                case '\r' -> out.append('␍');
                case '\t' -> out.append("⇥\t");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
