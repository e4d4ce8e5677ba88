package dev.hearth.ui.chat;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

/// Simple syntax highlighting for code blocks: keywords of common languages (Java, Kotlin, C, C++, C#, Go, Rust,
/// Python, JavaScript, TypeScript, shell, SQL), strings, comments and numbers. Not a parser: good enough to read.
final class CodeHighlighter {
    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "and", "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "def",
            "default", "defer", "del", "do", "elif", "else", "enum", "except", "export", "extends", "false", "final",
            "finally", "fn", "for", "from", "func", "function", "go", "if", "impl", "implements", "import", "in",
            "instanceof", "interface", "is", "lambda", "let", "match", "mod", "module", "mut", "new", "nil", "None",
            "not", "null", "or", "package", "pass", "private", "protected", "pub", "public", "raise", "record",
            "return", "sealed", "select", "self", "static", "struct", "super", "switch", "this", "throw", "throws",
            "trait", "True", "False", "true", "try", "type", "typedef", "use", "val", "var", "void", "where", "while",
            "with", "yield", "int", "long", "double", "float", "boolean", "bool", "char", "string", "String", "auto",
            "unsigned", "signed", "then", "fi", "done", "esac", "echo", "SELECT", "FROM", "WHERE", "INSERT", "UPDATE",
            "DELETE", "CREATE", "TABLE", "JOIN", "ORDER", "BY", "GROUP", "LIMIT", "VALUES", "INTO", "AND", "OR", "NOT");

    private static final Pattern TOKENS = Pattern.compile(
            "(?<COMMENT>//[^\\n]*|/\\*[\\s\\S]*?\\*/|#[^\\n]*|--[^\\n]*)"
                    + "|(?<STRING>\"\"\"[\\s\\S]*?\"\"\"|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*'|`[^`]*`)"
                    + "|(?<NUMBER>\\b(?:0[xX][0-9a-fA-F_]+|\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)[fFdDlLuU]*\\b)"
                    + "|(?<WORD>\\b[A-Za-z_][A-Za-z0-9_]*\\b)");

    private CodeHighlighter() {}

    /// Style classes for `code`: `code-keyword`, `code-string`, `code-comment`, `code-number`, or none.
    static StyleSpans<Collection<String>> highlight(String code, String language) {
        boolean hashComments = !List.of("c", "cpp", "c++", "java", "js", "javascript", "ts", "typescript", "go", "rust",
                "rs", "kotlin", "kt", "cs", "csharp", "swift", "css").contains(language.toLowerCase(java.util.Locale.ROOT));
        var spans = new StyleSpansBuilder<Collection<String>>();
        Matcher m = TOKENS.matcher(code);
        int last = 0;
        while (m.find()) {
            String style;
            if (m.group("COMMENT") != null) {
                var c = m.group("COMMENT");
                if (c.startsWith("#") && !hashComments) continue;
                if (c.startsWith("--") && !language.equalsIgnoreCase("sql") && !language.equalsIgnoreCase("lua")) continue;
                style = "code-comment";
            } else if (m.group("STRING") != null) {
                style = "code-string";
            } else if (m.group("NUMBER") != null) {
                style = "code-number";
            } else if (KEYWORDS.contains(m.group("WORD"))) {
                style = "code-keyword";
            } else {
                continue;
            }
            spans.add(List.of(), m.start() - last);
            spans.add(List.of(style), m.end() - m.start());
            last = m.end();
        }
        spans.add(List.of(), code.length() - last);
        return spans.create();
    }
}
