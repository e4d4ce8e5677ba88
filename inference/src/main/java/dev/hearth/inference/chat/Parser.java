package dev.hearth.inference.chat;

import dev.hearth.inference.chat.Ast.*;
import dev.hearth.inference.chat.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/// A recursive-descent parser that follows Jinja2's own grammar and operator precedence
/// (`jinja2/parser.py`), restricted to what chat templates need. Nesting depth is bounded.
final class Parser {
    private static final java.util.Set<String> REFUSED =
            java.util.Set.of("include", "import", "from", "extends", "block", "do", "trans", "pluralize");

    private final List<Token> tokens;
    private final int maxDepth;
    private int pos;
    private int depth;

    private Parser(List<Token> tokens, int maxDepth) {
        this.tokens = tokens;
        this.maxDepth = maxDepth;
    }

    static List<Node> parse(List<Token> tokens, int maxDepth) {
        var parser = new Parser(tokens, maxDepth);
        var body = parser.subparse(java.util.Set.of());
        var t = parser.current();
        if (t.kind() != Kind.EOF) {
            throw parser.error("unexpected '" + parser.peek(1).text() + "' (no block is open)", parser.peek(1));
        }
        return body;
    }

    // ---- statements ----

    /// Parses nodes until a block tag whose name is in `ends` (left as the current token, after `{%`), or EOF.
    private List<Node> subparse(java.util.Set<String> ends) {
        var body = new ArrayList<Node>();
        while (true) {
            var t = current();
            switch (t.kind()) {
                case EOF -> {
                    if (!ends.isEmpty()) {
                        throw error("unexpected end of template, expected " + describeEnds(ends), t);
                    }
                    return body;
                }
                case DATA -> {
                    body.add(new Text(t.text(), t.line(), t.column()));
                    pos++;
                }
                case VAR_BEGIN -> {
                    pos++;
                    var expr = parseTuple(false, true, List.of(), false);
                    expect(Kind.VAR_END, "'}}'");
                    body.add(new Output(expr, t.line(), t.column()));
                }
                case BLOCK_BEGIN -> {
                    var name = peek(1);
                    if (name.kind() == Kind.NAME && ends.contains(name.text())) {
                        pos++;
                        return body;
                    }
                    if (name.kind() == Kind.NAME && isEndTag(name.text())) {
                        throw error(
                                "unexpected '" + name.text() + "'"
                                        + (ends.isEmpty() ? " (no block is open)" : ", expected " + describeEnds(ends)),
                                name);
                    }
                    pos++;
                    body.add(statement());
                }
                default -> throw error("unexpected " + t.describe(), t);
            }
        }
    }

    private static boolean isEndTag(String name) {
        return name.startsWith("end") || name.equals("else") || name.equals("elif");
    }

    private static String describeEnds(java.util.Set<String> ends) {
        var sorted = new ArrayList<>(ends);
        java.util.Collections.sort(sorted);
        return String.join(" or ", sorted.stream().map(e -> "'" + e + "'").toList());
    }

    private Node statement() {
        var t = current();
        if (t.kind() != Kind.NAME) throw error("expected a statement name after '{%'", t);
        enter(t);
        try {
            return switch (t.text()) {
                case "if" -> parseIf();
                case "for" -> parseFor();
                case "set" -> parseSet();
                case "macro" -> parseMacro();
                case "call" -> parseCallBlock();
                case "filter" -> parseFilterBlock();
                case "with" -> parseWith();
                case "generation" -> parseScope("endgeneration");
                case "autoescape" -> {
                    pos++;
                    parseExpression(true);
                    pos--;
                    yield parseScope("endautoescape");
                }
                case "break" -> {
                    pos++;
                    expectBlockEnd();
                    yield new Break(t.line(), t.column());
                }
                case "continue" -> {
                    pos++;
                    expectBlockEnd();
                    yield new Continue(t.line(), t.column());
                }
                default -> {
                    if (REFUSED.contains(t.text())) {
                        throw error("'" + t.text() + "' is not allowed in chat templates", t);
                    }
                    throw error("unknown tag '" + t.text() + "'", t);
                }
            };
        } finally {
            depth--;
        }
    }

