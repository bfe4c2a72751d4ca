-- Keys perfbot made itself and every replica shares, by what they sign
-- ("button": the seal on button values, when none is configured). Times
-- are INTEGER microseconds, UTC, as in 00001.

-- +goose Up
CREATE TABLE signing_keys (
    name       TEXT    PRIMARY KEY,
    secret     BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- +goose Down
DROP TABLE signing_keys;
