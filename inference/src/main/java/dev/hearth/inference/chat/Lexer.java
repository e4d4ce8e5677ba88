package dev.hearth.inference.chat;

import dev.hearth.inference.chat.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/// Splits a template into tokens with Jinja2's whitespace rules as `transformers` configures them:
/// `trim_blocks` (the first newline after a block or comment tag is removed), `lstrip_blocks` (spaces and tabs
/// before a block or comment tag at the start of a line are removed), `-` and `+` markers on tags, one trailing
/// newline of the template removed, and every newline (`\r\n`, `\r`, `\n`) normalised to `\n`.
final class Lexer {
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "(", ")", "[", "]", "{", "}", ",", ".",
        ":", "|", "=", "<", ">", ";"
    };

    private final String src;
    private final int maxTokens;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;
    private boolean lineStarting = true;

    private Lexer(String source, int maxTokens) {
        this.src = normalise(source);
        this.maxTokens = maxTokens;
    }

    static List<Token> tokenize(String source, int maxTokens) {
        var lexer = new Lexer(source, maxTokens);
        lexer.run();
        return lexer.tokens;
    }

    private static String normalise(String source) {
        var s = source.indexOf('\r') >= 0 ? source.replace("\r\n", "\n").replace('\r', '\n') : source;
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private void run() {
        var n = src.length();
        while (pos < n) {
            int open = findTagOpen(pos);
            if (open < 0) {
                addData(src.substring(pos), line, column(pos));
                advanceTo(n);
                break;
            }
            char kind = src.charAt(open + 1);
            char sign = open + 2 < n ? src.charAt(open + 2) : 0;
            var data = src.substring(pos, open);
            int dataLine = line;
            int dataCol = column(pos);
            if (sign == '-') {
                data = rstrip(data);
            } else if (sign != '+' && (kind == '%' || kind == '#')) {
                int lpos = data.lastIndexOf('\n') + 1;
                if ((lpos > 0 || lineStarting) && lpos < data.length() && isBlank(data, lpos)) {
                    data = data.substring(0, lpos);
                }
            }
            addData(data, dataLine, dataCol);
            advanceTo(open);
            int tagLine = line;
            int tagCol = column(open);
            int bodyStart = open + 2 + (sign == '-' || sign == '+' ? 1 : 0);
            advanceTo(bodyStart);
            switch (kind) {
                case '#' -> comment(tagLine, tagCol);
                case '{' -> {
                    add(Kind.VAR_BEGIN, "{{", tagLine, tagCol);
                    tagBody(Kind.VAR_END, '}');
                }
                default -> {
                    if (isRawStart()) {
                        raw(tagLine, tagCol);
                    } else {
                        add(Kind.BLOCK_BEGIN, "{%", tagLine, tagCol);
                        tagBody(Kind.BLOCK_END, '%');
                    }
                }
            }
        }
        add(Kind.EOF, "", line, column(pos));
    }

    private int findTagOpen(int from) {
        int i = from;
        while (true) {
            i = src.indexOf('{', i);
            if (i < 0 || i + 1 >= src.length()) return -1;
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') return i;
            i++;
        }
    }

    private void comment(int tagLine, int tagCol) {
        int end = src.indexOf("#}", pos);
        if (end < 0) throw new TemplateException("comment is never closed ('#}' missing)", tagLine, tagCol);
        boolean stripAfter = end > pos && src.charAt(end - 1) == '-';
        boolean keep = end > pos && src.charAt(end - 1) == '+';
        advanceTo(end + 2);
        afterTagEnd(stripAfter, keep, true);
    }

    private boolean isRawStart() {
        int i = skipWhitespace(pos);
        if (!src.startsWith("raw", i)) return false;
        int j = skipWhitespace(i + 3);
        return src.startsWith("%}", j) || src.startsWith("-%}", j) || src.startsWith("+%}", j);
    }

    private void raw(int tagLine, int tagCol) {
        int i = skipWhitespace(skipWhitespace(pos) + 3);
        boolean strip = src.charAt(i) == '-';
        boolean keep = src.charAt(i) == '+';
        advanceTo(i + (strip || keep ? 3 : 2));
        afterTagEnd(strip, keep, true);
        int search = pos;
        while (true) {
            int open = src.indexOf("{%", search);
            if (open < 0) throw new TemplateException("'raw' block is never closed ('endraw' missing)", tagLine, tagCol);
            int k = open + 2;
            char sign = k < src.length() ? src.charAt(k) : 0;
            if (sign == '-' || sign == '+') k++;
            k = skipWhitespace(k);
            if (src.startsWith("endraw", k)) {
                int e = skipWhitespace(k + 6);
                boolean endStrip = src.startsWith("-%}", e);
                boolean endKeep = src.startsWith("+%}", e);
                if (endStrip || endKeep || src.startsWith("%}", e)) {
                    var data = src.substring(pos, open);
                    if (sign == '-') data = rstrip(data);
                    addData(data, line, column(pos));
                    advanceTo(e + (endStrip || endKeep ? 3 : 2));
                    afterTagEnd(endStrip, endKeep, true);
                    return;
                }
            }
            search = open + 2;
        }
    }

    private void tagBody(Kind endKind, char endChar) {
        int depth = 0;
        int n = src.length();
        while (true) {
            if (tokens.size() > maxTokens) {
                throw new TemplateException("template has more than " + maxTokens + " tokens", line, column(pos));
            }
            pos = skipWhitespace(pos);
            if (pos >= n) {
                throw new TemplateException(
                        "tag is never closed ('" + endChar + "}' missing)", line, column(Math.min(pos, n)));
            }
            char c = src.charAt(pos);
            if (depth == 0) {
                if ((c == '-' || c == '+') && src.startsWith(endChar + "}", pos + 1)) {
                    add(endKind, endChar + "}", line, column(pos));
                    advanceTo(pos + 3);
                    afterTagEnd(c == '-', c == '+', endKind == Kind.BLOCK_END);
                    return;
                }
                if (c == endChar && pos + 1 < n && src.charAt(pos + 1) == '}') {
                    add(endKind, endChar + "}", line, column(pos));
                    advanceTo(pos + 2);
                    afterTagEnd(false, false, endKind == Kind.BLOCK_END);
                    return;
                }
            }
            int startCol = column(pos);
            int startLine = line;
            if (Character.isLetter(c) || c == '_') {
                int e = pos + 1;
                while (e < n && (Character.isLetterOrDigit(src.charAt(e)) || src.charAt(e) == '_')) e++;
                add(Kind.NAME, src.substring(pos, e), startLine, startCol);
                advanceTo(e);
            } else if (c >= '0' && c <= '9') {
                number(startLine, startCol);
            } else if (c == '\'' || c == '"') {
                string(c, startLine, startCol);
            } else {
                var op = operatorAt(pos);
                if (op == null) {
                    throw new TemplateException("unexpected character '" + c + "'", startLine, startCol);
                }
                switch (op) {
                    case "(", "[", "{" -> depth++;
                    case ")", "]", "}" -> depth = Math.max(0, depth - 1);
                    default -> {}
                }
                add(Kind.OP, op, startLine, startCol);
                advanceTo(pos + op.length());
            }
        }
    }

    private void afterTagEnd(boolean strip, boolean keep, boolean isBlockOrComment) {
        int n = src.length();
        if (strip) {
            int e = skipWhitespace(pos);
            lineStarting = e > pos && src.charAt(e - 1) == '\n';
            advanceTo(e);
        } else if (!keep && isBlockOrComment && pos < n && src.charAt(pos) == '\n') {
            advanceTo(pos + 1);
            lineStarting = true;
        } else {
            lineStarting = false;
        }
    }

    private void number(int startLine, int startCol) {
        int n = src.length();
        int e = pos;
        while (e < n && (Character.isDigit(src.charAt(e)) || src.charAt(e) == '_')) e++;
        boolean isFloat = false;
        if (e + 1 < n && src.charAt(e) == '.' && Character.isDigit(src.charAt(e + 1))) {
            isFloat = true;
            e++;
            while (e < n && (Character.isDigit(src.charAt(e)) || src.charAt(e) == '_')) e++;
        }
        if (e < n && (src.charAt(e) == 'e' || src.charAt(e) == 'E')) {
            int k = e + 1;
            if (k < n && (src.charAt(k) == '+' || src.charAt(k) == '-')) k++;
            if (k < n && Character.isDigit(src.charAt(k))) {
                isFloat = true;
                e = k;
                while (e < n && Character.isDigit(src.charAt(e))) e++;
            }
        }
        add(isFloat ? Kind.FLOAT : Kind.INT, src.substring(pos, e).replace("_", ""), startLine, startCol);
        advanceTo(e);
    }

    private void string(char quote, int startLine, int startCol) {
        int n = src.length();
        var sb = new StringBuilder();
        int i = pos + 1;
        while (true) {
            if (i >= n) throw new TemplateException("string literal is never closed", startLine, startCol);
            char c = src.charAt(i);
            if (c == quote) break;
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) throw new TemplateException("string literal is never closed", startLine, startCol);
            char e = src.charAt(i + 1);
            i += 2;
            switch (e) {
                case '\n' -> {}
                case '\\' -> sb.append('\\');
                case '\'' -> sb.append('\'');
                case '"' -> sb.append('"');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + len > n || !isHex(src, i, len)) {
                        throw new TemplateException("bad \\" + e + " escape in string literal", startLine, startCol);
                    }
                    int cp = Integer.parseUnsignedInt(src.substring(i, i + len), 16);
                    if (!Character.isValidCodePoint(cp)) {
                        throw new TemplateException("bad \\" + e + " escape in string literal", startLine, startCol);
                    }
                    sb.appendCodePoint(cp);
                    i += len;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int k = 0;
                        while (k < 2 && i < n && src.charAt(i) >= '0' && src.charAt(i) <= '7') {
                            v = v * 8 + (src.charAt(i) - '0');
                            i++;
                            k++;
                        }
                        sb.append((char) v);
                    } else {
                        sb.append('\\').append(e);
                    }
                }
            }
        }
        add(Kind.STRING, sb.toString(), startLine, startCol);
        advanceTo(i + 1);
    }

    private static boolean isHex(String s, int from, int len) {
        for (int k = from; k < from + len; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) return false;
        }
        return true;
    }

    private String operatorAt(int i) {
        for (var op : OPERATORS) {
            if (src.startsWith(op, i)) return op;
        }
        return null;
    }

    private int skipWhitespace(int i) {
        while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
        return i;
    }

    private static boolean isBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) return false;
        }
        return true;
    }

    static String rstrip(String s) {
        int e = s.length();
        while (e > 0 && Character.isWhitespace(s.charAt(e - 1))) e--;
        return s.substring(0, e);
    }

    private void addData(String data, int l, int c) {
        if (!data.isEmpty()) add(Kind.DATA, data, l, c);
    }

    private void add(Kind kind, String text, int l, int c) {
        tokens.add(new Token(kind, text, l, c));
    }

    /// Moves to `target`, counting the newlines passed.
    private void advanceTo(int target) {
        for (int i = pos; i < target; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        pos = target;
    }

    private int column(int i) {
        return i - lineStart + 1;
    }
}
