-- Hearth session log, schema 1. Times are epoch milliseconds (UTC). JSON columns hold objects with sorted keys.

CREATE TABLE model (
    id              INTEGER PRIMARY KEY,
    path            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    size_bytes      INTEGER NOT NULL DEFAULT 0,
    sha256          TEXT,
    gguf_summary    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(gguf_summary)),
    source_repo     TEXT,
    source_file     TEXT,
    source_revision TEXT,
    added_at        INTEGER NOT NULL
);
CREATE INDEX model_name ON model (name);

CREATE TABLE project (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    folder     TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE session (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT    NOT NULL UNIQUE,
    project_id INTEGER REFERENCES project (id) ON DELETE SET NULL,
    title      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX session_project ON session (project_id);
CREATE INDEX session_updated ON session (updated_at);

CREATE TABLE experiment (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    session_id INTEGER REFERENCES session (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE experiment_variant (
    id            INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiment (id) ON DELETE CASCADE,
    label         TEXT    NOT NULL,
    settings      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    UNIQUE (experiment_id, label)
);

CREATE TABLE generation (
    id                     INTEGER PRIMARY KEY,
    uuid                   TEXT    NOT NULL UNIQUE,
    session_id             INTEGER REFERENCES session (id) ON DELETE CASCADE,
    variant_id             INTEGER REFERENCES experiment_variant (id) ON DELETE SET NULL,
    model_id               INTEGER REFERENCES model (id) ON DELETE SET NULL,
    model_path             TEXT    NOT NULL,
    model_name             TEXT    NOT NULL,
    model_sha256           TEXT,
    native_build           TEXT    NOT NULL,
    engine                 TEXT    NOT NULL,
    load_options           TEXT    NOT NULL CHECK (json_valid(load_options)),
    sampling               TEXT    NOT NULL CHECK (json_valid(sampling)),
    seed                   INTEGER NOT NULL,
    prompt                 TEXT    NOT NULL,
    prompt_tokens          INTEGER NOT NULL,
    output                 TEXT,
    stop_reason            TEXT,
    status                 TEXT    NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'interrupted', 'failed')),
    failure_reason         TEXT,
    token_count            INTEGER NOT NULL DEFAULT 0,
    stat_prompt_tokens     INTEGER,
    stat_prompt_ms         REAL,
    stat_generated_tokens  INTEGER,
    stat_generated_ms      REAL,
    stat_tokens_per_s      REAL,
    stat_prompt_tokens_per_s REAL,
    stat_ttft_ms           REAL,
    started_at             INTEGER NOT NULL,
    ended_at               INTEGER,
    owner_pid              INTEGER,
    owner_started_at       INTEGER
);
CREATE INDEX generation_session ON generation (session_id, started_at);
CREATE INDEX generation_started ON generation (started_at);
CREATE INDEX generation_model ON generation (model_name, started_at);
CREATE INDEX generation_running ON generation (status) WHERE status = 'running';
CREATE INDEX generation_variant ON generation (variant_id);

-- Per-token data: one row per written batch; `data` is the binary format described in TokenCodec.
CREATE TABLE token_batch (
    generation_id INTEGER NOT NULL REFERENCES generation (id) ON DELETE CASCADE,
    first_index   INTEGER NOT NULL,
    token_count   INTEGER NOT NULL,
    data          BLOB    NOT NULL,
    PRIMARY KEY (generation_id, first_index)
) WITHOUT ROWID;

CREATE TABLE message (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES message (id) ON DELETE CASCADE,
    role          TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content       TEXT    NOT NULL,
    generation_id INTEGER REFERENCES generation (id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX message_session ON message (session_id, id);
CREATE INDEX message_parent ON message (parent_id);
CREATE INDEX message_generation ON message (generation_id);

CREATE TABLE rating (
    generation_id INTEGER PRIMARY KEY REFERENCES generation (id) ON DELETE CASCADE,
    score         INTEGER NOT NULL CHECK (score BETWEEN -1 AND 5),
    rated_at      INTEGER NOT NULL
);

CREATE TABLE note (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER REFERENCES session (id) ON DELETE CASCADE,
    generation_id INTEGER REFERENCES generation (id) ON DELETE CASCADE,
    text          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    CHECK ((session_id IS NULL) <> (generation_id IS NULL))
);
CREATE INDEX note_session ON note (session_id);
CREATE INDEX note_generation ON note (generation_id);

-- Full-text search over prompts and outputs (external content: the text lives once, in generation).
CREATE VIRTUAL TABLE generation_fts USING fts5 (
    prompt, output,
    content = 'generation', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER generation_fts_insert AFTER INSERT ON generation BEGIN
    INSERT INTO generation_fts (rowid, prompt, output) VALUES (new.id, new.prompt, coalesce(new.output, ''));
END;
CREATE TRIGGER generation_fts_delete AFTER DELETE ON generation BEGIN
    INSERT INTO generation_fts (generation_fts, rowid, prompt, output)
    VALUES ('delete', old.id, old.prompt, coalesce(old.output, ''));
END;
CREATE TRIGGER generation_fts_update AFTER UPDATE OF prompt, output ON generation BEGIN
    INSERT INTO generation_fts (generation_fts, rowid, prompt, output)
    VALUES ('delete', old.id, old.prompt, coalesce(old.output, ''));
    INSERT INTO generation_fts (rowid, prompt, output) VALUES (new.id, new.prompt, coalesce(new.output, ''));
END;
