package dev.hearth.inference.llama;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/// Checks GBNF syntax the way llama.cpp b4916's grammar parser reads it (`llama_grammar_parser::parse`).
/// Needed because that build reports a grammar that does not parse only on stderr and then returns a grammar
/// sampler that silently constrains nothing.
final class GbnfCheck {
    private final String src;
    private int pos;
    private final Set<String> defined = new HashSet<>();
    private final Set<String> referenced = new LinkedHashSet<>();

    private GbnfCheck(String src) {
        this.src = src;
    }

    /// Returns null when the grammar parses and has a `root` rule, else the reason.
    static @Nullable String problem(String grammar) {
        var check = new GbnfCheck(grammar);
        try {
            check.parse();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        for (String name : check.referenced)
            if (!check.defined.contains(name)) return "undefined rule identifier '" + name + "'";
        if (!check.defined.contains("root")) return "the grammar has no 'root' rule";
        return null;
    }

    private char at(int i) {
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private IllegalStateException error(String what) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, src.length()); i++) if (src.charAt(i) == '\n') line++;
        return new IllegalStateException(what + " (line " + line + ")");
    }

    private void parse() {
        space(true);
        while (pos < src.length()) rule();
    }

    private void space(boolean newlineOk) {
        while (true) {
            char c = at(pos);
            if (c == '#') {
                while (pos < src.length() && at(pos) != '\r' && at(pos) != '\n') pos++;
            } else if (c == ' ' || c == '\t' || (newlineOk && (c == '\r' || c == '\n'))) {
                pos++;
            } else {
                return;
            }
        }
    }

    private static boolean wordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    private String name() {
        int start = pos;
        while (wordChar(at(pos))) pos++;
        if (pos == start) throw error("expecting name");
        return src.substring(start, pos);
    }

    private void rule() {
        defined.add(name());
        space(false);
        if (!(at(pos) == ':' && at(pos + 1) == ':' && at(pos + 2) == '=')) throw error("expecting ::=");
        pos += 3;
        space(true);
        alternates(false);
        if (at(pos) == '\r') pos += at(pos + 1) == '\n' ? 2 : 1;
        else if (at(pos) == '\n') pos++;
        else if (pos < src.length()) throw error("expecting newline or end at '" + src.substring(pos, Math.min(src.length(), pos + 10)) + "'");
        space(true);
    }

    private void alternates(boolean nested) {
        sequence(nested);
        while (at(pos) == '|') {
            pos++;
            space(true);
            sequence(nested);
        }
    }

    private void sequence(boolean nested) {
        boolean haveItem = false;
        while (pos < src.length()) {
            char c = at(pos);
            if (c == '"') {
                pos++;
                while (at(pos) != '"') {
                    if (pos >= src.length()) throw error("unexpected end of input in a string");
                    character();
                }
                pos++;
                haveItem = true;
            } else if (c == '[') {
                pos++;
                if (at(pos) == '^') pos++;
                while (at(pos) != ']') {
                    if (pos >= src.length()) throw error("unexpected end of input in a character class");
                    character();
                    if (at(pos) == '-' && pos + 1 < src.length() && at(pos + 1) != ']') {
                        pos++;
                        character();
                    }
                }
                pos++;
                haveItem = true;
            } else if (wordChar(c)) {
                referenced.add(name());
                haveItem = true;
            } else if (c == '(') {
                pos++;
                space(true);
                alternates(true);
                if (at(pos) != ')') throw error("expecting ')'");
                pos++;
                haveItem = true;
            } else if (c == '.') {
                pos++;
                haveItem = true;
            } else if (c == '*' || c == '+' || c == '?') {
                if (!haveItem) throw error("expecting an item before '" + c + "'");
                pos++;
            } else if (c == '{') {
                if (!haveItem) throw error("expecting an item before '{'");
                pos++;
                space(nested);
                if (!Character.isDigit(at(pos))) throw error("expecting an int");
                while (Character.isDigit(at(pos))) pos++;
                space(nested);
                if (at(pos) == '}') {
                    pos++;
                } else if (at(pos) == ',') {
                    pos++;
                    space(nested);
                    while (Character.isDigit(at(pos))) pos++;
                    space(nested);
                    if (at(pos) != '}') throw error("expecting '}'");
                    pos++;
                } else {
                    throw error("expecting ','");
                }
            } else {
                return;
            }
            space(nested);
        }
    }

    private void character() {
        if (at(pos) == '\\') {
            char e = at(pos + 1);
            switch (e) {
                case 'x' -> hex(2);
                case 'u' -> hex(4);
                case 'U' -> hex(8);
                case 't', 'r', 'n', '\\', '"', '[', ']' -> pos += 2;
                default -> throw error("unknown escape '\\" + e + "'");
            }
        } else if (pos < src.length()) {
            pos += Character.charCount(src.codePointAt(pos));
        } else {
            throw error("unexpected end of input");
        }
    }

    private void hex(int digits) {
        pos += 2;
        for (int i = 0; i < digits; i++) {
            if (Character.digit(at(pos), 16) < 0) throw error("expecting " + digits + " hex digits");
            pos++;
        }
    }
}
