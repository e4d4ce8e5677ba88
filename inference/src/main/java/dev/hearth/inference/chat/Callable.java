package dev.hearth.inference.chat;

import dev.hearth.inference.chat.Ast.Node;
import dev.hearth.inference.chat.Ast.Param;
import java.util.List;

/// Everything a template can call: its own macros, the fixed globals, and the methods of its own value types.
/// There is no other way to run code from a template.
sealed interface Callable {
    /// A `{% macro %}` (or the `caller` of a `{% call %}` block) with the scope it was defined in.
    record Macro(String name, List<Param> params, List<Node> body, Scope closure) implements Callable {}

    /// One of the globals: `range`, `namespace`, `raise_exception`, `strftime_now`, `dict`.
    record Global(String name) implements Callable {}

    /// A method of a string, list or dict value, such as `'a b'.split` or `message.items`.
    record Method(Object self, String name) implements Callable {}

    /// `loop` itself in a `{% for ... recursive %}` loop: calling it renders the loop body over new items.
    record RecursiveLoop(Ast.For node, Scope scope, int depth) implements Callable {}
}
