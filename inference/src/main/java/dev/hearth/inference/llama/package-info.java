/// The llama.cpp binding: the only package that uses `java.lang.foreign`. Not API: callers use
/// [dev.hearth.inference.Engine]. Written for llama.cpp build b4916 as shipped by java-llama.cpp 4.2.0.
@NullMarked
package dev.hearth.inference.llama;

import org.jspecify.annotations.NullMarked;
