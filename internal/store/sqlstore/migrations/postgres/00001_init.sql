-- +goose Up
CREATE TABLE teams (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    questions        JSONB   NOT NULL DEFAULT '[]',
    notify_manager   BOOLEAN NOT NULL DEFAULT FALSE,
    channel_platform TEXT    NOT NULL DEFAULT '',
    channel_tenant   TEXT    NOT NULL DEFAULT '',
    channel_id       TEXT    NOT NULL DEFAULT '',
    deadline         TEXT    NOT NULL DEFAULT '',
    cadence          TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE people (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT  NOT NULL,
    email      TEXT, -- NULL when unknown, so the unique index allows many
    locale     TEXT  NOT NULL DEFAULT '',
    time_zone  TEXT  NOT NULL DEFAULT '',
    roles      JSONB NOT NULL DEFAULT '[]',
    manager_id BIGINT REFERENCES people (id) ON DELETE SET NULL,
    department TEXT  NOT NULL DEFAULT '',
    team_id    BIGINT REFERENCES teams (id) ON DELETE SET NULL
);
-- Emails arrive from HR sheets and chat profiles in any case.
CREATE UNIQUE INDEX people_email_key ON people (lower(email));
-- The manager chain is walked downwards by the visibility query.
CREATE INDEX people_manager_id_idx ON people (manager_id);
CREATE INDEX people_team_id_idx ON people (team_id);

CREATE TABLE identities (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    platform  TEXT   NOT NULL,
    tenant    TEXT   NOT NULL,
    user_id   TEXT   NOT NULL,
    UNIQUE (platform, tenant, user_id)
);
CREATE INDEX identities_person_id_idx ON identities (person_id);

CREATE TABLE goals (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id BIGINT           NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    title     TEXT             NOT NULL,
    target    DOUBLE PRECISION NOT NULL DEFAULT 0,
    progress  DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX goals_person_id_idx ON goals (person_id);

CREATE TABLE rounds (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    team_id      BIGINT      REFERENCES teams (id) ON DELETE SET NULL,
    period       TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    skip_reason  TEXT        NOT NULL DEFAULT '',
    answers      JSONB       NOT NULL DEFAULT '[]',
    goals        JSONB       NOT NULL DEFAULT '[]',
    mood         SMALLINT    NOT NULL DEFAULT 0,
    opened_at    TIMESTAMPTZ NOT NULL,
    started_at   TIMESTAMPTZ,
    submitted_at TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL,
    reviewed_by  BIGINT      REFERENCES people (id) ON DELETE SET NULL,
    reviewed_at  TIMESTAMPTZ,
    version      BIGINT      NOT NULL DEFAULT 1,
    UNIQUE (person_id, period)
);
CREATE INDEX rounds_period_idx ON rounds (period, person_id);
CREATE INDEX rounds_team_id_period_idx ON rounds (team_id, period);

CREATE TABLE audit_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TIMESTAMPTZ NOT NULL,
    actor_id BIGINT, -- no foreign key: the log outlives the people in it
    actor    TEXT        NOT NULL DEFAULT '',
    action   TEXT        NOT NULL,
    object   TEXT        NOT NULL DEFAULT '',
    detail   TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object_idx ON audit_log (object, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TABLE unknown_senders (
    platform TEXT        NOT NULL,
    tenant   TEXT        NOT NULL,
    user_id  TEXT        NOT NULL,
    name     TEXT        NOT NULL DEFAULT '',
    first_at TIMESTAMPTZ NOT NULL,
    last_at  TIMESTAMPTZ NOT NULL,
    count    INTEGER     NOT NULL DEFAULT 1,
    PRIMARY KEY (platform, tenant, user_id)
);

-- +goose Down
DROP TABLE unknown_senders;
DROP TABLE audit_log;
DROP TABLE rounds;
DROP TABLE goals;
DROP TABLE identities;
DROP TABLE people;
DROP TABLE teams;
