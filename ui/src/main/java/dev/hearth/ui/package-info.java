/// Hearth's `ui` module.
@NullMarked
package dev.hearth.ui;

import org.jspecify.annotations.NullMarked;
