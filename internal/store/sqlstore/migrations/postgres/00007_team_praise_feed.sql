-- A team may have praise for its members posted to its channel.

-- +goose Up
ALTER TABLE teams ADD COLUMN praise_feed BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE teams DROP COLUMN praise_feed;
