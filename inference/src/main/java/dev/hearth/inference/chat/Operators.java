package dev.hearth.inference.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Python's arithmetic, comparison and membership operators on the template's values.
final class Operators {
    private Operators() {}

    static @Nullable Object binary(Interpreter in, String op, @Nullable Object a, @Nullable Object b) {
        if (a instanceof Undefined u) throw new EvalError(u.hint());
        if (b instanceof Undefined u) throw new EvalError(u.hint());
        boolean numbers = PythonValues.isNumber(a) && PythonValues.isNumber(b);
        boolean ints = numbers && PythonValues.isInteger(a) && PythonValues.isInteger(b);
        try {
            switch (op) {
                case "+" -> {
                    if (ints) return Math.addExact(PythonValues.asLong(a), PythonValues.asLong(b));
                    if (numbers) return PythonValues.asDouble(a) + PythonValues.asDouble(b);
                    if (a instanceof String sa && b instanceof String sb) {
                        in.checkSize((long) sa.length() + sb.length());
                        return sa + sb;
                    }
                    if (a instanceof List<?> la && b instanceof List<?> lb) {
                        in.checkSize((long) la.size() + lb.size());
                        var out = a instanceof PyTuple ? new PyTuple(la) : new ArrayList<@Nullable Object>(la);
                        out.addAll(lb);
                        return out;
                    }
                }
                case "-" -> {
                    if (ints) return Math.subtractExact(PythonValues.asLong(a), PythonValues.asLong(b));
                    if (numbers) return PythonValues.asDouble(a) - PythonValues.asDouble(b);
                }
                case "*" -> {
                    if (ints) return Math.multiplyExact(PythonValues.asLong(a), PythonValues.asLong(b));
                    if (numbers) return PythonValues.asDouble(a) * PythonValues.asDouble(b);
                    if (PythonValues.isInteger(b) && (a instanceof String || a instanceof List)) {
                        return repeat(in, a, PythonValues.asLong(b));
                    }
                    if (PythonValues.isInteger(a) && (b instanceof String || b instanceof List)) {
                        return repeat(in, b, PythonValues.asLong(a));
                    }
                }
                case "/" -> {
                    if (numbers) {
                        double d = PythonValues.asDouble(b);
                        if (d == 0) throw new EvalError("division by zero");
                        return PythonValues.asDouble(a) / d;
                    }
                }
                case "//" -> {
                    if (ints) {
                        long d = PythonValues.asLong(b);
                        if (d == 0) throw new EvalError("integer division or modulo by zero");
                        return Math.floorDiv(PythonValues.asLong(a), d);
                    }
                    if (numbers) {
                        double d = PythonValues.asDouble(b);
                        if (d == 0) throw new EvalError("float floor division by zero");
                        return Math.floor(PythonValues.asDouble(a) / d);
                    }
                }
                case "%" -> {
                    if (ints) {
                        long d = PythonValues.asLong(b);
                        if (d == 0) throw new EvalError("integer division or modulo by zero");
                        return Math.floorMod(PythonValues.asLong(a), d);
                    }
                    if (numbers) {
                        double x = PythonValues.asDouble(a);
                        double d = PythonValues.asDouble(b);
                        if (d == 0) throw new EvalError("float modulo");
                        double r = x % d;
                        return r != 0 && (r < 0) != (d < 0) ? r + d : r;
                    }
                    if (a instanceof String fmt) return Builtins.percentFormat(in, fmt, b);
                }
                case "**" -> {
                    if (ints) {
                        long base = PythonValues.asLong(a);
                        long exp = PythonValues.asLong(b);
                        if (exp < 0) return Math.pow(base, exp);
                        long r = 1;
                        for (long i = 0; i < exp; i++) {
                            r = Math.multiplyExact(r, base);
                            if (r == 0 || r == 1 && base == 1) break;
                            if (i > 64 && Math.abs(base) <= 1) break;
                        }
                        if (base == -1) return exp % 2 == 0 ? 1L : -1L;
                        return r;
                    }
                    if (numbers) return Math.pow(PythonValues.asDouble(a), PythonValues.asDouble(b));
                }
                default -> throw new EvalError("unknown operator " + op);
            }
        } catch (ArithmeticException e) {
            throw new EvalError("integer overflow in '" + op + "' (Hearth's integers are 64-bit)");
        }
        throw new EvalError("unsupported operand type(s) for " + op + ": '" + PythonValues.typeName(a) + "' and '"
                + PythonValues.typeName(b) + "'");
    }

    private static Object repeat(Interpreter in, Object seq, long times) {
        long n = Math.max(0, times);
        if (seq instanceof String s) {
            in.checkSize(s.length() * n);
            return s.repeat((int) n);
        }
        var list = (List<?>) seq;
        in.checkSize(list.size() * n);
        var out = new ArrayList<@Nullable Object>();
        for (long i = 0; i < n; i++) out.addAll(list);
        return out;
    }

    static @Nullable Object unary(String op, @Nullable Object v) {
        if (v instanceof Undefined u) throw new EvalError(u.hint());
        if (!PythonValues.isNumber(v)) {
            throw new EvalError("bad operand type for unary " + op + ": '" + PythonValues.typeName(v) + "'");
        }
        if (op.equals("+")) return v instanceof Boolean ? PythonValues.asLong(v) : v;
        if (v instanceof Double d) return -d;
        long l = PythonValues.asLong(v);
        if (l == Long.MIN_VALUE) throw new EvalError("integer overflow in unary -");
        return -l;
    }

    static boolean compare(String op, @Nullable Object a, @Nullable Object b) {
        switch (op) {
            case "==" -> {
                return PythonValues.pyEquals(a, b);
            }
            case "!=" -> {
                return !PythonValues.pyEquals(a, b);
            }
            case "in" -> {
                return contains(b, a);
            }
            case "not in" -> {
                return !contains(b, a);
            }
            default -> {
                if (a instanceof Undefined u) throw new EvalError(u.hint());
                if (b instanceof Undefined u) throw new EvalError(u.hint());
                var c = PythonValues.compare(a, b);
                if (c == null) {
                    throw new EvalError("'" + op + "' not supported between instances of '" + PythonValues.typeName(a)
                            + "' and '" + PythonValues.typeName(b) + "'");
                }
                return switch (op) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
            }
        }
    }

    static boolean contains(@Nullable Object container, @Nullable Object item) {
        return switch (container) {
            case String s -> {
                if (!(item instanceof String sub)) {
                    throw new EvalError("'in <string>' requires string as left operand, not "
                            + PythonValues.typeName(item));
                }
                yield s.contains(sub);
            }
            case List<?> l -> {
                for (var x : l) {
                    if (PythonValues.pyEquals(x, item)) yield true;
                }
                yield false;
            }
            case Map<?, ?> m -> m.containsKey(Builtins.dictKey(item));
            case Undefined _ -> false;
            case null, default -> throw new EvalError("argument of type '" + PythonValues.typeName(container)
                    + "' is not iterable");
        };
    }
}
