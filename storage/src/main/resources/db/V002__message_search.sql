-- Full-text search over chat message bodies, for the chat's session search (external content: the text lives once,
-- in message). Kept in step by triggers; filled from the messages already written.
CREATE VIRTUAL TABLE message_fts USING fts5 (
    content,
    content = 'message', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN
    INSERT INTO message_fts (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN
    INSERT INTO message_fts (message_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER message_fts_update AFTER UPDATE OF content ON message BEGIN
    INSERT INTO message_fts (message_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO message_fts (rowid, content) VALUES (new.id, new.content);
END;
INSERT INTO message_fts (message_fts) VALUES ('rebuild');
