-- Claims on keys that dedupe for correctness and so must outlive Redis: a
-- business event's signature (POST /hooks/events) is acted on once. A key
-- is taken until claim_until; a claim that ran out may be taken again, and
-- the hourly upkeep deletes those long past. Times are INTEGER
-- microseconds, UTC, as in 00001.

-- +goose Up
CREATE TABLE claims (
    key         TEXT    PRIMARY KEY,
    claim_until INTEGER NOT NULL
) STRICT;
CREATE INDEX claims_until_idx ON claims (claim_until);

-- +goose Down
DROP TABLE claims;
