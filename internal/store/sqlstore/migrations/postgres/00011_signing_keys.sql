-- Keys perfbot made itself and every replica shares, by what they sign
-- ("button": the seal on button values, when none is configured).

-- +goose Up
CREATE TABLE signing_keys (
    name       TEXT        PRIMARY KEY,
    secret     BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE signing_keys;
