/// Hearth's `app` module.
@NullMarked
package dev.hearth.app;

import org.jspecify.annotations.NullMarked;
