-- The outbox: every message a step sends in answer to an inbound event is
-- kept here in the step's own transaction, claimed by the process that
-- sends it right after, and marked sent once the platform took it. A sender
-- that died leaves a claim that runs out and is taken over; a failed send
-- is due again later. The messages to one address (its lane) go out in the
-- order they were kept.

-- +goose Up
CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lane        TEXT        NOT NULL, -- the address the message goes to
    message     TEXT        NOT NULL, -- the bot.Message as JSON, To resolved
    in_reply_to TEXT        NOT NULL, -- what sending needs of the event answered, as JSON
    status      TEXT        NOT NULL DEFAULT 'pending',
    due_at      TIMESTAMPTZ, -- a pending retry waits until then
    claim_until TIMESTAMPTZ,
    attempts    INTEGER     NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ,
    reason      TEXT        NOT NULL DEFAULT ''
);
-- Claimers look only at unsent rows, and at a lane's in order.
CREATE INDEX outbox_open_idx ON outbox (lane, id) WHERE status IN ('pending', 'claimed');
CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE status = 'sent';

-- +goose Down
DROP TABLE outbox;
