package dev.hearth.inference.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/// The fixed library a template can use: filters, tests, globals, and the methods of strings, lists and dicts.
/// Each is written here by name; nothing reaches Java objects or methods beyond these.
final class Builtins {
    private Builtins() {}

    static final List<String> GLOBALS = List.of("range", "namespace", "raise_exception", "strftime_now", "dict");

    /// Jinja2's sandbox refuses ranges longer than this (`SandboxedEnvironment.MAX_RANGE`).
    static final int MAX_RANGE = 100_000;

    static final Set<String> FILTERS = Set.of(
            "abs", "attr", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "first",
            "float", "forceescape", "format", "indent", "int", "items", "join", "last", "length", "list", "lower",
            "map", "max", "min", "pprint", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select",
            "selectattr", "sort", "string", "sum", "title", "tojson", "trim", "truncate", "unique", "upper",
            "wordcount");

    static final Set<String> TESTS = Set.of(
            "defined", "undefined", "none", "boolean", "false", "true", "integer", "float", "number", "string",
            "mapping", "iterable", "sequence", "callable", "odd", "even", "divisibleby", "eq", "equalto", "==", "ne",
            "!=", "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in", "sameas", "lower",
            "upper", "escaped", "filter", "test");

    private static final Set<String> STRING_METHODS = Set.of(
            "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "upper", "lower",
            "title", "capitalize", "replace", "find", "rfind", "index", "rindex", "count", "join", "format",
            "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isnumeric", "isdecimal",
            "removeprefix", "removesuffix", "swapcase", "center", "ljust", "rjust", "zfill", "partition",
            "rpartition");

    private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get");

    private static final Set<String> LIST_METHODS = Set.of("index", "count");

    /// Methods that exist in Python but change a value; Jinja2's immutable sandbox refuses them.
    private static final Set<String> MUTATING_METHODS = Set.of(
            "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update", "setdefault",
            "popitem", "__setitem__", "__delitem__");

    /// The key a dict lookup uses. Values are used as they are: templates only build dicts with string, number
    /// or none keys, and input data comes from JSON (string keys).
    static @Nullable Object dictKey(@Nullable Object key) {
        return key;
    }

    // ---- attribute and item access ----

    static @Nullable Object getAttr(@Nullable Object obj, String name) {
        return switch (obj) {
            case Undefined u -> throw new EvalError(u.hint());
            case Map<?, ?> m -> {
                if (DICT_METHODS.contains(name) || MUTATING_METHODS.contains(name)) yield new Callable.Method(m, name);
                if (m.containsKey(name)) yield m.get(name);
                yield new Undefined("'dict object' has no attribute '" + name + "'");
            }
            case String s -> STRING_METHODS.contains(name)
                    ? new Callable.Method(s, name)
                    : new Undefined("'str object' has no attribute '" + name + "'");
            case List<?> l -> LIST_METHODS.contains(name) || MUTATING_METHODS.contains(name)
                    ? new Callable.Method(l, name)
                    : new Undefined("'list object' has no attribute '" + name + "'");
            case Namespace ns -> ns.attributes.containsKey(name)
                    ? ns.attributes.get(name)
                    : new Undefined("'Namespace' has no attribute '" + name + "'");
            case Loop loop -> loop.attribute(name);
            case null -> new Undefined("'None' has no attribute '" + name + "'");
            default -> new Undefined("'" + PythonValues.typeName(obj) + " object' has no attribute '" + name + "'");
        };
    }

    static @Nullable Object getItem(@Nullable Object obj, @Nullable Object key) {
        switch (obj) {
            case Undefined u -> throw new EvalError(u.hint());
            case Map<?, ?> m -> {
                var k = dictKey(key);
                if (m.containsKey(k)) return m.get(k);
                if (key instanceof String s && (DICT_METHODS.contains(s))) return new Callable.Method(m, s);
                return new Undefined("'dict object' has no attribute " + PythonValues.repr(key));
            }
            case List<?> l -> {
                if (PythonValues.isInteger(key)) {
                    long i = PythonValues.asLong(key);
                    if (i < 0) i += l.size();
                    if (i >= 0 && i < l.size()) return l.get((int) i);
                    return new Undefined("list index out of range: " + PythonValues.asLong(key));
                }
                if (key instanceof String s) return getAttr(l, s);
            }
            case String s -> {
                if (PythonValues.isInteger(key)) {
                    var cps = PythonValues.chars(s);
                    long i = PythonValues.asLong(key);
                    if (i < 0) i += cps.size();
                    if (i >= 0 && i < cps.size()) return cps.get((int) i);
                    return new Undefined("string index out of range: " + PythonValues.asLong(key));
                }
                if (key instanceof String name) return getAttr(s, name);
            }
            case Namespace _, Loop _ -> {
                if (key instanceof String name) return getAttr(obj, name);
            }
            case null, default -> {}
        }
        return new Undefined("'" + PythonValues.typeName(obj) + " object' has no item " + PythonValues.repr(key));
    }

    static Object slice(@Nullable Object obj, @Nullable Object start, @Nullable Object stop, @Nullable Object step) {
        if (obj instanceof Undefined u) throw new EvalError(u.hint());
        long st = step == null ? 1 : sliceIndex(step);
        if (st == 0) throw new EvalError("slice step cannot be zero");
        List<?> items;
        boolean isString = obj instanceof String;
        if (obj instanceof String s) {
            items = PythonValues.hasSurrogates(s) ? PythonValues.chars(s) : null;
            if (items == null) {
                var sb = new StringBuilder();
                forSlice(s.length(), start, stop, st, i -> sb.append(s.charAt(i)));
                return sb.toString();
            }
        } else if (obj instanceof List<?> l) {
            items = l;
        } else {
            throw new EvalError("'" + PythonValues.typeName(obj) + "' object is not subscriptable");
        }
        var out = new ArrayList<@Nullable Object>();
        var list = items;
        forSlice(list.size(), start, stop, st, i -> out.add(list.get(i)));
        if (isString) {
            var sb = new StringBuilder();
            for (var c : out) sb.append((String) c);
            return sb.toString();
        }
        return out;
    }

