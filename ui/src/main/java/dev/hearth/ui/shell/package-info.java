/// The main window (navigation, status bar) .
@NullMarked
package dev.hearth.ui.shell;

import org.jspecify.annotations.NullMarked;
