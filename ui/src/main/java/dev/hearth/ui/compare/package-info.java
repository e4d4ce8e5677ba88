/// The Compare section: an experiment (a prompt with variables, a table of values, 2–4 variants) run side by side,
/// recorded in the session log, compared (word diff, summary table, ratings) and exported.
@NullMarked
package dev.hearth.ui.compare;

import org.jspecify.annotations.NullMarked;
