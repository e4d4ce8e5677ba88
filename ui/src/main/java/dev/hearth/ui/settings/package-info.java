/// The user's settings and where they are kept.
@NullMarked
package dev.hearth.ui.settings;

import org.jspecify.annotations.NullMarked;
