/// Chat templates: a small Jinja interpreter written for Hugging Face chat templates, safe by construction.
///
/// Templates come from downloaded GGUF files and are untrusted. The interpreter therefore knows only its own
/// value types (strings, integers, floats, booleans, none, lists, dicts, namespaces, macros and a fixed set of
/// built-in functions); it never calls Java methods, uses no reflection, has no `include`/`import`/`extends`,
/// and stops a hostile template with a [dev.hearth.inference.chat.TemplateException] when it exceeds the
/// [dev.hearth.inference.chat.RenderLimits] (output size, loop iterations, call depth, time).
///
/// Entry points: [dev.hearth.inference.chat.ChatTemplate] (parse and render) and
/// [dev.hearth.inference.chat.ChatPromptFormatter] (render with fallbacks, as the engine uses it).
@NullMarked
package dev.hearth.inference.chat;

import org.jspecify.annotations.NullMarked;
