/// Models loaded in engine worker processes, as the window sees them: loading with progress and cancel, the engine's
/// state, unloading, and what happens when a worker dies.
@NullMarked
package dev.hearth.ui.engine;

import org.jspecify.annotations.NullMarked;
