-- HR broadcasts as a durable outbox: one delivery row per recipient and
-- kind, whose unique key (broadcast, person, kind) is claimed before the
-- message is sent, so replicas never double-send and a claim left by a
-- killed sender runs out and is taken over (and counted as a reclaim).

-- +goose Up
CREATE TABLE broadcasts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id       BIGINT, -- no foreign key: the record outlives its author
    request_key     TEXT UNIQUE, -- NULL when the creator gave none
    text            TEXT        NOT NULL,
    ack             BOOLEAN     NOT NULL DEFAULT FALSE,
    remind_after_us BIGINT      NOT NULL DEFAULT 0, -- microseconds; 0 never
    audience        JSONB       NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE broadcast_deliveries (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    broadcast_id BIGINT      NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    person_id    BIGINT      NOT NULL, -- no foreign key: kept as sent
    kind         TEXT        NOT NULL,
    status       TEXT        NOT NULL DEFAULT 'pending',
    due_at       TIMESTAMPTZ, -- a pending retry waits until then
    claim_until  TIMESTAMPTZ,
    attempts     INTEGER     NOT NULL DEFAULT 0,
    reclaims     INTEGER     NOT NULL DEFAULT 0,
    sent_at      TIMESTAMPTZ,
    reason       TEXT        NOT NULL DEFAULT '',
    UNIQUE (broadcast_id, person_id, kind)
);
-- Claimers look only at unfinished rows.
CREATE INDEX broadcast_deliveries_open_idx ON broadcast_deliveries (id)
    WHERE status IN ('pending', 'claimed');
-- Reminders look for sent announcements.
CREATE INDEX broadcast_deliveries_sent_idx ON broadcast_deliveries (broadcast_id, sent_at)
    WHERE kind = 'announce' AND status = 'sent';

CREATE TABLE broadcast_acks (
    broadcast_id BIGINT      NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    person_id    BIGINT      NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (broadcast_id, person_id)
);

-- +goose Down
DROP TABLE broadcast_acks;
DROP TABLE broadcast_deliveries;
DROP TABLE broadcasts;
