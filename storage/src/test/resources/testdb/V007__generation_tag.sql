ALTER TABLE generation ADD COLUMN tag TEXT;
CREATE INDEX generation_tag ON generation (tag);
