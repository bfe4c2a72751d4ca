-- The durable inbox: every verified inbound event is kept here before the
-- platform is acknowledged, and marked done in the transaction of the step
-- that handled it. Its key (platform, tenant, sender, platform event id) is
-- unique, so a platform's redelivery is recognised however long Redis
-- remembered it. An event whose handler died is claimed again when its
-- claim runs out.

-- +goose Up
CREATE TABLE inbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_key   TEXT UNIQUE, -- NULL for events without a platform id
    event       TEXT        NOT NULL, -- the bot.Event as JSON; '{}' once done
    status      TEXT        NOT NULL DEFAULT 'pending',
    due_at      TIMESTAMPTZ, -- a pending retry waits until then
    claim_until TIMESTAMPTZ,
    attempts    INTEGER     NOT NULL DEFAULT 0,
    received_at TIMESTAMPTZ NOT NULL,
    done_at     TIMESTAMPTZ,
    reason      TEXT        NOT NULL DEFAULT ''
);
-- Takers and the depth metric look only at unfinished rows.
CREATE INDEX inbox_open_idx ON inbox (id) WHERE status IN ('pending', 'claimed');
CREATE INDEX inbox_done_idx ON inbox (done_at) WHERE status = 'done';

-- +goose Down
DROP TABLE inbox;
