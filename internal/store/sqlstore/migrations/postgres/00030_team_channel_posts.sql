-- How much of each check-in a team's channel gets: '' the summary (no
-- mood), 'full' all of it. Every team, old ones too, starts with the summary.

-- +goose Up
ALTER TABLE teams ADD COLUMN channel_posts TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE teams DROP COLUMN channel_posts;
