package dev.hearth.inference.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/// Top-level declarations of a source file (classes, functions, methods with their signatures) found line by line
/// with regular expressions: light enough for every file of a project, and good enough for a map. Knows Java,
/// Kotlin, Python, JavaScript/TypeScript, Go, Rust and C/C++ by file extension.
public final class Declarations {
    private Declarations() {}

    /// One declaration: the name it declares, the signature as written (trimmed, without a body's `{` or `:`),
    /// its 1-based line and its nesting (0 at the top, 1 inside a class).
    public record Declaration(String name, String signature, int line, int depth) {}

    /// The languages known, by extension.
    public enum Language {
        JAVA("java"), KOTLIN("kt", "kts"), PYTHON("py"), JAVASCRIPT("js", "jsx", "mjs", "cjs", "ts", "tsx"),
        GO("go"), RUST("rs"), C_CPP("c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx");

        private final Set<String> extensions;

        Language(String... extensions) {
            this.extensions = Set.of(extensions);
        }

        /// The language of a file name, by its extension.
        public static Optional<Language> of(String fileName) {
            int dot = fileName.lastIndexOf('.');
            if (dot < 0) return Optional.empty();
            var ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
            for (var l : values()) if (l.extensions.contains(ext)) return Optional.of(l);
            return Optional.empty();
        }
    }

    private static final Set<String> NOT_NAMES = Set.of("if", "for", "while", "switch", "catch", "return",
            "else", "do", "try", "throw", "synchronized", "sizeof", "super", "this", "function", "with", "await", "yield",
            "constructor_", "typeof", "delete");

    private static final List<String> STATEMENTS = List.of("return ", "new ", "throw ", "else ", "case ", "yield ",
            "await ", "delete ", "goto ");

    // Java
    private static final Pattern JAVA_TYPE = Pattern.compile(
            "^(\\s*)(?:@\\w+(?:\\([^)]*\\))?\\s+)*((?:(?:public|protected|private|static|final|abstract|sealed|non-sealed|strictfp)\\s+)*"
            + "(?:class|interface|enum|record|@interface)\\s+(\\w+)[^{;]*)");
    private static final Pattern JAVA_METHOD = Pattern.compile(
            "^(\\s*)((?:(?:public|protected|private|static|final|abstract|synchronized|default|native|strictfp)\\s+)*"
            + "(?:<[^>]+>\\s+)?[\\w.$]+(?:<[^()]*?>)?(?:\\[\\])*\\s+(\\w+)\\s*\\([^;]*?\\)(?:\\s*throws\\s+[\\w.,\\s]+)?)\\s*(?:\\{.*|;)?$");
    private static final Pattern JAVA_CONSTRUCTOR = Pattern.compile(
            "^(\\s+)((?:public|protected|private)\\s+([A-Z]\\w*)\\s*\\([^;]*?\\))\\s*(?:\\{.*)?$");
    // Kotlin
    private static final Pattern KOTLIN = Pattern.compile(
            "^(\\s*)((?:(?:public|private|internal|protected|open|abstract|sealed|data|enum|inline|value|override|suspend|operator|infix|tailrec|annotation|companion)\\s+)*"
            + "(?:class|interface|object|fun|typealias)\\s+(?:<[^>]+>\\s*)?(?:[\\w.]+\\.)?(\\w+)[^{=]*)");
    // Python
    private static final Pattern PYTHON = Pattern.compile("^(\\s*)((?:async\\s+)?(?:def|class)\\s+(\\w+)[^:]*(?::[^:]*?)?)\\s*:\\s*(?:#.*)?$");
    // JavaScript / TypeScript
    private static final Pattern JS_TOP = Pattern.compile(
            "^(\\s*)((?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?(?:async\\s+)?"
            + "(?:function\\*?|class|interface|type|enum)\\s+(\\w+)[^{=]*(?:=\\s*[^{]*)?)");
    private static final Pattern JS_ARROW = Pattern.compile(
            "^(\\s*)((?:export\\s+)?(?:const|let|var)\\s+(\\w+)\\s*(?::[^=]+)?=\\s*(?:async\\s+)?(?:\\([^)]*\\)|\\w+)\\s*(?::[^=]+)?=>)");
    private static final Pattern JS_METHOD = Pattern.compile(
            "^(\\s+)((?:(?:public|private|protected|static|async|readonly|get|set|override|abstract)\\s+)*\\*?(\\w+)\\s*(?:<[^>]*>)?\\([^)]*\\)(?:\\s*:\\s*[^{]+)?)\\s*\\{\\s*$");
    // Go
    private static final Pattern GO = Pattern.compile(
            "^()((?:func\\s+(?:\\([^)]*\\)\\s*)?(\\w+)\\s*(?:\\[[^]]*\\])?\\([^{]*)|(?:type\\s+(\\w+)\\s+[^{]*))");
    // Rust
    private static final Pattern RUST = Pattern.compile(
            "^(\\s*)((?:pub(?:\\([^)]*\\))?\\s+)?(?:(?:async|const|unsafe|extern\\s+\"\\w+\")\\s+)*"
            + "(?:fn|struct|enum|trait|impl|mod|type|union)\\b\\s*(?:<[^{]*?>\\s*)?([\\w:]+)?[^{;]*)");
    // C and C++
    private static final Pattern C_TYPE = Pattern.compile(
            "^(\\s*)((?:template\\s*<[^>]*>\\s*)?(?:typedef\\s+)?(?:class|struct|namespace|enum(?:\\s+class)?|union)\\s+(\\w+)[^;{]*)\\s*\\{?\\s*$");
    /// The declarations of a file named `fileName` with content `text`; empty for languages not known.
    public static List<Declaration> of(String fileName, String text) {
        var language = Language.of(fileName);
        return language.isEmpty() ? List.of() : of(language.get(), text);
    }

