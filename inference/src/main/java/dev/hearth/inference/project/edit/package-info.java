/// Edits a model proposes in its answers, reviewed and applied to a project folder: [EditParser] finds them
/// (whole-file blocks that name a path, SEARCH/REPLACE blocks, unified diffs), [EditPlanner] turns them into a
/// [FileChange] per file with hunks to accept or reject, [EditApplier] writes the accepted ones (confined to the
/// project root, all files or none) after keeping a [Checkpoint] in an [EditJournal], and undoes an apply.
/// [GitCommitter] optionally commits an applied change; [EditFormatPrompt] teaches the model the format.
@NullMarked
package dev.hearth.inference.project.edit;

import org.jspecify.annotations.NullMarked;