    private Node parseIf() {
        var start = next();
        var conditions = new ArrayList<Expr>();
        var bodies = new ArrayList<List<Node>>();
        List<Node> orElse = List.of();
        conditions.add(parseTuple(false, false, List.of(), false));
        expectBlockEnd();
        while (true) {
            bodies.add(subparse(java.util.Set.of("elif", "else", "endif")));
            var tag = next();
            if (tag.text().equals("elif")) {
                conditions.add(parseTuple(false, false, List.of(), false));
                expectBlockEnd();
            } else if (tag.text().equals("else")) {
                expectBlockEnd();
                orElse = subparse(java.util.Set.of("endif"));
                next();
                expectBlockEnd();
                break;
            } else {
                expectBlockEnd();
                break;
            }
        }
        return new If(conditions, bodies, orElse, start.line(), start.column());
    }

    private Node parseFor() {
        var start = next();
        var target = parseAssignTarget(false, List.of("in"));
        expectName("in");
        var iterable = parseTuple(false, false, List.of("recursive"), false);
        Expr filter = null;
        if (skipName("if")) filter = parseExpression(true);
        boolean recursive = skipName("recursive");
        expectBlockEnd();
        var body = subparse(java.util.Set.of("endfor", "else"));
        List<Node> orElse = List.of();
        if (next().text().equals("else")) {
            expectBlockEnd();
            orElse = subparse(java.util.Set.of("endfor"));
            next();
        }
        expectBlockEnd();
        return new For(target, iterable, filter, body, orElse, recursive, start.line(), start.column());
    }

    private Node parseSet() {
        var start = next();
        var target = parseAssignTarget(true, List.of());
        if (current().isOp("=")) {
            pos++;
            var value = parseTuple(false, true, List.of(), false);
            expectBlockEnd();
            return new Set(target, value, start.line(), start.column());
        }
        var filters = new ArrayList<FilterCall>();
        while (current().isOp("|")) {
            pos++;
            filters.add(parseFilterCall());
        }
        expectBlockEnd();
        var body = subparse(java.util.Set.of("endset"));
        next();
        expectBlockEnd();
        return new SetBlock(target, filters, body, start.line(), start.column());
    }

    private Node parseMacro() {
        var start = next();
        var name = expectKind(Kind.NAME, "a macro name").text();
        var params = parseSignature();
        expectBlockEnd();
        var body = subparse(java.util.Set.of("endmacro"));
        next();
        skipIfName(name);
        expectBlockEnd();
        return new MacroDef(name, params, body, start.line(), start.column());
    }

    private void skipIfName(String name) {
        if (current().isName(name)) pos++;
    }

    private List<Param> parseSignature() {
        expectOp("(");
        var params = new ArrayList<Param>();
        while (!current().isOp(")")) {
            if (!params.isEmpty()) expectOp(",");
            if (current().isOp(")")) break;
            var name = expectKind(Kind.NAME, "a parameter name").text();
            Expr def = null;
            if (current().isOp("=")) {
                pos++;
                def = parseExpression(true);
            } else if (params.stream().anyMatch(p -> p.defaultValue() != null)) {
                throw error("parameter without a default follows one with a default", previous());
            }
            params.add(new Param(name, def));
        }
        pos++;
        return params;
    }

    private Node parseCallBlock() {
        var start = next();
        List<Param> params = current().isOp("(") ? parseSignature() : List.of();
        var call = parseExpression(true);
        if (!(call instanceof Call)) throw error("expected a macro call after 'call'", start);
        expectBlockEnd();
        var body = subparse(java.util.Set.of("endcall"));
        next();
        expectBlockEnd();
        return new CallBlock(params, call, body, start.line(), start.column());
    }

