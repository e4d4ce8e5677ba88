/// The History section: every generation in the session log, searchable and filterable, with its run record,
/// token inspector, Replay, Compare and export.
@NullMarked
package dev.hearth.ui.history;

import org.jspecify.annotations.NullMarked;
