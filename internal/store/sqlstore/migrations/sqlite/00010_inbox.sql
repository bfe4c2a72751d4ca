-- The durable inbox: every verified inbound event is kept here before the
-- platform is acknowledged, and marked done in the transaction of the step
-- that handled it. Its key (platform, tenant, sender, platform event id) is
-- unique, so a platform's redelivery is recognised however long the dialog
-- store remembered it. An event whose handler died is claimed again when
-- its claim runs out. Times are INTEGER microseconds, as in 00001_init.sql.

-- +goose Up
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_key   TEXT UNIQUE, -- NULL for events without a platform id
    event       TEXT    NOT NULL, -- the bot.Event as JSON; '{}' once done
    status      TEXT    NOT NULL DEFAULT 'pending',
    due_at      INTEGER, -- a pending retry waits until then
    claim_until INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    received_at INTEGER NOT NULL,
    done_at     INTEGER,
    reason      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX inbox_open_idx ON inbox (id) WHERE status IN ('pending', 'claimed');
CREATE INDEX inbox_done_idx ON inbox (done_at) WHERE status = 'done';

-- +goose Down
DROP TABLE inbox;
