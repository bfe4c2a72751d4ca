-- Tables are STRICT so a column holds only its declared type. Times are
-- INTEGER microseconds since the Unix epoch, UTC: exact, ordered, and free of
-- the driver's guesses about DATETIME text. JSON is TEXT checked by
-- json_valid. AUTOINCREMENT keeps ids of deleted rows from coming back, since
-- the audit log refers to records by id.

-- +goose Up
CREATE TABLE teams (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL UNIQUE,
    questions        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(questions)),
    notify_manager   INTEGER NOT NULL DEFAULT 0,
    channel_platform TEXT    NOT NULL DEFAULT '',
    channel_tenant   TEXT    NOT NULL DEFAULT '',
    channel_id       TEXT    NOT NULL DEFAULT '',
    deadline         TEXT    NOT NULL DEFAULT '',
    cadence          TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE people (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    email      TEXT, -- NULL when unknown, so the unique index allows many
    locale     TEXT    NOT NULL DEFAULT '',
    time_zone  TEXT    NOT NULL DEFAULT '',
    roles      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(roles)),
    manager_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    department TEXT    NOT NULL DEFAULT '',
    team_id    INTEGER REFERENCES teams (id) ON DELETE SET NULL
) STRICT;
-- Emails arrive from HR sheets and chat profiles in any case.
CREATE UNIQUE INDEX people_email_key ON people (lower(email));
-- The manager chain is walked downwards by the visibility query.
CREATE INDEX people_manager_id_idx ON people (manager_id);
CREATE INDEX people_team_id_idx ON people (team_id);

CREATE TABLE identities (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    platform  TEXT    NOT NULL,
    tenant    TEXT    NOT NULL,
    user_id   TEXT    NOT NULL,
    UNIQUE (platform, tenant, user_id)
) STRICT;
CREATE INDEX identities_person_id_idx ON identities (person_id);

CREATE TABLE goals (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    title     TEXT    NOT NULL,
    target    REAL    NOT NULL DEFAULT 0,
    progress  REAL    NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX goals_person_id_idx ON goals (person_id);

CREATE TABLE rounds (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    team_id      INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    period       TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    skip_reason  TEXT    NOT NULL DEFAULT '',
    answers      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(answers)),
    goals        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(goals)),
    mood         INTEGER NOT NULL DEFAULT 0,
    opened_at    INTEGER NOT NULL,
    started_at   INTEGER,
    submitted_at INTEGER,
    updated_at   INTEGER NOT NULL,
    reviewed_by  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    reviewed_at  INTEGER,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (person_id, period)
) STRICT;
CREATE INDEX rounds_period_idx ON rounds (period, person_id);
CREATE INDEX rounds_team_id_period_idx ON rounds (team_id, period);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    actor_id INTEGER, -- no foreign key: the log outlives the people in it
    actor    TEXT    NOT NULL DEFAULT '',
    action   TEXT    NOT NULL,
    object   TEXT    NOT NULL DEFAULT '',
    detail   TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_object_idx ON audit_log (object, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TABLE unknown_senders (
    platform TEXT    NOT NULL,
    tenant   TEXT    NOT NULL,
    user_id  TEXT    NOT NULL,
    name     TEXT    NOT NULL DEFAULT '',
    first_at INTEGER NOT NULL,
    last_at  INTEGER NOT NULL,
    count    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (platform, tenant, user_id)
) STRICT;

-- +goose Down
DROP TABLE unknown_senders;
DROP TABLE audit_log;
DROP TABLE rounds;
DROP TABLE goals;
DROP TABLE identities;
DROP TABLE people;
DROP TABLE teams;
