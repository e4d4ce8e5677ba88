package dev.hearth.inference.chat;

import java.util.List;
import org.jspecify.annotations.Nullable;

/// The parsed template: statements ([Node]) and expressions ([Expr]). Every node knows its line and column.
final class Ast {
    private Ast() {}

    sealed interface Node {
        int line();

        int column();
    }

    record Text(String text, int line, int column) implements Node {}

    record Output(Expr expr, int line, int column) implements Node {}

    record If(List<Expr> conditions, List<List<Node>> bodies, List<Node> orElse, int line, int column)
            implements Node {}

    record For(
            Target target,
            Expr iterable,
            @Nullable Expr filter,
            List<Node> body,
            List<Node> orElse,
            boolean recursive,
            int line,
            int column)
            implements Node {}

    record Set(Target target, Expr value, int line, int column) implements Node {}

    record SetBlock(Target target, List<FilterCall> filters, List<Node> body, int line, int column)
            implements Node {}

    record MacroDef(String name, List<Param> params, List<Node> body, int line, int column) implements Node {}

    record CallBlock(List<Param> params, Expr call, List<Node> body, int line, int column) implements Node {}

    record FilterBlock(List<FilterCall> filters, List<Node> body, int line, int column) implements Node {}

    record With(List<Target> targets, List<Expr> values, List<Node> body, int line, int column) implements Node {}

    /// `{% generation %}` from transformers' AssistantTracker: renders its body.
    record Block(List<Node> body, int line, int column) implements Node {}

    record Break(int line, int column) implements Node {}

    record Continue(int line, int column) implements Node {}

    /// An assignment target: a name, `ns.attr`, or a tuple of targets.
    sealed interface Target {}

    record NameTarget(String name) implements Target {}

    record AttrTarget(Expr object, String attribute, int line, int column) implements Target {}

    record TupleTarget(List<Target> items) implements Target {}

    record Param(String name, @Nullable Expr defaultValue) {}

    record Keyword(String name, Expr value) {}

    record FilterCall(String name, List<Expr> args, List<Keyword> kwargs, int line, int column) {}

    sealed interface Expr {
        int line();

        int column();
    }

    record Const(@Nullable Object value, int line, int column) implements Expr {}

    record Name(String name, int line, int column) implements Expr {}

    record GetAttr(Expr object, String attribute, int line, int column) implements Expr {}

    record GetItem(Expr object, Expr key, int line, int column) implements Expr {}

    record Slice(Expr object, @Nullable Expr start, @Nullable Expr stop, @Nullable Expr step, int line, int column)
            implements Expr {}

    record Call(
            Expr callee,
            List<Expr> args,
            List<Keyword> kwargs,
            @Nullable Expr starArgs,
            @Nullable Expr starKwargs,
            int line,
            int column)
            implements Expr {}

    record Filter(Expr object, FilterCall filter, int line, int column) implements Expr {}

    record Test(Expr object, String name, List<Expr> args, boolean negated, int line, int column) implements Expr {}

    record Binary(String op, Expr left, Expr right, int line, int column) implements Expr {}

    record Concat(List<Expr> parts, int line, int column) implements Expr {}

    record Unary(String op, Expr operand, int line, int column) implements Expr {}

    record Compare(Expr first, List<String> ops, List<Expr> operands, int line, int column) implements Expr {}

    record And(Expr left, Expr right, int line, int column) implements Expr {}

    record Or(Expr left, Expr right, int line, int column) implements Expr {}

    record Not(Expr operand, int line, int column) implements Expr {}

    record CondExpr(Expr condition, Expr then, @Nullable Expr orElse, int line, int column) implements Expr {}

    record ListLit(List<Expr> items, int line, int column) implements Expr {}

    record TupleLit(List<Expr> items, int line, int column) implements Expr {}

    record DictLit(List<Expr> keys, List<Expr> values, int line, int column) implements Expr {}
}
