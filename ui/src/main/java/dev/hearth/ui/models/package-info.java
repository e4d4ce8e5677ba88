/// The Models section: the GGUF files in the models folder and any file the user inspects.
@NullMarked
package dev.hearth.ui.models;

import org.jspecify.annotations.NullMarked;
