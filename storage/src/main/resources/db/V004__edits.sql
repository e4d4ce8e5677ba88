-- Applied edits (project sessions): one row per apply, with a checkpoint of every file it wrote so that it can be
-- undone after a restart. An edit outlives the session and generation it came from (SET NULL): undo must stay possible.

CREATE TABLE edit_apply (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER REFERENCES session (id) ON DELETE SET NULL,
    generation_id INTEGER REFERENCES generation (id) ON DELETE SET NULL,
    root          TEXT    NOT NULL,
    applied_at    INTEGER NOT NULL,
    undone_at     INTEGER,
    git_commit    TEXT
);
CREATE INDEX edit_apply_session ON edit_apply (session_id, applied_at);

-- before_sha256 NULL: the file did not exist (before is NULL too); after_sha256 NULL: the apply deleted it.
CREATE TABLE edit_file (
    apply_id      INTEGER NOT NULL REFERENCES edit_apply (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    path          TEXT    NOT NULL,
    before_sha256 TEXT,
    after_sha256  TEXT,
    before        BLOB,
    PRIMARY KEY (apply_id, position),
    CHECK ((before IS NULL) = (before_sha256 IS NULL))
) WITHOUT ROWID;
