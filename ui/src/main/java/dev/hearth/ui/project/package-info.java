/// The Project section: a project folder's file tree with checkboxes, the files in context as chips with their
/// token counts, the budget bar, `@path` mentions, and a chat whose turns carry the project's context; and the review
/// of the edits an answer proposes ([ReviewView], [ReviewViewModel]) with their checkpoints kept in the session log
/// ([EditLogJournal]).
@NullMarked
package dev.hearth.ui.project;

import org.jspecify.annotations.NullMarked;
