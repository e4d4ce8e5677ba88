/// Hearth's `inference` module.
@NullMarked
package dev.hearth.inference;

import org.jspecify.annotations.NullMarked;
