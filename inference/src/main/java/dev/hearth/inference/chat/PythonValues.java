package dev.hearth.inference.chat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Python's view of the template's values: `str()`, `repr()`, truth, equality, ordering, type names and
/// `json.dumps`. Values are `null` (None), [Boolean], [Long] (int), [Double] (float), [String], [List]
/// (list and tuple), [Map] (dict, insertion-ordered) and the interpreter's own types.
final class PythonValues {
    private PythonValues() {}

    /// Nested data deeper than this is refused by `repr`, `tojson` and comparisons (no stack overflow).
    static final int MAX_DATA_DEPTH = 256;

    static boolean truthy(@Nullable Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Undefined _ -> false;
            default -> true;
        };
    }

    static String typeName(@Nullable Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Boolean _ -> "bool";
            case Long _ -> "int";
            case Double _ -> "float";
            case String _ -> "str";
            case PyTuple _ -> "tuple";
            case List<?> _ -> "list";
            case Map<?, ?> _ -> "dict";
            case Undefined _ -> "Undefined";
            case Namespace _ -> "Namespace";
            case Callable.Macro _ -> "Macro";
            case Callable _ -> "function";
            case Loop _ -> "LoopContext";
            default -> "object";
        };
    }

    static String str(@Nullable Object v) {
        return switch (v) {
            case String s -> s;
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> floatRepr(d);
            case Undefined _ -> "";
            default -> repr(v);
        };
    }

    static String repr(@Nullable Object v) {
        var sb = new StringBuilder();
        repr(v, sb, 0);
        return sb.toString();
    }

    private static void repr(@Nullable Object v, StringBuilder sb, int depth) {
        if (depth > MAX_DATA_DEPTH) throw new EvalError("data nested too deeply to print");
        switch (v) {
            case String s -> stringRepr(s, sb);
            case PyTuple t -> {
                sb.append('(');
                for (int i = 0; i < t.size(); i++) {
                    if (i > 0) sb.append(", ");
                    repr(t.get(i), sb, depth + 1);
                }
                sb.append(t.size() == 1 ? ",)" : ")");
            }
            case List<?> list -> {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) sb.append(", ");
                    repr(list.get(i), sb, depth + 1);
                }
                sb.append(']');
            }
            case Map<?, ?> map -> {
                sb.append('{');
                boolean first = true;
                for (var e : map.entrySet()) {
                    if (!first) sb.append(", ");
                    first = false;
                    repr(e.getKey(), sb, depth + 1);
                    sb.append(": ");
                    repr(e.getValue(), sb, depth + 1);
                }
                sb.append('}');
            }
            case Undefined _ -> sb.append("Undefined");
            case Namespace ns -> {
                sb.append("<Namespace ");
                repr(ns.attributes, sb, depth + 1);
                sb.append('>');
            }
            case Callable.Macro m -> sb.append("<Macro '").append(m.name()).append("'>");
            case Callable.Global g -> sb.append("<function ").append(g.name()).append('>');
            case Callable.Method m -> sb.append("<built-in method ").append(m.name()).append('>');
            case Callable _ -> sb.append("<function loop>");
            case Loop _ -> sb.append("<LoopContext>");
            case null, default -> sb.append(str(v));
        }
    }

    private static void stringRepr(String s, StringBuilder sb) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (isPrintable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp < 0x100) {
                sb.append("\\x").append(hex(cp, 2));
            } else if (cp < 0x10000) {
                sb.append("\\u").append(hex(cp, 4));
            } else {
                sb.append("\\U").append(hex(cp, 8));
            }
        }
        sb.append(quote);
    }

    private static boolean isPrintable(int cp) {
        if (cp == ' ') return true;
        return switch (Character.getType(cp)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    private static String hex(int v, int width) {
        var h = Integer.toHexString(v);
        return "0".repeat(Math.max(0, width - h.length())) + h;
    }

    /// Python's `repr(float)`: the shortest digits that read back to the same double, fixed notation for
    /// exponents from -4 to 15, otherwise scientific with at least two exponent digits.
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        var bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        var digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - bd.scale() - 1;
        var sign = d < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            var plain = bd.abs().toPlainString();
            return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
        var mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        var e = Math.abs(exp);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" + e : Integer.toString(e));
    }

    static boolean isNumber(@Nullable Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean;
    }

    static boolean isInteger(@Nullable Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static long asLong(@Nullable Object v) {
        return switch (v) {
            case Long l -> l;
            case Boolean b -> b ? 1 : 0;
            case Double d -> d.longValue();
            case null, default -> throw new IllegalArgumentException("not a number");
        };
    }

    static double asDouble(@Nullable Object v) {
        return switch (v) {
            case Long l -> l;
            case Boolean b -> b ? 1 : 0;
            case Double d -> d;
            case null, default -> throw new IllegalArgumentException("not a number");
        };
    }

    static boolean pyEquals(@Nullable Object a, @Nullable Object b) {
        return pyEquals(a, b, 0);
    }

    private static boolean pyEquals(@Nullable Object a, @Nullable Object b, int depth) {
        if (depth > MAX_DATA_DEPTH) throw new EvalError("data nested too deeply to compare");
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) return asDouble(a) == asDouble(b);
            return asLong(a) == asLong(b);
        }
        if (a instanceof String s) return s.equals(b);
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if ((a instanceof PyTuple) != (b instanceof PyTuple)) return false;
            if (la.size() != lb.size()) return false;
            for (int i = 0; i < la.size(); i++) {
                if (!pyEquals(la.get(i), lb.get(i), depth + 1)) return false;
            }
            return true;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            if (ma.size() != mb.size()) return false;
            for (var e : ma.entrySet()) {
                if (!mb.containsKey(e.getKey())) return false;
                if (!pyEquals(e.getValue(), mb.get(e.getKey()), depth + 1)) return false;
            }
            return true;
        }
        if (a instanceof Undefined && b instanceof Undefined) return true;
        return a.equals(b);
    }

    /// Python ordering (`<`): numbers, strings and lists; anything else is a type error (`null` result).
    static @Nullable Integer compare(@Nullable Object a, @Nullable Object b) {
        return compare(a, b, 0);
    }

    private static @Nullable Integer compare(@Nullable Object a, @Nullable Object b, int depth) {
        if (depth > MAX_DATA_DEPTH) throw new EvalError("data nested too deeply to compare");
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) return Double.compare(asDouble(a), asDouble(b));
            return Long.compare(asLong(a), asLong(b));
        }
        if (a instanceof String sa && b instanceof String sb) return compareCodePoints(sa, sb);
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            int n = Math.min(la.size(), lb.size());
            for (int i = 0; i < n; i++) {
                if (!pyEquals(la.get(i), lb.get(i), depth + 1)) return compare(la.get(i), lb.get(i), depth + 1);
            }
            return Integer.compare(la.size(), lb.size());
        }
        return null;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /// Python's code points of a string (Java strings are UTF-16).
    static int[] codePoints(String s) {
        return s.codePoints().toArray();
    }

    static boolean hasSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) return true;
        }
        return false;
    }

    static int pyLength(String s) {
        return hasSurrogates(s) ? s.codePointCount(0, s.length()) : s.length();
    }

    /// The characters of a string as Python iterates them (one string per code point).
    static List<Object> chars(String s) {
        var out = new ArrayList<Object>(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            out.add(s.substring(i, i + n));
            i += n;
        }
        return out;
    }

    // ---- json.dumps ----

    /// `json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sortKeys)`.
    static String toJson(
            @Nullable Object value,
            @Nullable String indent,
            @Nullable String itemSeparator,
            @Nullable String keySeparator,
            boolean sortKeys) {
        var item = itemSeparator != null ? itemSeparator : indent != null ? "," : ", ";
        var key = keySeparator != null ? keySeparator : ": ";
        var sb = new StringBuilder();
        json(value, sb, indent, item, key, sortKeys, 0);
        return sb.toString();
    }

    private static void json(
            @Nullable Object v,
            StringBuilder sb,
            @Nullable String indent,
            String itemSep,
            String keySep,
            boolean sortKeys,
            int depth) {
        if (depth > MAX_DATA_DEPTH) throw new EvalError("data nested too deeply for tojson");
        switch (v) {
            case null -> sb.append("null");
            case Boolean b -> sb.append(b ? "true" : "false");
            case Long l -> sb.append(l);
            case Double d -> {
                if (Double.isNaN(d)) sb.append("NaN");
                else if (Double.isInfinite(d)) sb.append(d > 0 ? "Infinity" : "-Infinity");
                else sb.append(floatRepr(d));
            }
            case String s -> jsonString(s, sb);
            case List<?> list -> {
                if (list.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) sb.append(itemSep);
                    newline(sb, indent, depth + 1);
                    json(list.get(i), sb, indent, itemSep, keySep, sortKeys, depth + 1);
                }
                newline(sb, indent, depth);
                sb.append(']');
            }
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                List<? extends Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
                if (sortKeys) {
                    var sorted = new ArrayList<Map.Entry<?, ?>>(entries);
                    sorted.sort((x, y) -> {
                        var c = compare(x.getKey(), y.getKey());
                        if (c == null) throw new EvalError("tojson cannot sort keys of different types");
                        return c;
                    });
                    entries = sorted;
                }
                sb.append('{');
                boolean first = true;
                for (var e : entries) {
                    if (!first) sb.append(itemSep);
                    first = false;
                    newline(sb, indent, depth + 1);
                    jsonString(jsonKey(e.getKey()), sb);
                    sb.append(keySep);
                    json(e.getValue(), sb, indent, itemSep, keySep, sortKeys, depth + 1);
                }
                newline(sb, indent, depth);
                sb.append('}');
            }
            default -> throw new EvalError("Object of type " + typeName(v) + " is not JSON serializable");
        }
    }

    private static String jsonKey(@Nullable Object key) {
        return switch (key) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> floatRepr(d);
            default -> throw new EvalError(
                    "keys must be str, int, float, bool or None, not " + typeName(key));
        };
    }

    private static void newline(StringBuilder sb, @Nullable String indent, int depth) {
        if (indent == null) return;
        sb.append('\n');
        for (int i = 0; i < depth; i++) sb.append(indent);
    }

    private static void jsonString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append("\\u").append(hex(c, 4));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
