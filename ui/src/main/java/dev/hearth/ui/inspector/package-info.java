/// The token inspector: generated tokens coloured by probability or entropy, each position's alternatives, and how
/// a rendered prompt was tokenised.
@NullMarked
package dev.hearth.ui.inspector;

import org.jspecify.annotations.NullMarked;
