package dev.hearth.inference.chat;

import dev.hearth.inference.chat.Ast.*;
import dev.hearth.inference.chat.TemplateException.Kind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/// Walks the parsed template. One instance renders once; it counts loop iterations, call depth and output
/// size, and checks the deadline as it goes.
final class Interpreter {
    private static final int NORMAL = 0;
    private static final int BREAK = 1;
    private static final int CONTINUE = 2;

    final RenderLimits limits;
    final Clock clock;
    private final long deadline;
    private long iterations;
    private int callDepth;
    private int ticks;

    Interpreter(RenderLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.deadline = System.nanoTime() + limits.timeout().toNanos();
    }

    /// A string builder that refuses to grow past the output limit.
    final class Out {
        final StringBuilder sb = new StringBuilder(256);

        void append(String s) {
            if (sb.length() + (long) s.length() > limits.maxOutputChars()) {
                throw new EvalError("output is longer than the limit of " + limits.maxOutputChars() + " characters",
                        Kind.LIMIT);
            }
            sb.append(s);
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    String render(List<Node> body, Map<String, ? extends @Nullable Object> variables) {
        var globals = new Scope(null);
        for (var g : Builtins.GLOBALS) globals.set(g, new Callable.Global(g));
        for (var e : variables.entrySet()) globals.set(e.getKey(), e.getValue());
        var top = new Scope(globals);
        var out = new Out();
        try {
            exec(body, top, out);
        } catch (StackOverflowError e) {
            throw new TemplateException(Kind.LIMIT, "template recursion is too deep", 0, 0);
        } catch (EvalError e) {
            throw new TemplateException(e.kind, e.getMessage(), 0, 0);
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            // A safety net: an interpreter bug still ends as a template failure the caller can fall back from.
            throw new TemplateException(Kind.RUNTIME, "internal error: " + e, 0, 0);
        }
        return out.toString();
    }

    // ---- limits ----

    void tick() {
        if ((++ticks & 31) == 0 && System.nanoTime() - deadline > 0) {
            throw new EvalError("rendering took longer than the limit of " + limits.timeout().toMillis() + " ms",
                    Kind.LIMIT);
        }
    }

    void countIterations(long n) {
        iterations += n;
        if (iterations > limits.maxLoopIterations()) {
            throw new EvalError("more than " + limits.maxLoopIterations() + " loop iterations", Kind.LIMIT);
        }
        tick();
    }

    void checkSize(long size) {
        if (size > limits.maxOutputChars()) {
            throw new EvalError("value is larger than the limit of " + limits.maxOutputChars() + " items", Kind.LIMIT);
        }
    }

    // ---- statements ----

    int exec(List<Node> body, Scope scope, Out out) {
        for (var node : body) {
            int signal = exec(node, scope, out);
            if (signal != NORMAL) return signal;
        }
        return NORMAL;
    }

    private int exec(Node node, Scope scope, Out out) {
        tick();
        try {
            switch (node) {
                case Text t -> out.append(t.text());
                case Output o -> out.append(PythonValues.str(eval(o.expr(), scope)));
                case If i -> {
                    for (int k = 0; k < i.conditions().size(); k++) {
                        if (PythonValues.truthy(eval(i.conditions().get(k), scope))) {
                            return exec(i.bodies().get(k), scope, out);
                        }
                    }
                    return exec(i.orElse(), scope, out);
                }
                case For f -> loop(f, eval(f.iterable(), scope), scope, out, 1);
                case Set s -> assign(s.target(), eval(s.value(), scope), scope);
                case SetBlock s -> {
                    var captured = new Out();
                    exec(s.body(), scope, captured);
                    @Nullable Object value = captured.toString();
                    for (var f : s.filters()) value = applyFilter(value, f, scope);
                    assign(s.target(), value, scope);
                }
                case MacroDef m -> scope.set(m.name(), new Callable.Macro(m.name(), m.params(), m.body(), scope));
                case CallBlock c -> {
                    var call = (Call) c.call();
                    var caller = new Callable.Macro("caller", c.params(), c.body(), scope);
                    var callee = eval(call.callee(), scope);
                    var args = evalArgs(call, scope);
                    var kwargs = evalKwargs(call, scope);
                    kwargs.put("caller", caller);
                    out.append(PythonValues.str(call(callee, args, kwargs)));
                }
                case FilterBlock f -> {
                    var captured = new Out();
                    exec(f.body(), scope, captured);
                    @Nullable Object value = captured.toString();
                    for (var filter : f.filters()) value = applyFilter(value, filter, scope);
                    out.append(PythonValues.str(value));
                }
                case With w -> {
                    var inner = new Scope(scope);
                    for (int k = 0; k < w.targets().size(); k++) {
                        assign(w.targets().get(k), eval(w.values().get(k), scope), inner);
                    }
                    return exec(w.body(), inner, out);
                }
                case Block s -> {
                    return exec(s.body(), scope, out);
                }
                case Break _ -> {
                    return BREAK;
                }
                case Continue _ -> {
                    return CONTINUE;
                }
            }
        } catch (EvalError e) {
            throw new TemplateException(e.kind, e.getMessage(), node.line(), node.column());
        }
        return NORMAL;
    }

    private void loop(For f, @Nullable Object iterable, Scope scope, Out out, int depth) {
        var items = iterate(iterable);
        if (f.filter() != null) {
            var kept = new ArrayList<@Nullable Object>();
            for (var item : items) {
                countIterations(1);
                var filterScope = new Scope(scope);
                assign(f.target(), item, filterScope);
                if (PythonValues.truthy(eval(f.filter(), filterScope))) kept.add(item);
            }
            items = kept;
        }
        var recursive = f.recursive() ? new Callable.RecursiveLoop(f, scope, depth) : null;
        var loop = new Loop(items, depth, recursive);
        for (int i = 0; i < items.size(); i++) {
            countIterations(1);
            loop.index0 = i;
            // Jinja2 gives every iteration fresh locals: a `set` in one iteration is gone in the next.
            var loopScope = new Scope(scope);
            assign(f.target(), items.get(i), loopScope);
            loopScope.set("loop", loop);
            if (exec(f.body(), loopScope, out) == BREAK) break;
        }
        if (items.isEmpty()) exec(f.orElse(), new Scope(scope), out);
    }

    /// The items a `for` loop or a filter walks over: a list, a dict's keys, a string's characters.
    List<@Nullable Object> iterate(@Nullable Object v) {
        return switch (v) {
            case List<?> l -> {
                @SuppressWarnings("unchecked")
                var list = (List<@Nullable Object>) l;
                yield list;
            }
            case Map<?, ?> m -> new ArrayList<@Nullable Object>(m.keySet());
            case String s -> PythonValues.chars(s);
            case Undefined _ -> List.of();
            case null, default -> throw new EvalError("'" + PythonValues.typeName(v) + "' object is not iterable");
        };
    }

    private void assign(Target target, @Nullable Object value, Scope scope) {
        switch (target) {
            case NameTarget n -> scope.set(n.name(), value);
            case TupleTarget t -> {
                var items = iterate(value);
                if (items.size() != t.items().size()) {
                    throw new EvalError(items.size() > t.items().size()
                            ? "too many values to unpack (expected " + t.items().size() + ")"
                            : "not enough values to unpack (expected " + t.items().size() + ", got " + items.size()
                                    + ")");
                }
                for (int i = 0; i < items.size(); i++) assign(t.items().get(i), items.get(i), scope);
            }
            case AttrTarget a -> {
                var obj = eval(a.object(), scope);
                if (!(obj instanceof Namespace ns)) {
                    throw new EvalError("cannot assign attribute on non-namespace object");
                }
                ns.attributes.put(a.attribute(), value);
            }
        }
    }

    // ---- expressions ----

    @Nullable Object eval(Expr expr, Scope scope) {
        try {
            return evalUnchecked(expr, scope);
        } catch (EvalError e) {
            throw new TemplateException(e.kind, e.getMessage(), expr.line(), expr.column());
        }
    }

    private @Nullable Object evalUnchecked(Expr expr, Scope scope) {
        switch (expr) {
            case Const c -> {
                return c.value();
            }
            case Name n -> {
                var v = scope.lookup(n.name());
                return v == Scope.MISSING ? Undefined.name(n.name()) : v;
            }
            case GetAttr g -> {
                return Builtins.getAttr(eval(g.object(), scope), g.attribute());
            }
            case GetItem g -> {
                return Builtins.getItem(eval(g.object(), scope), eval(g.key(), scope));
            }
            case Slice s -> {
                var obj = eval(s.object(), scope);
                return Builtins.slice(obj, evalOpt(s.start(), scope), evalOpt(s.stop(), scope), evalOpt(s.step(), scope));
            }
            case Call c -> {
                var callee = eval(c.callee(), scope);
                return call(callee, evalArgs(c, scope), evalKwargs(c, scope));
            }
            case Filter f -> {
                return applyFilter(eval(f.object(), scope), f.filter(), scope);
            }
            case Test t -> {
                var value = eval(t.object(), scope);
                var args = new ArrayList<@Nullable Object>(t.args().size());
                for (var a : t.args()) args.add(eval(a, scope));
                boolean r = Builtins.test(this, t.name(), value, args);
                return t.negated() != r;
            }
            case Binary b -> {
                return Operators.binary(this, b.op(), eval(b.left(), scope), eval(b.right(), scope));
            }
            case Concat c -> {
                var sb = new StringBuilder();
                for (var p : c.parts()) {
                    var v = eval(p, scope);
                    sb.append(PythonValues.str(v));
                    checkSize(sb.length());
                }
                return sb.toString();
            }
            case Unary u -> {
                return Operators.unary(u.op(), eval(u.operand(), scope));
            }
            case Compare c -> {
                var left = eval(c.first(), scope);
                for (int i = 0; i < c.ops().size(); i++) {
                    var right = eval(c.operands().get(i), scope);
                    if (!Operators.compare(c.ops().get(i), left, right)) return false;
                    left = right;
                }
                return true;
            }
            case And a -> {
                var left = eval(a.left(), scope);
                return PythonValues.truthy(left) ? eval(a.right(), scope) : left;
            }
            case Or o -> {
                var left = eval(o.left(), scope);
                return PythonValues.truthy(left) ? left : eval(o.right(), scope);
            }
            case Not n -> {
                return !PythonValues.truthy(eval(n.operand(), scope));
            }
            case CondExpr c -> {
                if (PythonValues.truthy(eval(c.condition(), scope))) return eval(c.then(), scope);
                return c.orElse() == null
                        ? new Undefined("the inline if expression evaluated to false and no else section was defined")
                        : eval(c.orElse(), scope);
            }
            case ListLit l -> {
                var list = new ArrayList<@Nullable Object>(l.items().size());
                for (var i : l.items()) list.add(eval(i, scope));
                return list;
            }
            case TupleLit t -> {
                var list = new PyTuple(t.items().size());
                for (var i : t.items()) list.add(eval(i, scope));
                return list;
            }
            case DictLit d -> {
                var map = new LinkedHashMap<@Nullable Object, @Nullable Object>();
                for (int i = 0; i < d.keys().size(); i++) {
                    map.put(Builtins.dictKey(eval(d.keys().get(i), scope)), eval(d.values().get(i), scope));
                }
                return map;
            }
        }
    }

    private @Nullable Object evalOpt(@Nullable Expr e, Scope scope) {
        return e == null ? null : eval(e, scope);
    }

    private List<@Nullable Object> evalArgs(Call c, Scope scope) {
        var args = new ArrayList<@Nullable Object>(c.args().size());
        for (var a : c.args()) args.add(eval(a, scope));
        if (c.starArgs() != null) args.addAll(iterate(eval(c.starArgs(), scope)));
        return args;
    }

    private Map<String, @Nullable Object> evalKwargs(Call c, Scope scope) {
        var kwargs = new LinkedHashMap<String, @Nullable Object>();
        for (var k : c.kwargs()) kwargs.put(k.name(), eval(k.value(), scope));
        if (c.starKwargs() != null) {
            if (!(eval(c.starKwargs(), scope) instanceof Map<?, ?> m)) {
                throw new EvalError("argument after ** must be a mapping");
            }
            for (var e : m.entrySet()) kwargs.put(PythonValues.str(e.getKey()), e.getValue());
        }
        return kwargs;
    }

    @Nullable Object applyFilter(@Nullable Object value, FilterCall f, Scope scope) {
        var args = new ArrayList<@Nullable Object>(f.args().size());
        for (var a : f.args()) args.add(eval(a, scope));
        var kwargs = new LinkedHashMap<String, @Nullable Object>();
        for (var k : f.kwargs()) kwargs.put(k.name(), eval(k.value(), scope));
        try {
            return Builtins.filter(this, f.name(), value, args, kwargs);
        } catch (EvalError e) {
            throw new TemplateException(e.kind, e.getMessage(), f.line(), f.column());
        }
    }

    // ---- calls ----

    @Nullable Object call(@Nullable Object callee, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
        tick();
        return switch (callee) {
            case Callable.Macro m -> callMacro(m, args, kwargs);
            case Callable.Global g -> Builtins.callGlobal(this, g.name(), args, kwargs);
            case Callable.Method m -> Builtins.callMethod(this, m.self(), m.name(), args, kwargs);
            case Loop l when l.recursive != null -> call(l.recursive, args, kwargs);
            case Callable.RecursiveLoop r -> {
                if (args.size() != 1) throw new EvalError("loop() takes exactly one argument");
                enterCall();
                try {
                    var out = new Out();
                    loop(r.node(), args.getFirst(), r.scope(), out, r.depth() + 1);
                    yield out.toString();
                } finally {
                    callDepth--;
                }
            }
            case Undefined u -> throw new EvalError(u.hint());
            case null, default -> throw new EvalError("'" + PythonValues.typeName(callee) + "' object is not callable");
        };
    }

    private void enterCall() {
        if (++callDepth > limits.maxCallDepth()) {
            callDepth = 0;
            throw new EvalError("calls nest deeper than the limit of " + limits.maxCallDepth(), Kind.LIMIT);
        }
    }

    private String callMacro(Callable.Macro m, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
        enterCall();
        try {
            var scope = new Scope(m.closure());
            var rest = new LinkedHashMap<>(kwargs);
            var params = m.params();
            for (int i = 0; i < params.size(); i++) {
                var p = params.get(i);
                if (i < args.size()) {
                    if (rest.containsKey(p.name())) {
                        throw new EvalError("macro '" + m.name() + "' got multiple values for argument '" + p.name()
                                + "'");
                    }
                    scope.set(p.name(), args.get(i));
                } else if (rest.containsKey(p.name())) {
                    scope.set(p.name(), rest.remove(p.name()));
                } else if (p.defaultValue() != null) {
                    scope.set(p.name(), eval(p.defaultValue(), scope));
                } else {
                    scope.set(p.name(), new Undefined("parameter '" + p.name() + "' was not provided"));
                }
            }
            if (rest.containsKey("caller")) scope.set("caller", rest.remove("caller"));
            scope.set("varargs", args.size() > params.size()
                    ? new PyTuple(args.subList(params.size(), args.size()))
                    : new PyTuple(0));
            scope.set("kwargs", new LinkedHashMap<@Nullable Object, @Nullable Object>(rest));
            var out = new Out();
            exec(m.body(), scope, out);
            return out.toString();
        } finally {
            callDepth--;
        }
    }
}
