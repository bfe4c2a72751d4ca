-- Business events from a tool's webhook (GitHub, GitLab, Jira, HubSpot, an
-- approval) that named nobody perfbot knows, or someone with no manager.
-- They are kept rather than dropped, so `perfbot hooks unmatched` can list
-- the identity to add. event_key is the delivery's replay claim: a tool's
-- retry keeps nothing twice.

-- +goose Up
CREATE TABLE hook_unmatched (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_key   TEXT        NOT NULL UNIQUE,
    source      TEXT        NOT NULL,
    platform    TEXT        NOT NULL, -- the identity to add
    tenant      TEXT        NOT NULL,
    user_id     TEXT        NOT NULL,
    email       TEXT        NOT NULL DEFAULT '',
    reason      TEXT        NOT NULL,
    kind        TEXT        NOT NULL,
    title       TEXT        NOT NULL,
    url         TEXT        NOT NULL DEFAULT '',
    key_result  TEXT        NOT NULL DEFAULT '',
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX hook_unmatched_received_idx ON hook_unmatched (received_at);

-- +goose Down
DROP TABLE hook_unmatched;