    private Node parseFilterBlock() {
        var start = next();
        var filters = new ArrayList<FilterCall>();
        filters.add(parseFilterCall());
        while (current().isOp("|")) {
            pos++;
            filters.add(parseFilterCall());
        }
        expectBlockEnd();
        var body = subparse(java.util.Set.of("endfilter"));
        next();
        expectBlockEnd();
        return new FilterBlock(filters, body, start.line(), start.column());
    }

    private Node parseWith() {
        var start = next();
        var targets = new ArrayList<Target>();
        var values = new ArrayList<Expr>();
        while (current().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) expectOp(",");
            targets.add(parseAssignTarget(false, List.of()));
            expectOp("=");
            values.add(parseExpression(true));
        }
        expectBlockEnd();
        var body = subparse(java.util.Set.of("endwith"));
        next();
        expectBlockEnd();
        return new With(targets, values, body, start.line(), start.column());
    }

    private Node parseScope(String end) {
        var start = next();
        expectBlockEnd();
        var body = subparse(java.util.Set.of(end));
        next();
        expectBlockEnd();
        return new Block(body, start.line(), start.column());
    }

    private Target parseAssignTarget(boolean withNamespace, List<String> extraEnds) {
        var t = current();
        if (withNamespace && t.kind() == Kind.NAME && peek(1).isOp(".") && peek(2).kind() == Kind.NAME) {
            pos += 3;
            return new AttrTarget(new Name(t.text(), t.line(), t.column()), peek(-1).text(), t.line(), t.column());
        }
        var items = new ArrayList<Target>();
        boolean isTuple = false;
        boolean paren = false;
        if (current().isOp("(")) {
            paren = true;
            pos++;
        }
        while (true) {
            if (!items.isEmpty()) expectOp(",");
            var c = current();
            if (c.kind() != Kind.NAME || extraEnds.contains(c.text())) {
                if (items.isEmpty()) throw error("can't assign to " + c.describe(), c);
                break;
            }
            items.add(new NameTarget(c.text()));
            pos++;
            if (current().isOp(",")) {
                isTuple = true;
            } else {
                break;
            }
        }
        if (paren) expectOp(")");
        return isTuple || items.size() > 1 ? new TupleTarget(items) : items.getFirst();
    }

    // ---- expressions ----

    private Expr parseTuple(boolean simplified, boolean withCondExpr, List<String> extraEnds, boolean explicitParens) {
        var t = current();
        var args = new ArrayList<Expr>();
        boolean isTuple = false;
        while (true) {
            if (!args.isEmpty()) expectOp(",");
            if (isTupleEnd(extraEnds)) break;
            args.add(simplified ? parsePrimary() : parseExpression(withCondExpr));
            if (current().isOp(",")) {
                isTuple = true;
            } else {
                break;
            }
        }
        if (!isTuple) {
            if (!args.isEmpty()) return args.getFirst();
            if (!explicitParens) throw error("expected an expression, got " + current().describe(), current());
        }
        return new TupleLit(args, t.line(), t.column());
    }

    private boolean isTupleEnd(List<String> extraEnds) {
        var t = current();
        return t.kind() == Kind.VAR_END
                || t.kind() == Kind.BLOCK_END
                || t.kind() == Kind.EOF
                || t.isOp(")")
                || (t.kind() == Kind.NAME && extraEnds.contains(t.text()));
    }

    private Expr parseExpression(boolean withCondExpr) {
        var t = current();
        enter(t);
        try {
            return withCondExpr ? parseCondExpr() : parseOr();
        } finally {
            depth--;
        }
    }

    private Expr parseCondExpr() {
        var expr = parseOr();
        while (current().isName("if")) {
            var t = next();
            var cond = parseOr();
            Expr orElse = null;
            if (skipName("else")) orElse = parseCondExpr();
            expr = new CondExpr(cond, expr, orElse, t.line(), t.column());
        }
        return expr;
    }

    private Expr parseOr() {
        var left = parseAnd();
        while (current().isName("or")) {
            var t = next();
            left = new Or(left, parseAnd(), t.line(), t.column());
        }
        return left;
    }

    private Expr parseAnd() {
        var left = parseNot();
        while (current().isName("and")) {
            var t = next();
            left = new And(left, parseNot(), t.line(), t.column());
        }
        return left;
    }

    private Expr parseNot() {
        if (current().isName("not")) {
            var t = next();
            enter(t);
            try {
                return new Not(parseNot(), t.line(), t.column());
            } finally {
                depth--;
            }
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        var start = current();
        var first = parseMath1();
        List<String> ops = null;
        List<Expr> operands = null;
        while (true) {
            var t = current();
            String op;
            if (t.kind() == Kind.OP && isCompareOp(t.text())) {
                op = t.text();
                pos++;
            } else if (t.isName("in")) {
                op = "in";
                pos++;
            } else if (t.isName("not") && peek(1).isName("in")) {
                op = "not in";
                pos += 2;
            } else {
                break;
            }
            if (ops == null) {
                ops = new ArrayList<>();
                operands = new ArrayList<>();
            }
            ops.add(op);
            operands.add(parseMath1());
        }
        if (ops == null) return first;
        return new Compare(first, ops, operands, start.line(), start.column());
    }

    private static boolean isCompareOp(String s) {
        return switch (s) {
            case "==", "!=", "<", "<=", ">", ">=" -> true;
            default -> false;
        };
    }

    private Expr parseMath1() {
        var left = parseConcat();
        while (current().isOp("+") || current().isOp("-")) {
            var t = next();
            left = new Binary(t.text(), left, parseConcat(), t.line(), t.column());
        }
        return left;
    }

    private Expr parseConcat() {
        var start = current();
        var first = parseMath2();
        if (!current().isOp("~")) return first;
        var parts = new ArrayList<Expr>();
        parts.add(first);
        while (current().isOp("~")) {
            pos++;
            parts.add(parseMath2());
        }
        return new Concat(parts, start.line(), start.column());
    }

    private Expr parseMath2() {
        var left = parsePow();
        while (true) {
            var t = current();
            if (t.isOp("*") || t.isOp("/") || t.isOp("//") || t.isOp("%")) {
                pos++;
                left = new Binary(t.text(), left, parsePow(), t.line(), t.column());
            } else {
                return left;
            }
        }
    }

    private Expr parsePow() {
        var left = parseUnary(true);
        while (current().isOp("**")) {
            var t = next();
            left = new Binary("**", left, parseUnary(true), t.line(), t.column());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        var t = current();
        enter(t);
        try {
            Expr node;
            if (t.isOp("-") || t.isOp("+")) {
                pos++;
                node = new Unary(t.text(), parseUnary(false), t.line(), t.column());
            } else {
                node = parsePrimary();
            }
            node = parsePostfix(node);
            if (withFilter) node = parseFilterExpr(node);
            return node;
        } finally {
            depth--;
        }
    }

    private Expr parsePrimary() {
        var t = current();
        switch (t.kind()) {
            case NAME -> {
                pos++;
                return switch (t.text()) {
                    case "true", "True" -> new Const(Boolean.TRUE, t.line(), t.column());
                    case "false", "False" -> new Const(Boolean.FALSE, t.line(), t.column());
                    case "none", "None" -> new Const(null, t.line(), t.column());
                    default -> new Name(t.text(), t.line(), t.column());
                };
            }
            case STRING -> {
                var sb = new StringBuilder();
                while (current().kind() == Kind.STRING) sb.append(next().text());
                return new Const(sb.toString(), t.line(), t.column());
            }
            case INT -> {
                pos++;
                try {
                    return new Const(Long.parseLong(t.text()), t.line(), t.column());
                } catch (NumberFormatException e) {
                    throw error("integer literal too large: " + t.text(), t);
                }
            }
            case FLOAT -> {
                pos++;
                return new Const(Double.parseDouble(t.text()), t.line(), t.column());
            }
            case OP -> {
                switch (t.text()) {
                    case "(" -> {
                        pos++;
                        var inner = parseTuple(false, true, List.of(), true);
                        expectOp(")");
                        return inner;
                    }
                    case "[" -> {
                        pos++;
                        var items = new ArrayList<Expr>();
                        while (!current().isOp("]")) {
                            if (!items.isEmpty()) expectOp(",");
                            if (current().isOp("]")) break;
                            items.add(parseExpression(true));
                        }
                        pos++;
                        return new ListLit(items, t.line(), t.column());
                    }
                    case "{" -> {
                        pos++;
                        var keys = new ArrayList<Expr>();
                        var values = new ArrayList<Expr>();
                        while (!current().isOp("}")) {
                            if (!keys.isEmpty()) expectOp(",");
                            if (current().isOp("}")) break;
                            keys.add(parseExpression(true));
                            expectOp(":");
                            values.add(parseExpression(true));
                        }
                        pos++;
                        return new DictLit(keys, values, t.line(), t.column());
                    }
                    default -> throw error("unexpected " + t.describe(), t);
                }
            }
            default -> throw error("unexpected " + t.describe(), t);
        }
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            var t = current();
            if (t.isOp(".") || t.isOp("[")) {
                node = parseSubscript(node);
            } else if (t.isOp("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            var t = current();
            if (t.isOp("|")) {
                pos++;
                node = new Filter(node, parseFilterCall(), t.line(), t.column());
            } else if (t.isName("is")) {
                node = parseTest(node);
            } else if (t.isOp("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node) {
        var t = next();
        if (t.isOp(".")) {
            var a = current();
            if (a.kind() == Kind.NAME) {
                pos++;
                return new GetAttr(node, a.text(), t.line(), t.column());
            }
            if (a.kind() == Kind.INT) {
                pos++;
                return new GetItem(node, new Const(Long.parseLong(a.text()), a.line(), a.column()), t.line(), t.column());
            }
            throw error("expected a name after '.'", a);
        }
        var args = new ArrayList<Expr>();
        while (!current().isOp("]")) {
            if (!args.isEmpty()) expectOp(",");
            if (current().isOp("]")) break;
            args.add(parseSubscribed(node, t));
        }
        pos++;
        if (args.isEmpty()) throw error("expected a subscript", t);
        if (args.size() == 1) {
            var a = args.getFirst();
            return a instanceof Slice ? a : new GetItem(node, a, t.line(), t.column());
        }
        if (args.stream().anyMatch(a -> a instanceof Slice)) throw error("a slice must be the only subscript", t);
        return new GetItem(node, new TupleLit(args, t.line(), t.column()), t.line(), t.column());
    }

    private Expr parseSubscribed(Expr object, Token open) {
        Expr start = null;
        if (current().isOp(":")) {
            pos++;
        } else {
            var e = parseExpression(true);
            if (!current().isOp(":")) return e;
            pos++;
            start = e;
        }
        Expr stop = null;
        Expr step = null;
        if (!current().isOp(":") && !current().isOp("]") && !current().isOp(",")) stop = parseExpression(true);
        if (current().isOp(":")) {
            pos++;
            if (!current().isOp("]") && !current().isOp(",")) step = parseExpression(true);
        }
        return new Slice(object, start, stop, step, open.line(), open.column());
    }

    private Expr parseCall(Expr callee) {
        pos++;
        var args = new ArrayList<Expr>();
        var kwargs = new ArrayList<Keyword>();
        Expr star = null;
        Expr starStar = null;
        boolean first = true;
        while (!current().isOp(")")) {
            if (!first) expectOp(",");
            first = false;
            if (current().isOp(")")) break;
            var c = current();
            if (c.isOp("*")) {
                pos++;
                star = parseExpression(true);
            } else if (c.isOp("**")) {
                pos++;
                starStar = parseExpression(true);
            } else if (c.kind() == Kind.NAME && peek(1).isOp("=")) {
                pos += 2;
                kwargs.add(new Keyword(c.text(), parseExpression(true)));
            } else {
                if (!kwargs.isEmpty()) throw error("positional argument after keyword argument", c);
                args.add(parseExpression(true));
            }
        }
        pos++;
        return new Call(callee, args, kwargs, star, starStar, callee.line(), callee.column());
    }

    private FilterCall parseFilterCall() {
        var t = expectKind(Kind.NAME, "a filter name");
        var name = t.text();
        while (current().isOp(".")) {
            pos++;
            name += "." + expectKind(Kind.NAME, "a name").text();
        }
        if (!Builtins.FILTERS.contains(name)) throw error("no filter named '" + name + "'", t);
        if (current().isOp("(")) {
            var call = (Call) parseCall(new Name(name, t.line(), t.column()));
            if (call.starArgs() != null || call.starKwargs() != null) {
                throw error("*args and **kwargs are not supported in filters", t);
            }
            return new FilterCall(name, call.args(), call.kwargs(), t.line(), t.column());
        }
        return new FilterCall(name, List.of(), List.of(), t.line(), t.column());
    }

    private Expr parseTest(Expr node) {
        var is = next();
        boolean negated = skipName("not");
        var t = expectKind(Kind.NAME, "a test name");
        var name = t.text();
        while (current().isOp(".")) {
            pos++;
            name += "." + expectKind(Kind.NAME, "a name").text();
        }
        if (!Builtins.TESTS.contains(name)) throw error("no test named '" + name + "'", t);
        List<Expr> args = List.of();
        var c = current();
        if (c.isOp("(")) {
            var call = (Call) parseCall(new Name(name, t.line(), t.column()));
            args = call.args();
        } else if ((c.kind() == Kind.NAME
                                || c.kind() == Kind.STRING
                                || c.kind() == Kind.INT
                                || c.kind() == Kind.FLOAT
                                || c.isOp("(")
                                || c.isOp("[")
                                || c.isOp("{"))
                        && !c.isName("else")
                        && !c.isName("or")
                        && !c.isName("and")) {
            if (c.isName("is")) throw error("you cannot chain multiple tests with 'is'", c);
            args = List.of(parsePostfix(parsePrimary()));
        }
        return new Test(node, name, args, negated, is.line(), is.column());
    }

    // ---- tokens ----

    private void enter(Token t) {
        if (++depth > maxDepth) {
            depth = 0;
            throw error("template nests deeper than " + maxDepth + " levels", t);
        }
    }

    private Token current() {
        return tokens.get(pos);
    }

    private Token previous() {
        return tokens.get(Math.max(0, pos - 1));
    }

    private Token peek(int k) {
        int i = Math.min(Math.max(pos + k, 0), tokens.size() - 1);
        return tokens.get(i);
    }

    private Token next() {
        var t = tokens.get(pos);
        if (t.kind() != Kind.EOF) pos++;
        return t;
    }

    private boolean skipName(String name) {
        if (current().isName(name)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectName(String name) {
        if (!current().isName(name)) throw error("expected '" + name + "', got " + current().describe(), current());
        pos++;
    }

    private void expectOp(String op) {
        if (!current().isOp(op)) throw error("expected '" + op + "', got " + current().describe(), current());
        pos++;
    }

    private Token expectKind(Kind kind, String what) {
        var t = current();
        if (t.kind() != kind) throw error("expected " + what + ", got " + t.describe(), t);
        pos++;
        return t;
    }

    private void expect(Kind kind, String what) {
        expectKind(kind, what);
    }

    private void expectBlockEnd() {
        expect(Kind.BLOCK_END, "end of statement '%}'");
    }

    private TemplateException error(String message, Token at) {
        return new TemplateException(message, at.line(), at.column());
    }
}
