-- What the scheduler sent (nudges, deadline digests, review reminders,
-- escalations), each under a unique key claimed before the send, so that
-- replicas never send one twice and HR can see every one later. And each
-- team's own thresholds for them. Times are INTEGER microseconds, UTC.

-- +goose Up
CREATE TABLE deliveries (
    key         TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    subject     TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 1,
    claimed_at  INTEGER NOT NULL,
    claim_until INTEGER NOT NULL,
    done_at     INTEGER,
    reason      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX deliveries_person_idx ON deliveries (person_id, claimed_at);
CREATE INDEX deliveries_claimed_idx ON deliveries (claimed_at);

ALTER TABLE teams ADD COLUMN rules TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(rules));

-- +goose Down
ALTER TABLE teams DROP COLUMN rules;
DROP TABLE deliveries;
