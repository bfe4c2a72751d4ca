-- Feedback (praise and SBI) and requests for it. Times are INTEGER
-- microseconds, UTC, as in 00001; booleans are INTEGER 0 or 1.

-- +goose Up
CREATE TABLE feedback_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    requester_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    asked_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    about        TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    answered_at  INTEGER,
    -- SQLite resolves the reference when it is used, so feedback may come
    -- after.
    feedback_id  INTEGER REFERENCES feedback (id) ON DELETE SET NULL,
    declined     INTEGER NOT NULL DEFAULT 0
) STRICT;
-- "What was I asked?", "what did I ask?", and the monthly statistics.
CREATE INDEX feedback_requests_asked_idx ON feedback_requests (asked_id, created_at);
CREATE INDEX feedback_requests_requester_idx ON feedback_requests (requester_id, created_at);
CREATE INDEX feedback_requests_created_at_idx ON feedback_requests (created_at);

CREATE TABLE feedback (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL CHECK (kind IN ('praise', 'sbi')),
    giver_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    recipient_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    text         TEXT    NOT NULL DEFAULT '',
    value        TEXT    NOT NULL DEFAULT '',
    points       INTEGER NOT NULL DEFAULT 0,
    situation    TEXT    NOT NULL DEFAULT '',
    behavior     TEXT    NOT NULL DEFAULT '',
    impact       TEXT    NOT NULL DEFAULT '',
    suggestion   TEXT    NOT NULL DEFAULT '',
    -- Only praise may be public: SBI feedback is always private.
    public       INTEGER NOT NULL DEFAULT 0 CHECK (public = 0 OR kind = 'praise'),
    request_id   INTEGER REFERENCES feedback_requests (id) ON DELETE SET NULL,
    round_id     INTEGER REFERENCES rounds (id) ON DELETE SET NULL,
    source       TEXT    NOT NULL DEFAULT '',
    reaction     TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    reacted_at   INTEGER
) STRICT;
-- A person's feedback received and given; the feed, leaderboard and
-- statistics by time.
CREATE INDEX feedback_recipient_idx ON feedback (recipient_id, created_at);
CREATE INDEX feedback_giver_idx ON feedback (giver_id, created_at);
CREATE INDEX feedback_created_at_idx ON feedback (created_at);

-- +goose Down
DROP TABLE feedback;
DROP TABLE feedback_requests;
