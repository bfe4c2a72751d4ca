-- What the scheduler sent (nudges, deadline digests, review reminders,
-- escalations), each under a unique key claimed before the send, so that
-- replicas never send one twice and HR can see every one later. And each
-- team's own thresholds for them.

-- +goose Up
CREATE TABLE deliveries (
    key         TEXT        PRIMARY KEY,
    kind        TEXT        NOT NULL,
    person_id   BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    subject     TEXT        NOT NULL DEFAULT '',
    status      TEXT        NOT NULL,
    attempts    INTEGER     NOT NULL DEFAULT 1,
    claimed_at  TIMESTAMPTZ NOT NULL,
    claim_until TIMESTAMPTZ NOT NULL,
    done_at     TIMESTAMPTZ,
    reason      TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_person_idx ON deliveries (person_id, claimed_at);
CREATE INDEX deliveries_claimed_idx ON deliveries (claimed_at);

ALTER TABLE teams ADD COLUMN rules JSONB NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE teams DROP COLUMN rules;
DROP TABLE deliveries;
