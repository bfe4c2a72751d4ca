-- Key result progress: typed in the check-in or automatic from business
-- events. Times are INTEGER microseconds, UTC; booleans INTEGER 0 or 1.

-- +goose Up
CREATE TABLE progress_updates (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    key_result_id INTEGER NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    author_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    value         REAL    NOT NULL,
    delta         REAL    NOT NULL DEFAULT 0,
    confidence    TEXT    NOT NULL DEFAULT '' CHECK (confidence IN ('', 'on_track', 'at_risk', 'off_track')),
    why           TEXT    NOT NULL DEFAULT '',
    evidence      TEXT    NOT NULL DEFAULT '',
    media_id      TEXT    NOT NULL DEFAULT '',
    late          INTEGER NOT NULL DEFAULT 0,
    no_evidence   INTEGER NOT NULL DEFAULT 0,
    automatic     INTEGER NOT NULL DEFAULT 0,
    source        TEXT    NOT NULL DEFAULT '',
    at            INTEGER NOT NULL,
    dedup_key     TEXT    UNIQUE
) STRICT;
CREATE INDEX progress_updates_kr_idx ON progress_updates (key_result_id, at);

-- +goose Down
DROP TABLE progress_updates;
