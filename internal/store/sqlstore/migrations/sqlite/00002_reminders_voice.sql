-- A round someone asked to be reminded of later, and voice notes kept until
-- they can be transcribed. Times are INTEGER microseconds, UTC, as in 00001.

-- +goose Up
ALTER TABLE rounds ADD COLUMN remind_at INTEGER;
CREATE INDEX rounds_remind_at_idx ON rounds (remind_at) WHERE remind_at IS NOT NULL;

CREATE TABLE voice_notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    platform    TEXT    NOT NULL,
    tenant      TEXT    NOT NULL DEFAULT '',
    user_id     TEXT    NOT NULL,
    media_id    TEXT    NOT NULL DEFAULT '',
    format      TEXT    NOT NULL DEFAULT '',
    audio       BLOB,
    transcript  TEXT    NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL,
    kind        TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL DEFAULT 'pending',
    summary     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(summary)),
    error       TEXT    NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    round_id    INTEGER REFERENCES rounds (id) ON DELETE SET NULL,
    updated_at  INTEGER
) STRICT;
CREATE INDEX voice_notes_status_idx ON voice_notes (status, received_at);
CREATE INDEX voice_notes_person_idx ON voice_notes (person_id, received_at);

-- +goose Down
DROP TABLE voice_notes;
ALTER TABLE rounds DROP COLUMN remind_at;