    private static long sliceIndex(@Nullable Object v) {
        if (!PythonValues.isInteger(v)) {
            throw new EvalError("slice indices must be integers or None");
        }
        return PythonValues.asLong(v);
    }

    private static void forSlice(
            int n, @Nullable Object startV, @Nullable Object stopV, long step, java.util.function.IntConsumer each) {
        long lower = step > 0 ? 0 : -1;
        long upper = step > 0 ? n : n - 1;
        long start = startV == null ? (step < 0 ? upper : lower) : clampIndex(sliceIndex(startV), n, lower, upper);
        long stop = stopV == null ? (step < 0 ? lower : upper) : clampIndex(sliceIndex(stopV), n, lower, upper);
        if (step > 0) {
            for (long i = start; i < stop; i += step) each.accept((int) i);
        } else {
            for (long i = start; i > stop; i += step) each.accept((int) i);
        }
    }

    private static long clampIndex(long i, int n, long lower, long upper) {
        if (i < 0) {
            i += n;
            if (i < lower) i = lower;
        } else if (i > upper) {
            i = upper;
        }
        return i;
    }

    // ---- arguments ----

    private static @Nullable Object arg(
            List<@Nullable Object> args, Map<String, @Nullable Object> kwargs, int index, String name,
            @Nullable Object def) {
        if (index < args.size()) return args.get(index);
        if (kwargs.containsKey(name)) return kwargs.get(name);
        return def;
    }

    private static String strArg(
            List<@Nullable Object> args, Map<String, @Nullable Object> kwargs, int index, String name, String what) {
        var v = arg(args, kwargs, index, name, null);
        if (!(v instanceof String s)) {
            throw new EvalError(what + " expects a string for '" + name + "', got " + PythonValues.typeName(v));
        }
        return s;
    }

    private static long intArg(@Nullable Object v, String what) {
        if (!PythonValues.isInteger(v)) {
            throw new EvalError(what + " expects an integer, got " + PythonValues.typeName(v));
        }
        return PythonValues.asLong(v);
    }

    // ---- globals ----

    static @Nullable Object callGlobal(
            Interpreter in, String name, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
        switch (name) {
            case "range" -> {
                if (args.isEmpty() || args.size() > 3) throw new EvalError("range expected 1 to 3 arguments");
                long start = 0;
                long stop;
                long step = 1;
                if (args.size() == 1) {
                    stop = intArg(args.get(0), "range");
                } else {
                    start = intArg(args.get(0), "range");
                    stop = intArg(args.get(1), "range");
                    if (args.size() == 3) step = intArg(args.get(2), "range");
                }
                if (step == 0) throw new EvalError("range() arg 3 must not be zero");
                long count = step > 0
                        ? (stop > start ? (stop - start + step - 1) / step : 0)
                        : (start > stop ? (start - stop - step - 1) / -step : 0);
                if (count > MAX_RANGE) {
                    throw new EvalError("range too big: the sandbox blocks ranges larger than " + MAX_RANGE,
                            TemplateException.Kind.LIMIT);
                }
                var out = new ArrayList<@Nullable Object>((int) count);
                for (long i = 0, v = start; i < count; i++, v += step) out.add(v);
                return out;
            }
            case "namespace" -> {
                var ns = new Namespace();
                for (var a : args) {
                    if (!(a instanceof Map<?, ?> m)) throw new EvalError("namespace() takes a dict or keywords");
                    for (var e : m.entrySet()) ns.attributes.put(PythonValues.str(e.getKey()), e.getValue());
                }
                ns.attributes.putAll(kwargs);
                return ns;
            }
            case "dict" -> {
                var m = new LinkedHashMap<@Nullable Object, @Nullable Object>();
                for (var a : args) {
                    if (!(a instanceof Map<?, ?> src)) throw new EvalError("dict() takes a dict or keywords");
                    m.putAll(src);
                }
                m.putAll(kwargs);
                return m;
            }
            case "raise_exception" -> {
                var message = args.isEmpty() ? "raise_exception() was called" : PythonValues.str(args.getFirst());
                throw new EvalError(message, TemplateException.Kind.RAISED);
            }
            case "strftime_now" -> {
                if (args.size() != 1 || !(args.getFirst() instanceof String fmt)) {
                    throw new EvalError("strftime_now expects one format string");
                }
                return strftime(ZonedDateTime.now(in.clock), fmt);
            }
            default -> throw new EvalError("unknown function " + name);
        }
    }

    /// C's `strftime` for the directives chat templates use, in English; `%-d` style (no padding) too.
    static String strftime(ZonedDateTime t, String fmt) {
        var sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            boolean pad = true;
            if (d == '-' && i + 1 < fmt.length()) {
                pad = false;
                d = fmt.charAt(++i);
            }
            switch (d) {
                case 'Y' -> sb.append(t.getYear());
                case 'y' -> sb.append(two(t.getYear() % 100, pad));
                case 'm' -> sb.append(two(t.getMonthValue(), pad));
                case 'd' -> sb.append(two(t.getDayOfMonth(), pad));
                case 'e' -> sb.append(pad && t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                case 'H' -> sb.append(two(t.getHour(), pad));
                case 'I' -> sb.append(two(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, pad));
                case 'M' -> sb.append(two(t.getMinute(), pad));
                case 'S' -> sb.append(two(t.getSecond(), pad));
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'j' -> {
                    var j = Integer.toString(t.getDayOfYear());
                    sb.append(pad ? "0".repeat(3 - j.length()) + j : j);
                }
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
                case 'F' -> sb.append(strftime(t, "%Y-%m-%d"));
                case 'T' -> sb.append(strftime(t, "%H:%M:%S"));
                case 'Z' -> sb.append(t.getZone().getId().equals("Z") ? "UTC" : t.getZone().getId());
                case '%' -> sb.append('%');
                default -> sb.append('%').append(pad ? "" : "-").append(d);
            }
        }
        return sb.toString();
    }

