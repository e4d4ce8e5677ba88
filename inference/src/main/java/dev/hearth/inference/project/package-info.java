/// Prompt assembly for a project folder: which files Hearth may include (ignore rules, binaries, size, links
/// leading outside), their token counts with the loaded model's tokenizer, the context budget, and the repo map.
/// No JavaFX: the window and the `hearth project` commands build the same context from here.
@NullMarked
package dev.hearth.inference.project;

import org.jspecify.annotations.NullMarked;
