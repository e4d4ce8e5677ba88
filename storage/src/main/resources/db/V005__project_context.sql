-- Project sessions: when each project was last opened (the recent list), and what was in each generation's
-- context: the project's files (path and content hash) and the repo map's budget.

ALTER TABLE project ADD COLUMN opened_at INTEGER;

CREATE TABLE generation_context (
    generation_id   INTEGER PRIMARY KEY REFERENCES generation (id) ON DELETE CASCADE,
    project_id      INTEGER REFERENCES project (id) ON DELETE SET NULL,
    repo_map_budget INTEGER,
    repo_map_tokens INTEGER
);

CREATE TABLE generation_context_file (
    generation_id INTEGER NOT NULL REFERENCES generation (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    path          TEXT    NOT NULL,
    sha256        TEXT    NOT NULL,
    tokens        INTEGER NOT NULL,
    PRIMARY KEY (generation_id, position)
);
