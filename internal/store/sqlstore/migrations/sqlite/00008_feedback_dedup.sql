-- A step retried after a failure (the platform redelivering its event, or
-- another event winning the race for the person) saves its feedback again:
-- dedup_key, unique when set, makes the second save find the first. A
-- request made from a check-in names the round, so a second tap on Ask my
-- manager finds the open one. SQLite cannot add a UNIQUE column, so the
-- uniqueness is an index; NULLs do not collide.

-- +goose Up
ALTER TABLE feedback ADD COLUMN dedup_key TEXT;
CREATE UNIQUE INDEX feedback_dedup_key ON feedback (dedup_key);
ALTER TABLE feedback_requests ADD COLUMN dedup_key TEXT;
CREATE UNIQUE INDEX feedback_requests_dedup_key ON feedback_requests (dedup_key);
ALTER TABLE feedback_requests ADD COLUMN round_id INTEGER REFERENCES rounds (id) ON DELETE SET NULL;

-- +goose Down
ALTER TABLE feedback_requests DROP COLUMN round_id;
DROP INDEX feedback_requests_dedup_key;
ALTER TABLE feedback_requests DROP COLUMN dedup_key;
DROP INDEX feedback_dedup_key;
ALTER TABLE feedback DROP COLUMN dedup_key;
