/// The Project section's views: reviewing the edits an answer proposes ([ReviewView], [ReviewViewModel]) with their
/// checkpoints kept in the session log ([EditLogJournal]).
@NullMarked
package dev.hearth.ui.project;

import org.jspecify.annotations.NullMarked;