    private static String two(int v, boolean pad) {
        return pad && v < 10 ? "0" + v : Integer.toString(v);
    }

    // ---- methods ----

    static @Nullable Object callMethod(
            Interpreter in, Object self, String name, List<@Nullable Object> args, Map<String, @Nullable Object> kw) {
        if (MUTATING_METHODS.contains(name)) {
            throw new EvalError("access to attribute '" + name + "' of '" + PythonValues.typeName(self)
                    + "' object is unsafe (templates cannot change values)");
        }
        return switch (self) {
            case String s -> stringMethod(in, s, name, args, kw);
            case Map<?, ?> m -> switch (name) {
                case "items" -> items(m);
                case "keys" -> new ArrayList<@Nullable Object>(m.keySet());
                case "values" -> new ArrayList<@Nullable Object>(m.values());
                case "get" -> {
                    if (args.isEmpty()) throw new EvalError("get expected at least 1 argument");
                    var k = dictKey(args.getFirst());
                    yield m.containsKey(k) ? m.get(k) : args.size() > 1 ? args.get(1) : null;
                }
                default -> throw new EvalError("'dict' object has no method '" + name + "'");
            };
            case List<?> l -> switch (name) {
                case "count" -> {
                    long n = 0;
                    for (var x : l) if (PythonValues.pyEquals(x, args.isEmpty() ? null : args.getFirst())) n++;
                    yield n;
                }
                case "index" -> {
                    for (int i = 0; i < l.size(); i++) {
                        if (PythonValues.pyEquals(l.get(i), args.isEmpty() ? null : args.getFirst())) yield (long) i;
                    }
                    throw new EvalError("value is not in list");
                }
                default -> throw new EvalError("'list' object has no method '" + name + "'");
            };
            case Loop loop -> switch (name) {
                case "cycle" -> {
                    if (args.isEmpty()) throw new EvalError("no items for cycling given");
                    yield args.get(loop.index0 % args.size());
                }
                case "changed" -> {
                    var value = args.size() == 1 ? args.getFirst() : new ArrayList<>(args);
                    boolean changed = loop.lastChanged == Undefined.NAMELESS
                            || !PythonValues.pyEquals(loop.lastChanged, value);
                    loop.lastChanged = value;
                    yield changed;
                }
                default -> throw new EvalError("'LoopContext' has no method '" + name + "'");
            };
            default -> throw new EvalError("'" + PythonValues.typeName(self) + "' object has no method '" + name + "'");
        };
    }

    static List<@Nullable Object> items(Map<?, ?> m) {
        var out = new ArrayList<@Nullable Object>(m.size());
        for (var e : m.entrySet()) out.add(PyTuple.of(e.getKey(), e.getValue()));
        return out;
    }

    private static @Nullable Object stringMethod(
            Interpreter in, String s, String name, List<@Nullable Object> args, Map<String, @Nullable Object> kw) {
        @Nullable Object a0 = args.isEmpty() ? null : args.getFirst();
        return switch (name) {
            case "strip" -> strip(s, a0, true, true);
            case "lstrip" -> strip(s, a0, true, false);
            case "rstrip" -> strip(s, a0, false, true);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> pyTitle(s);
            case "capitalize" -> capitalize(s);
            case "swapcase" -> {
                var sb = new StringBuilder();
                s.codePoints().forEach(cp -> sb.appendCodePoint(
                        Character.isUpperCase(cp) ? Character.toLowerCase(cp) : Character.toUpperCase(cp)));
                yield sb.toString();
            }
            case "split", "rsplit" -> {
                var sep = arg(args, kw, 0, "sep", null);
                long max = PythonValues.asLong(arg(args, kw, 1, "maxsplit", -1L));
                yield split(s, sep, max, name.equals("rsplit"));
            }
            case "splitlines" -> new ArrayList<@Nullable Object>(splitLines(s));
            case "startswith", "endswith" -> {
                var prefixes = a0 instanceof List<?> l ? l : List.of(a0 == null ? "" : a0);
                for (var p : prefixes) {
                    if (!(p instanceof String ps)) throw new EvalError(name + " expects a string or a tuple of strings");
                    if (name.equals("startswith") ? s.startsWith(ps) : s.endsWith(ps)) yield true;
                }
                yield false;
            }
            case "replace" -> {
                var old = strArg(args, kw, 0, "old", "replace");
                var rep = strArg(args, kw, 1, "new", "replace");
                long count = PythonValues.asLong(arg(args, kw, 2, "count", -1L));
                yield replace(in, s, old, rep, count);
            }
            case "find", "index" -> {
                int i = s.indexOf(strArg(args, kw, 0, "sub", name));
                if (i < 0 && name.equals("index")) throw new EvalError("substring not found");
                yield (long) (i < 0 ? -1 : s.codePointCount(0, i));
            }
            case "rfind", "rindex" -> {
                int i = s.lastIndexOf(strArg(args, kw, 0, "sub", name));
                if (i < 0 && name.equals("rindex")) throw new EvalError("substring not found");
                yield (long) (i < 0 ? -1 : s.codePointCount(0, i));
            }
            case "count" -> {
                var sub = strArg(args, kw, 0, "sub", "count");
                if (sub.isEmpty()) yield (long) PythonValues.pyLength(s) + 1;
                long n = 0;
                for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
                yield n;
            }
            case "join" -> {
                var sb = new StringBuilder();
                boolean first = true;
                for (var item : in.iterate(a0)) {
                    if (!(item instanceof String is)) {
                        throw new EvalError("sequence item: expected str instance, " + PythonValues.typeName(item)
                                + " found");
                    }
                    if (!first) sb.append(s);
                    first = false;
                    sb.append(is);
                    in.checkSize(sb.length());
                }
                yield sb.toString();
            }
            case "format" -> strFormat(s, args, kw);
            case "isdigit", "isnumeric", "isdecimal" -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum" -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isspace" -> !s.isEmpty() && s.codePoints().allMatch(Character::isWhitespace);
            case "isupper" -> s.codePoints().anyMatch(Character::isUpperCase)
                    && s.codePoints().noneMatch(Character::isLowerCase);
            case "islower" -> s.codePoints().anyMatch(Character::isLowerCase)
                    && s.codePoints().noneMatch(Character::isUpperCase);
            case "removeprefix" -> {
                var p = strArg(args, kw, 0, "prefix", name);
                yield s.startsWith(p) ? s.substring(p.length()) : s;
            }
            case "removesuffix" -> {
                var p = strArg(args, kw, 0, "suffix", name);
                yield s.endsWith(p) && !p.isEmpty() ? s.substring(0, s.length() - p.length()) : s;
            }
            case "center", "ljust", "rjust", "zfill" -> {
                long width = intArg(a0, name);
                in.checkSize(width);
                int len = PythonValues.pyLength(s);
                if (width <= len) yield s;
                int total = (int) width - len;
                if (name.equals("zfill")) {
                    boolean sign = s.startsWith("-") || s.startsWith("+");
                    yield sign ? s.charAt(0) + "0".repeat(total) + s.substring(1) : "0".repeat(total) + s;
                }
                var fill = args.size() > 1 ? PythonValues.str(args.get(1)) : " ";
                yield switch (name) {
                    case "ljust" -> s + fill.repeat(total);
                    case "rjust" -> fill.repeat(total) + s;
                    default -> {
                        int left = total / 2 + (total & len & 1);
                        yield fill.repeat(left) + s + fill.repeat(total - left);
                    }
                };
            }
            case "partition", "rpartition" -> {
                var sep = strArg(args, kw, 0, "sep", name);
                int i = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                var out = new PyTuple(3);
                if (i < 0) {
                    if (name.equals("partition")) {
                        out.addAll(List.of(s, "", ""));
                    } else {
                        out.addAll(List.of("", "", s));
                    }
                } else {
                    out.addAll(List.of(s.substring(0, i), sep, s.substring(i + sep.length())));
                }
                yield out;
            }
            default -> throw new EvalError("'str' object has no method '" + name + "'");
        };
    }

