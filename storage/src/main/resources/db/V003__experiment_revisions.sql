-- Experiments edited in place: each edit that is run adds a revision (its own variant rows with the setup they ran),
-- so earlier runs stay with the setup they were made with. SQLite cannot change a UNIQUE constraint in place, so
-- experiment_variant is rebuilt with a revision column (existing rows are revision 1). Dropping the old table sets
-- generation.variant_id to NULL (its ON DELETE SET NULL runs), so the links are kept aside and put back.
CREATE TEMP TABLE variant_link AS SELECT id, variant_id FROM generation WHERE variant_id IS NOT NULL;
CREATE TABLE experiment_variant_v2 (
    id            INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    label         TEXT    NOT NULL,
    settings      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    UNIQUE (experiment_id, revision, label)
);
INSERT INTO experiment_variant_v2 (id, experiment_id, revision, label, settings)
    SELECT id, experiment_id, 1, label, settings FROM experiment_variant;
DROP TABLE experiment_variant;
ALTER TABLE experiment_variant_v2 RENAME TO experiment_variant;
UPDATE generation SET variant_id = (SELECT l.variant_id FROM variant_link l WHERE l.id = generation.id)
    WHERE id IN (SELECT id FROM variant_link);
DROP TABLE variant_link;

-- A generation that continues another one from a token with a chosen alternative ("Continue with this token" in
-- Compare): it keeps the source's tokens before `token_index` and goes on from the alternative there.
CREATE TABLE generation_continuation (
    generation_id INTEGER PRIMARY KEY REFERENCES generation (id) ON DELETE CASCADE,
    source_id     INTEGER NOT NULL REFERENCES generation (id) ON DELETE CASCADE,
    token_index   INTEGER NOT NULL CHECK (token_index >= 0)
);
CREATE INDEX generation_continuation_source ON generation_continuation (source_id);
