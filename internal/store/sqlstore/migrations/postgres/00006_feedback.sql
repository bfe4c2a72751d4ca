-- Feedback (praise and SBI) and requests for it.

-- +goose Up
CREATE TABLE feedback_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    requester_id BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    asked_id     BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    about        TEXT        NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    answered_at  TIMESTAMPTZ,
    feedback_id  BIGINT, -- references feedback, added below
    declined     BOOLEAN     NOT NULL DEFAULT FALSE
);
-- "What was I asked?", "what did I ask?", and the monthly statistics.
CREATE INDEX feedback_requests_asked_idx ON feedback_requests (asked_id, created_at);
CREATE INDEX feedback_requests_requester_idx ON feedback_requests (requester_id, created_at);
CREATE INDEX feedback_requests_created_at_idx ON feedback_requests (created_at);

CREATE TABLE feedback (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT        NOT NULL CHECK (kind IN ('praise', 'sbi')),
    giver_id     BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    recipient_id BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    text         TEXT        NOT NULL DEFAULT '',
    value        TEXT        NOT NULL DEFAULT '',
    points       INTEGER     NOT NULL DEFAULT 0,
    situation    TEXT        NOT NULL DEFAULT '',
    behavior     TEXT        NOT NULL DEFAULT '',
    impact       TEXT        NOT NULL DEFAULT '',
    suggestion   TEXT        NOT NULL DEFAULT '',
    -- Only praise may be public: SBI feedback is always private.
    public       BOOLEAN     NOT NULL DEFAULT FALSE CHECK (NOT public OR kind = 'praise'),
    request_id   BIGINT      REFERENCES feedback_requests (id) ON DELETE SET NULL,
    round_id     BIGINT      REFERENCES rounds (id) ON DELETE SET NULL,
    source       TEXT        NOT NULL DEFAULT '',
    reaction     TEXT        NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    reacted_at   TIMESTAMPTZ
);
-- A person's feedback received and given; the feed, leaderboard and
-- statistics by time.
CREATE INDEX feedback_recipient_idx ON feedback (recipient_id, created_at);
CREATE INDEX feedback_giver_idx ON feedback (giver_id, created_at);
CREATE INDEX feedback_created_at_idx ON feedback (created_at);

ALTER TABLE feedback_requests ADD CONSTRAINT feedback_requests_feedback_id_fkey
    FOREIGN KEY (feedback_id) REFERENCES feedback (id) ON DELETE SET NULL;

-- +goose Down
DROP TABLE feedback_requests, feedback;
