-- HR broadcasts as a durable outbox: one delivery row per recipient and
-- kind, whose unique key (broadcast, person, kind) is claimed before the
-- message is sent, so replicas never double-send and a claim left by a
-- killed sender runs out and is taken over (and counted as a reclaim).

-- Times are INTEGER microseconds, as in 00001_init.sql.

-- +goose Up
CREATE TABLE broadcasts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id       INTEGER, -- no foreign key: the record outlives its author
    request_key     TEXT UNIQUE, -- NULL when the creator gave none
    text            TEXT        NOT NULL,
    ack             INTEGER     NOT NULL DEFAULT 0,
    remind_after_us INTEGER     NOT NULL DEFAULT 0, -- microseconds; 0 never
    audience        TEXT        NOT NULL DEFAULT '{}' CHECK (json_valid(audience)),
    created_at      INTEGER     NOT NULL
) STRICT;

CREATE TABLE broadcast_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    broadcast_id INTEGER     NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    person_id    INTEGER     NOT NULL, -- no foreign key: kept as sent
    kind         TEXT        NOT NULL,
    status       TEXT        NOT NULL DEFAULT 'pending',
    due_at       INTEGER, -- a pending retry waits until then
    claim_until  INTEGER,
    attempts     INTEGER     NOT NULL DEFAULT 0,
    reclaims     INTEGER     NOT NULL DEFAULT 0,
    sent_at      INTEGER,
    reason       TEXT        NOT NULL DEFAULT '',
    UNIQUE (broadcast_id, person_id, kind)
) STRICT;
-- Claimers look only at unfinished rows.
CREATE INDEX broadcast_deliveries_open_idx ON broadcast_deliveries (id)
    WHERE status IN ('pending', 'claimed');
-- Reminders look for sent announcements.
CREATE INDEX broadcast_deliveries_sent_idx ON broadcast_deliveries (broadcast_id, sent_at)
    WHERE kind = 'announce' AND status = 'sent';

CREATE TABLE broadcast_acks (
    broadcast_id INTEGER     NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    person_id    INTEGER     NOT NULL,
    at           INTEGER     NOT NULL,
    PRIMARY KEY (broadcast_id, person_id)
) STRICT;

-- +goose Down
DROP TABLE broadcast_acks;
DROP TABLE broadcast_deliveries;
DROP TABLE broadcasts;