    static String strip(String s, @Nullable Object chars, boolean left, boolean right) {
        if (chars != null && !(chars instanceof String)) throw new EvalError("strip arg must be None or str");
        var set = (String) chars;
        int b = 0;
        int e = s.length();
        if (left) {
            while (b < e && (set == null ? isPySpace(s.charAt(b)) : set.indexOf(s.charAt(b)) >= 0)) b++;
        }
        if (right) {
            while (e > b && (set == null ? isPySpace(s.charAt(e - 1)) : set.indexOf(s.charAt(e - 1)) >= 0)) e--;
        }
        return s.substring(b, e);
    }

    static boolean isPySpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static String replace(Interpreter in, String s, String old, String rep, long count) {
        if (count < 0 && !old.isEmpty()) {
            long occurrences = 0;
            for (int i = s.indexOf(old); i >= 0; i = s.indexOf(old, i + old.length())) occurrences++;
            in.checkSize(s.length() + occurrences * (rep.length() - (long) old.length()));
            return s.replace(old, rep);
        }
        var sb = new StringBuilder();
        long n = 0;
        if (old.isEmpty()) {
            var chars = PythonValues.chars(s);
            for (int i = 0; i <= chars.size(); i++) {
                if (count < 0 || n < count) {
                    sb.append(rep);
                    n++;
                }
                if (i < chars.size()) sb.append((String) chars.get(i));
                in.checkSize(sb.length());
            }
            return sb.toString();
        }
        int from = 0;
        while (n < count) {
            int i = s.indexOf(old, from);
            if (i < 0) break;
            sb.append(s, from, i).append(rep);
            from = i + old.length();
            n++;
            in.checkSize(sb.length());
        }
        sb.append(s, from, s.length());
        return sb.toString();
    }

    private static List<@Nullable Object> split(String s, @Nullable Object sepV, long max, boolean fromRight) {
        var out = new ArrayList<@Nullable Object>();
        if (sepV == null) {
            var words = new ArrayList<String>();
            int i = 0;
            int n = s.length();
            if (!fromRight) {
                while (true) {
                    while (i < n && isPySpace(s.charAt(i))) i++;
                    if (i >= n) break;
                    if (max >= 0 && words.size() == max) {
                        words.add(strip(s.substring(i), null, false, true));
                        break;
                    }
                    int j = i;
                    while (j < n && !isPySpace(s.charAt(j))) j++;
                    words.add(s.substring(i, j));
                    i = j;
                }
            } else {
                int j = n;
                while (true) {
                    while (j > 0 && isPySpace(s.charAt(j - 1))) j--;
                    if (j <= 0) break;
                    if (max >= 0 && words.size() == max) {
                        words.add(strip(s.substring(0, j), null, true, false));
                        break;
                    }
                    int k = j;
                    while (k > 0 && !isPySpace(s.charAt(k - 1))) k--;
                    words.add(s.substring(k, j));
                    j = k;
                }
                java.util.Collections.reverse(words);
            }
            out.addAll(words);
            return out;
        }
        if (!(sepV instanceof String sep)) throw new EvalError("must be str or None, not " + PythonValues.typeName(sepV));
        if (sep.isEmpty()) throw new EvalError("empty separator");
        var parts = new ArrayList<String>();
        if (!fromRight) {
            int from = 0;
            while (max < 0 || parts.size() < max) {
                int i = s.indexOf(sep, from);
                if (i < 0) break;
                parts.add(s.substring(from, i));
                from = i + sep.length();
            }
            parts.add(s.substring(from));
        } else {
            int to = s.length();
            while (max < 0 || parts.size() < max) {
                int i = s.lastIndexOf(sep, to - sep.length());
                if (i < 0) break;
                parts.add(s.substring(i + sep.length(), to));
                to = i;
            }
            parts.add(s.substring(0, to));
            java.util.Collections.reverse(parts);
        }
        out.addAll(parts);
        return out;
    }