    /// The declarations of `text` in `language`.
    public static List<Declaration> of(Language language, String text) {
        var out = new ArrayList<Declaration>();
        var lines = text.split("\\R", -1);
        boolean inBlockComment = false;
        for (int i = 0; i < lines.length; i++) {
            var line = lines[i];
            var trimmed = line.strip();
            if (inBlockComment) {
                if (trimmed.contains("*/")) inBlockComment = false;
                continue;
            }
            if (trimmed.startsWith("/*") && language != Language.PYTHON) {
                if (!trimmed.contains("*/")) inBlockComment = true;
                continue;
            }
            if (trimmed.isEmpty() || trimmed.startsWith("//") || trimmed.startsWith("*") || trimmed.startsWith("#")
                    && language != Language.C_CPP) continue;
            if (line.length() > 400) continue;
            // in C and C++ a line with "(" that ends in ";" is a call or a prototype, not a definition
            if (trimmed.endsWith(";") && trimmed.indexOf('(') >= 0 && language == Language.C_CPP) continue;
            var d = match(language, line);
            if (d != null) out.add(new Declaration(d.name(), d.signature(), i + 1, d.depth()));
        }
        return out;
    }

    private static @Nullable Declaration match(Language language, String line) {
        return switch (language) {
            case JAVA -> first(line, 2, JAVA_TYPE, JAVA_CONSTRUCTOR, JAVA_METHOD);
            case KOTLIN -> first(line, 2, KOTLIN);
            case PYTHON -> first(line, 1, PYTHON);
            case JAVASCRIPT -> first(line, 2, JS_TOP, JS_ARROW, JS_METHOD);
            case GO -> first(line, 0, GO);
            case RUST -> first(line, 2, RUST);
            case C_CPP -> line.startsWith("#") ? null : line.indexOf('(') < 0 ? first(line, 1, C_TYPE) : cFunction(line);
        };
    }

    private static final Pattern C_AFTER = Pattern.compile("\\s*(?:const\\s*)?(?:override\\s*)?(?:noexcept\\s*)?\\{?\\s*");
    private static final Pattern C_PREFIX = Pattern.compile("[\\w:<>,*& \\t]*[\\w>*&][\\s*&]*");

    /// A C/C++ function definition's first line, read without a backtracking regular expression (headers have
    /// millions of lines): a return type, a name right before the first `(`, the parameters, then `{` or nothing.
    private static @Nullable Declaration cFunction(String line) {
        var type = first(line, 1, C_TYPE);
        if (type != null) return type;
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (close < open) return null;
        int nameEnd = open;
        while (nameEnd > 0 && Character.isWhitespace(line.charAt(nameEnd - 1))) nameEnd--;
        int nameStart = nameEnd;
        while (nameStart > 0 && (Character.isLetterOrDigit(line.charAt(nameStart - 1)) || line.charAt(nameStart - 1) == '_'
                || line.charAt(nameStart - 1) == ':' || line.charAt(nameStart - 1) == '~')) nameStart--;
        if (nameStart == nameEnd) return null;
        var name = line.substring(nameStart, nameEnd);
        var prefix = line.substring(0, nameStart);
        var indent = prefix.length() - prefix.stripLeading().length();
        if (prefix.isBlank() || !C_PREFIX.matcher(prefix).matches()) return null;
        var head = prefix.strip();
        if (NOT_NAMES.contains(name) || NOT_NAMES.contains(head) || head.startsWith("return") || head.equals("else")) return null;
        if (!C_AFTER.matcher(line.substring(close + 1)).matches()) return null;
        int width = line.substring(0, indent).replace("\t", "    ").length();
        int depth = width == 0 ? 0 : Math.max(1, (width + 3) / 4);
        if (depth > 1) return null;
        var signature = line.substring(indent, close + 1).strip().replaceAll("\\s+", " ");
        return new Declaration(name, signature, 0, depth);
    }

    /// The first pattern that matches, if the match is no deeper than `maxDepth` levels of indentation.
    private static @Nullable Declaration match(Pattern p, String line, int maxDepth) {
        Matcher m = p.matcher(line);
        if (!m.find()) return null;
        var indent = m.group(1);
        int width = indent.replace("\t", "    ").length();
        int depth = width == 0 ? 0 : Math.max(1, (width + 3) / 4);
        if (depth > maxDepth) return null;
        String name = m.group(3);
        if (name == null && m.groupCount() >= 4) name = m.group(4);
        if (name == null) name = "";
        if (NOT_NAMES.contains(name)) return null;
        var signature = m.group(2).strip();
        for (var statement : STATEMENTS) if (signature.startsWith(statement)) return null;
        if (signature.endsWith("{")) signature = signature.substring(0, signature.length() - 1).strip();
        return new Declaration(name, signature.replaceAll("\\s+", " "), 0, depth);
    }

    private static @Nullable Declaration first(String line, int maxDepth, Pattern... patterns) {
        for (var p : patterns) {
            var d = match(p, line, maxDepth);
            if (d != null) return d;
        }
        return null;
    }
}
