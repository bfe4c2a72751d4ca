-- Out of office: the first day back, YYYY-MM-DD in the person's own time
-- zone ('' when not away).

-- +goose Up
ALTER TABLE people ADD COLUMN away_until TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE people DROP COLUMN away_until;
