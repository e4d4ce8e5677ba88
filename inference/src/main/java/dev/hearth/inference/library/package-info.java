/// The local model library: Hearth's models folder, folders the user added, and model caches of other tools found on
/// the machine (LM Studio, the Hugging Face cache, llama.cpp's cache, Ollama), listed read-only. Import and remove,
/// metadata cached by size and modification time, and [ModelFit]: whether a model fits the GPUs and RAM.
@NullMarked
package dev.hearth.inference.library;

import org.jspecify.annotations.NullMarked;
