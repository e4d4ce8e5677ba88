/// GGUF model files: reading and validating them ([GgufReader], [GgufFile], [ModelInfo]),
/// writing them ([GgufWriter]) and generating small random-weight llama models for tests,
/// demos and benchmarks ([FixtureModel]).
///
/// The reader is the guard in front of llama.cpp: a file it accepts has a consistent structure
/// and none of the vocabulary defects that make llama.cpp abort the process.
@NullMarked
package dev.hearth.inference.gguf;

import org.jspecify.annotations.NullMarked;
