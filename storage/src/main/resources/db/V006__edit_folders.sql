-- The folders an applied edit created for its new files (relative to edit_apply.root, '/'-separated, parents first),
-- so that its undo removes them again when they are empty (after a restart too). Edits recorded before this
-- migration have none: their undo leaves folders as it did.

CREATE TABLE edit_folder (
    apply_id INTEGER NOT NULL REFERENCES edit_apply (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path     TEXT    NOT NULL,
    PRIMARY KEY (apply_id, position)
) WITHOUT ROWID;
