-- Goals (issue 13): objectives with key results, and every version of
-- each. Times are INTEGER microseconds, UTC, as in 00001; days are TEXT
-- YYYY-MM-DD; booleans INTEGER 0 or 1.

-- +goose Up
CREATE TABLE objectives (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    level       TEXT    NOT NULL CHECK (level IN ('company', 'team', 'person')),
    owner_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    team_id     INTEGER REFERENCES teams (id) ON DELETE SET NULL,
    parent_id   INTEGER REFERENCES objectives (id) ON DELETE SET NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('okr', 'kpi')),
    title       TEXT    NOT NULL,
    period      TEXT    NOT NULL DEFAULT '',
    starts_on   TEXT    NOT NULL DEFAULT '',
    ends_on     TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'changes')),
    -- weight is its share of its parent's progress.
    weight      REAL    NOT NULL DEFAULT 1 CHECK (weight >= 0),
    note        TEXT    NOT NULL DEFAULT '',
    approved_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
    approved_at INTEGER,
    changed_by  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    dedup_key   TEXT    UNIQUE
) STRICT;
-- A person's goals, a team's, the children of a goal (the roll-up).
CREATE INDEX objectives_owner_idx ON objectives (owner_id);
CREATE INDEX objectives_team_idx ON objectives (team_id);
CREATE INDEX objectives_parent_idx ON objectives (parent_id);

CREATE TABLE key_results (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    objective_id      INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    title             TEXT    NOT NULL,
    unit              TEXT    NOT NULL DEFAULT '',
    start_value       REAL    NOT NULL DEFAULT 0,
    target            REAL    NOT NULL,
    current_value     REAL    NOT NULL DEFAULT 0,
    direction         TEXT    NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down')),
    due               TEXT    NOT NULL DEFAULT '',
    weight            REAL    NOT NULL DEFAULT 1 CHECK (weight >= 0),
    confidence        TEXT    NOT NULL DEFAULT '' CHECK (confidence IN ('', 'on_track', 'at_risk', 'off_track')),
    requires_evidence INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX key_results_objective_idx ON key_results (objective_id, position);

-- Every saved version, whole, so nobody rewrites history silently.
CREATE TABLE objective_versions (
    objective_id INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    changed_by   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    at           INTEGER NOT NULL,
    snapshot     TEXT    NOT NULL CHECK (json_valid(snapshot)),
    PRIMARY KEY (objective_id, version)
) STRICT;

-- +goose Down
DROP TABLE objective_versions;
DROP TABLE key_results;
DROP TABLE objectives;
