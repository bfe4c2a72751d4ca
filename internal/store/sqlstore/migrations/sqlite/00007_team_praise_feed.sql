-- A team may have praise for its members posted to its channel.

-- +goose Up
ALTER TABLE teams ADD COLUMN praise_feed INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE teams DROP COLUMN praise_feed;