    static List<String> splitLines(String s) {
        var out = new ArrayList<String>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean br = c == '\n' || c == '\r' || c == '\u000b' || c == '\u000c' || c == '\u001c' || c == '\u001d'
                    || c == '\u001e' || c == '\u0085' || c == '\u2028' || c == '\u2029';
            if (br) {
                out.add(s.substring(start, i));
                i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) out.add(s.substring(start));
        return out;
    }

    /// Python's `str.title()`: a cased character after an uncased one starts a word.
    static String pyTitle(String s) {
        var sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean cased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
            if (cased) {
                sb.appendCodePoint(prevCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
            } else {
                sb.appendCodePoint(cp);
            }
            prevCased = cased;
        }
        return sb.toString();
    }

    /// Jinja2's `title` filter: words start after whitespace, `-`, `(`, `{`, `[` or `<`.
    static String jinjaTitle(String s) {
        var sb = new StringBuilder(s.length());
        boolean wordStart = true;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean sep = Character.isWhitespace(cp) || cp == '-' || cp == '(' || cp == '{' || cp == '[' || cp == '<';
            if (sep) {
                sb.appendCodePoint(cp);
                wordStart = true;
            } else {
                sb.appendCodePoint(wordStart ? Character.toUpperCase(cp) : Character.toLowerCase(cp));
                wordStart = false;
            }
        }
        return sb.toString();
    }

    static String capitalize(String s) {
        if (s.isEmpty()) return s;
        int cp = s.codePointAt(0);
        int n = Character.charCount(cp);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(cp))
                .append(s.substring(n).toLowerCase(Locale.ROOT))
                .toString();
    }

    /// `str.format` with `{}`, `{0}`, `{name}` and `{{`/`}}` (no format specs).
    private static String strFormat(String s, List<@Nullable Object> args, Map<String, @Nullable Object> kw) {
        var sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int e = s.indexOf('}', i);
                if (e < 0) throw new EvalError("single '{' encountered in format string");
                var field = s.substring(i + 1, e);
                if (field.contains(":") || field.contains("!")) {
                    throw new EvalError("format specs in str.format are not supported: {" + field + "}");
                }
                @Nullable Object v;
                if (field.isEmpty()) {
                    if (auto >= args.size()) throw new EvalError("str.format: not enough arguments");
                    v = args.get(auto++);
                } else if (field.chars().allMatch(Character::isDigit)) {
                    int k = Integer.parseInt(field);
                    if (k >= args.size()) throw new EvalError("str.format: not enough arguments");
                    v = args.get(k);
                } else {
                    if (!kw.containsKey(field)) throw new EvalError("str.format: missing argument '" + field + "'");
                    v = kw.get(field);
                }
                sb.append(PythonValues.str(v));
                i = e;
            } else if (c == '}') {
                throw new EvalError("single '}' encountered in format string");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /// `format % values` with `%s`, `%r`, `%d`, `%i`, `%f` (with precision) and `%%`.
    static String percentFormat(Interpreter in, String fmt, @Nullable Object values) {
        List<?> vals = values instanceof List<?> l ? l : java.util.Collections.singletonList(values);
        var sb = new StringBuilder();
        int k = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (++i >= fmt.length()) throw new EvalError("incomplete format");
            int precision = -1;
            if (fmt.charAt(i) == '.') {
                int j = i + 1;
                while (j < fmt.length() && Character.isDigit(fmt.charAt(j))) j++;
                precision = Integer.parseInt(fmt.substring(i + 1, j).isEmpty() ? "0" : fmt.substring(i + 1, j));
                i = j;
                if (i >= fmt.length()) throw new EvalError("incomplete format");
            }
            char d = fmt.charAt(i);
            if (d == '%') {
                sb.append('%');
                continue;
            }
            if (k >= vals.size()) throw new EvalError("not enough arguments for format string");
            var v = vals.get(k++);
            switch (d) {
                case 's' -> sb.append(PythonValues.str(v));
                case 'r' -> sb.append(PythonValues.repr(v));
                case 'd', 'i' -> {
                    if (!PythonValues.isNumber(v)) throw new EvalError("%d format: a number is required");
                    sb.append(v instanceof Double dv ? (long) dv.doubleValue() : PythonValues.asLong(v));
                }
                case 'f' -> {
                    if (!PythonValues.isNumber(v)) throw new EvalError("%f format: a number is required");
                    sb.append(new BigDecimal(PythonValues.asDouble(v))
                            .setScale(precision < 0 ? 6 : precision, RoundingMode.HALF_EVEN)
                            .toPlainString());
                }
                default -> throw new EvalError("unsupported format character '" + d + "'");
            }
            in.checkSize(sb.length());
        }
        if (k < vals.size() && values instanceof List) {
            throw new EvalError("not all arguments converted during string formatting");
        }
        return sb.toString();
    }

    // ---- tests ----

    static boolean test(Interpreter in, String name, @Nullable Object v, List<@Nullable Object> args) {
        @Nullable Object a0 = args.isEmpty() ? null : args.getFirst();
        return switch (name) {
            case "defined" -> !(v instanceof Undefined);
            case "undefined" -> v instanceof Undefined;
            case "none" -> v == null;
            case "boolean" -> v instanceof Boolean;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            case "integer" -> v instanceof Long;
            case "float" -> v instanceof Double;
            case "number" -> PythonValues.isNumber(v);
            case "string" -> v instanceof String;
            case "mapping" -> v instanceof Map;
            case "iterable" -> v instanceof String || v instanceof List || v instanceof Map || v instanceof Undefined;
            case "sequence" -> v instanceof String || v instanceof List || v instanceof Map;
            case "callable" -> v instanceof Callable;
            case "odd", "even" -> {
                if (v instanceof Undefined u) throw new EvalError(u.hint());
                if (!PythonValues.isInteger(v)) throw new EvalError("'" + name + "' test needs an integer");
                yield (PythonValues.asLong(v) % 2 != 0) == name.equals("odd");
            }
            case "divisibleby" -> {
                if (!PythonValues.isInteger(v) || !PythonValues.isInteger(a0)) {
                    throw new EvalError("'divisibleby' test needs integers");
                }
                long d = PythonValues.asLong(a0);
                if (d == 0) throw new EvalError("integer division or modulo by zero");
                yield PythonValues.asLong(v) % d == 0;
            }
            case "eq", "equalto", "==" -> PythonValues.pyEquals(v, a0);
            case "ne", "!=" -> !PythonValues.pyEquals(v, a0);
            case "lt", "lessthan", "<" -> Operators.compare("<", v, a0);
            case "le", "<=" -> Operators.compare("<=", v, a0);
            case "gt", "greaterthan", ">" -> Operators.compare(">", v, a0);
            case "ge", ">=" -> Operators.compare(">=", v, a0);
            case "in" -> Operators.contains(a0, v);
            case "sameas" -> v == a0 || (v instanceof Boolean && v.equals(a0));
            case "lower" -> {
                var s = PythonValues.str(v);
                yield s.codePoints().anyMatch(Character::isLowerCase) && s.codePoints().noneMatch(Character::isUpperCase);
            }
            case "upper" -> {
                var s = PythonValues.str(v);
                yield s.codePoints().anyMatch(Character::isUpperCase) && s.codePoints().noneMatch(Character::isLowerCase);
            }
            case "escaped" -> false;
            case "filter" -> a0 instanceof String f && FILTERS.contains(f);
            case "test" -> a0 instanceof String t && TESTS.contains(t);
            default -> throw new EvalError("no test named '" + name + "'");
        };
    }

    // ---- filters ----

    static @Nullable Object filter(
            Interpreter in, String name, @Nullable Object v, List<@Nullable Object> args,
            Map<String, @Nullable Object> kw) {
        switch (name) {
            case "default", "d" -> {
                var def = arg(args, kw, 0, "default_value", "");
                boolean bool = PythonValues.truthy(arg(args, kw, 1, "boolean", false));
                return v instanceof Undefined || (bool && !PythonValues.truthy(v)) ? def : v;
            }
            case "safe" -> {
                return v;
            }
            case "pprint" -> {
                return PythonValues.repr(v);
            }
            case "tojson" -> {
                return tojson(v, args, kw);
            }
            default -> {}
        }
        if (v instanceof Undefined u) {
            return switch (name) {
                case "length", "count" -> 0L;
                case "list", "items", "map", "select", "reject", "selectattr", "rejectattr", "sort", "unique",
                        "dictsort" -> new ArrayList<@Nullable Object>();
                case "string", "trim", "upper", "lower", "title", "capitalize", "join", "escape", "e",
                        "forceescape", "indent" -> "";
                case "first", "last" -> u;
                default -> throw new EvalError(u.hint());
            };
        }
        switch (name) {
            case "length", "count" -> {
                return switch (v) {
                    case String s -> (long) PythonValues.pyLength(s);
                    case List<?> l -> (long) l.size();
                    case Map<?, ?> m -> (long) m.size();
                    case null, default -> throw new EvalError("object of type '" + PythonValues.typeName(v)
                            + "' has no len()");
                };
            }
            case "string" -> {
                return PythonValues.str(v);
            }
            case "attr" -> {
                var attribute = PythonValues.str(arg(args, kw, 0, "name", ""));
                if (v instanceof Map<?, ?> m) {
                    return DICT_METHODS.contains(attribute)
                            ? new Callable.Method(m, attribute)
                            : new Undefined("'dict object' has no attribute '" + attribute + "'");
                }
                return getAttr(v, attribute);
            }
            case "list" -> {
                return new ArrayList<>(in.iterate(v));
            }
            case "first" -> {
                var items = in.iterate(v);
                return items.isEmpty() ? new Undefined("no first item, sequence was empty") : items.getFirst();
            }
            case "last" -> {
                var items = in.iterate(v);
                return items.isEmpty() ? new Undefined("no last item, sequence was empty") : items.getLast();
            }
            case "items" -> {
                if (!(v instanceof Map<?, ?> m)) {
                    throw new EvalError("can only get item pairs from a mapping, not " + PythonValues.typeName(v));
                }
                return items(m);
            }
            case "join" -> {
                var sep = PythonValues.str(arg(args, kw, 0, "d", ""));
                var attribute = arg(args, kw, 1, "attribute", null);
                var sb = new StringBuilder();
                boolean first = true;
                for (var item : in.iterate(v)) {
                    in.countIterations(1);
                    if (!first) sb.append(sep);
                    first = false;
                    sb.append(PythonValues.str(attribute == null ? item : attrGet(item, attribute)));
                    in.checkSize(sb.length());
                }
                return sb.toString();
            }
            case "reverse" -> {
                if (v instanceof String s) return new StringBuilder(s).reverse().toString();
                var out = new ArrayList<>(in.iterate(v));
                java.util.Collections.reverse(out);
                return out;
            }
            case "map" -> {
                var out = new ArrayList<@Nullable Object>();
                var attribute = kw.get("attribute");
                for (var item : in.iterate(v)) {
                    in.countIterations(1);
                    if (attribute != null || kw.containsKey("attribute")) {
                        var x = attrGet(item, attribute);
                        if (x instanceof Undefined && kw.containsKey("default")) x = kw.get("default");
                        out.add(x);
                    } else {
                        if (args.isEmpty() || !(args.getFirst() instanceof String f)) {
                            throw new EvalError("map needs a filter name or attribute=");
                        }
                        if (!FILTERS.contains(f)) throw new EvalError("no filter named '" + f + "'");
                        out.add(filter(in, f, item, args.subList(1, args.size()), Map.of()));
                    }
                }
                return out;
            }
            case "select", "reject" -> {
                var out = new ArrayList<@Nullable Object>();
                for (var item : in.iterate(v)) {
                    in.countIterations(1);
                    boolean ok = args.isEmpty()
                            ? PythonValues.truthy(item)
                            : test(in, testName(args.getFirst()), item, args.subList(1, args.size()));
                    if (ok == name.equals("select")) out.add(item);
                }
                return out;
            }
            case "selectattr", "rejectattr" -> {
                if (args.isEmpty()) throw new EvalError(name + " needs an attribute name");
                var attribute = args.getFirst();
                var out = new ArrayList<@Nullable Object>();
                for (var item : in.iterate(v)) {
                    in.countIterations(1);
                    var x = attrGet(item, attribute);
                    boolean ok = args.size() < 2
                            ? PythonValues.truthy(x)
                            : test(in, testName(args.get(1)), x, args.subList(2, args.size()));
                    if (ok == name.equals("selectattr")) out.add(item);
                }
                return out;
            }
            case "sort" -> {
                boolean reverse = PythonValues.truthy(arg(args, kw, 0, "reverse", false));
                boolean caseSensitive = PythonValues.truthy(arg(args, kw, 1, "case_sensitive", false));
                var attribute = arg(args, kw, 2, "attribute", null);
                var out = new ArrayList<>(in.iterate(v));
                in.countIterations(out.size());
                Comparator<@Nullable Object> cmp = (a, b) -> {
                    var ka = sortKey(attribute == null ? a : attrGet(a, attribute), caseSensitive);
                    var kb = sortKey(attribute == null ? b : attrGet(b, attribute), caseSensitive);
                    var c = PythonValues.compare(ka, kb);
                    if (c == null) {
                        throw new EvalError("'<' not supported between instances of '" + PythonValues.typeName(ka)
                                + "' and '" + PythonValues.typeName(kb) + "'");
                    }
                    return c;
                };
                out.sort(reverse ? cmp.reversed() : cmp);
                return out;
            }
            case "dictsort" -> {
                if (!(v instanceof Map<?, ?> m)) throw new EvalError("dictsort needs a mapping");
                boolean caseSensitive = PythonValues.truthy(arg(args, kw, 0, "case_sensitive", false));
                var by = PythonValues.str(arg(args, kw, 1, "by", "key"));
                boolean reverse = PythonValues.truthy(arg(args, kw, 2, "reverse", false));
                int pos = by.equals("value") ? 1 : 0;
                var out = items(m);
                Comparator<@Nullable Object> cmp = (a, b) -> {
                    var c = PythonValues.compare(
                            sortKey(((List<?>) a).get(pos), caseSensitive), sortKey(((List<?>) b).get(pos), caseSensitive));
                    if (c == null) throw new EvalError("dictsort: values cannot be compared");
                    return c;
                };
                out.sort(reverse ? cmp.reversed() : cmp);
                return out;
            }
            case "unique" -> {
                boolean caseSensitive = PythonValues.truthy(arg(args, kw, 0, "case_sensitive", false));
                var attribute = arg(args, kw, 1, "attribute", null);
                var out = new ArrayList<@Nullable Object>();
                var seen = new ArrayList<@Nullable Object>();
                for (var item : in.iterate(v)) {
                    in.countIterations(1);
                    var key = sortKey(attribute == null ? item : attrGet(item, attribute), caseSensitive);
                    if (seen.stream().noneMatch(s -> PythonValues.pyEquals(s, key))) {
                        seen.add(key);
                        out.add(item);
                    }
                }
                return out;
            }
            case "min", "max" -> {
                boolean caseSensitive = PythonValues.truthy(arg(args, kw, 0, "case_sensitive", false));
                var attribute = arg(args, kw, 1, "attribute", null);
                @Nullable Object best = null;
                @Nullable Object bestKey = null;
                boolean any = false;
                for (var item : in.iterate(v)) {
                    var key = sortKey(attribute == null ? item : attrGet(item, attribute), caseSensitive);
                    if (!any) {
                        best = item;
                        bestKey = key;
                        any = true;
                        continue;
                    }
                    var c = PythonValues.compare(key, bestKey);
                    if (c == null) throw new EvalError(name + ": values cannot be compared");
                    if (name.equals("min") ? c < 0 : c > 0) {
                        best = item;
                        bestKey = key;
                    }
                }
                return any ? best : new Undefined("no " + name + " item, sequence was empty");
            }
            case "sum" -> {
                var attribute = arg(args, kw, 0, "attribute", null);
                @Nullable Object total = arg(args, kw, 1, "start", 0L);
                for (var item : in.iterate(v)) {
                    total = Operators.binary(in, "+", total, attribute == null ? item : attrGet(item, attribute));
                }
                return total;
            }
            case "abs" -> {
                if (v instanceof Double d) return Math.abs(d);
                if (PythonValues.isInteger(v)) return Math.abs(PythonValues.asLong(v));
                throw new EvalError("bad operand type for abs(): '" + PythonValues.typeName(v) + "'");
            }
            case "int" -> {
                var def = arg(args, kw, 0, "default", 0L);
                long base = PythonValues.asLong(arg(args, kw, 1, "base", 10L));
                if (v instanceof String s) {
                    var t = s.strip().replace("_", "");
                    try {
                        return Long.parseLong(t.startsWith("+") ? t.substring(1) : t, (int) base);
                    } catch (NumberFormatException e) {
                        try {
                            return (long) Double.parseDouble(t);
                        } catch (NumberFormatException e2) {
                            return def;
                        }
                    }
                }
                if (PythonValues.isNumber(v)) return PythonValues.asLong(v);
                return def;
            }
            case "float" -> {
                var def = arg(args, kw, 0, "default", 0.0);
                if (v instanceof String s) {
                    try {
                        return Double.parseDouble(s.strip());
                    } catch (NumberFormatException e) {
                        return def;
                    }
                }
                if (PythonValues.isNumber(v)) return PythonValues.asDouble(v);
                return def;
            }
            case "round" -> {
                long precision = PythonValues.asLong(arg(args, kw, 0, "precision", 0L));
                var method = PythonValues.str(arg(args, kw, 1, "method", "common"));
                if (!PythonValues.isNumber(v)) throw new EvalError("round needs a number");
                var mode = switch (method) {
                    case "common" -> RoundingMode.HALF_EVEN;
                    case "ceil" -> RoundingMode.CEILING;
                    case "floor" -> RoundingMode.FLOOR;
                    default -> throw new EvalError("method must be common, ceil or floor");
                };
                return new BigDecimal(PythonValues.asDouble(v)).setScale((int) precision, mode).doubleValue();
            }
            default -> {}
        }
        // String filters.
        var s = PythonValues.str(v);
        return switch (name) {
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> jinjaTitle(s);
            case "capitalize" -> capitalize(s);
            case "trim" -> strip(s, arg(args, kw, 0, "chars", null), true, true);
            case "replace" -> {
                var old = PythonValues.str(arg(args, kw, 0, "old", ""));
                var rep = PythonValues.str(arg(args, kw, 1, "new", ""));
                var count = arg(args, kw, 2, "count", null);
                yield replace(in, s, old, rep, count == null ? -1 : PythonValues.asLong(count));
            }
            case "escape", "e", "forceescape" -> s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("\"", "&#34;").replace("'", "&#39;");
            case "wordcount" -> {
                long n = 0;
                boolean inWord = false;
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    boolean w = Character.isLetterOrDigit(c) || c == '_';
                    if (w && !inWord) n++;
                    inWord = w;
                }
                yield n;
            }
            case "center" -> {
                long width = PythonValues.asLong(arg(args, kw, 0, "width", 80L));
                yield stringMethod(in, s, "center", List.of(width), Map.of());
            }
            case "indent" -> indent(s, arg(args, kw, 0, "width", 4L), PythonValues.truthy(arg(args, kw, 1, "first", false)),
                    PythonValues.truthy(arg(args, kw, 2, "blank", false)));
            case "truncate" -> {
                long length = PythonValues.asLong(arg(args, kw, 0, "length", 255L));
                boolean killwords = PythonValues.truthy(arg(args, kw, 1, "killwords", false));
                var end = PythonValues.str(arg(args, kw, 2, "end", "..."));
                var leewayV = arg(args, kw, 3, "leeway", null);
                long leeway = leewayV == null ? 5 : PythonValues.asLong(leewayV);
                if (s.length() <= length + leeway) yield s;
                int cut = (int) Math.max(0, length - end.length());
                if (killwords) yield s.substring(0, cut) + end;
                var head = s.substring(0, cut);
                int sp = head.lastIndexOf(' ');
                yield (sp >= 0 ? head.substring(0, sp) : head) + end;
            }
            case "format" -> percentFormat(in, s, args.size() == 1 ? java.util.Collections.singletonList(args.getFirst())
                    : new ArrayList<>(args));
            default -> throw new EvalError("no filter named '" + name + "'");
        };
    }

    private static String testName(@Nullable Object v) {
        if (!(v instanceof String t)) throw new EvalError("expected a test name");
        if (!TESTS.contains(t)) throw new EvalError("no test named '" + t + "'");
        return t;
    }

    private static @Nullable Object sortKey(@Nullable Object v, boolean caseSensitive) {
        return !caseSensitive && v instanceof String s ? s.toLowerCase(Locale.ROOT) : v;
    }

    /// Jinja2's attribute getter for filters: dotted paths, integer parts index lists.
    static @Nullable Object attrGet(@Nullable Object item, @Nullable Object attribute) {
        if (PythonValues.isInteger(attribute)) return getItem(item, attribute);
        var path = PythonValues.str(attribute);
        @Nullable Object x = item;
        for (var part : path.split("\\.", -1)) {
            if (x instanceof Undefined) return x;
            x = !part.isEmpty() && part.chars().allMatch(Character::isDigit)
                    ? getItem(x, Long.parseLong(part))
                    : getItem(x, part);
        }
        return x;
    }

    private static String indent(String s, @Nullable Object width, boolean first, boolean blank) {
        var ind = width instanceof String w ? w : " ".repeat((int) Math.max(0, PythonValues.asLong(width)));
        var lines = splitLines(s + "\n");
        String rv;
        if (blank) {
            rv = String.join("\n" + ind, lines);
        } else {
            var sb = new StringBuilder(lines.isEmpty() ? "" : lines.getFirst());
            for (int i = 1; i < lines.size(); i++) {
                sb.append('\n');
                if (!lines.get(i).isEmpty()) sb.append(ind);
                sb.append(lines.get(i));
            }
            rv = sb.toString();
        }
        return first ? ind + rv : rv;
    }

    private static String tojson(@Nullable Object v, List<@Nullable Object> args, Map<String, @Nullable Object> kw) {
        boolean ensureAscii = PythonValues.truthy(arg(args, kw, 99, "ensure_ascii", false));
        var indentV = args.isEmpty() ? kw.get("indent") : args.getFirst();
        String indent = switch (indentV) {
            case null -> null;
            case String s -> s;
            default -> " ".repeat((int) Math.max(0, PythonValues.asLong(indentV)));
        };
        String itemSep = null;
        String keySep = null;
        if (kw.get("separators") instanceof List<?> seps && seps.size() == 2) {
            itemSep = PythonValues.str(seps.get(0));
            keySep = PythonValues.str(seps.get(1));
        }
        boolean sortKeys = PythonValues.truthy(kw.get("sort_keys"));
        var json = PythonValues.toJson(v, indent, itemSep, keySep, sortKeys);
        if (!ensureAscii) return json;
        var sb = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                sb.append(c);
            } else {
                var h = Integer.toHexString(c);
                sb.append("\\u").append("0".repeat(4 - h.length())).append(h);
            }
        }
        return sb.toString();
    }
}
