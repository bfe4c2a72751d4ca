-- Goals (issue 13): objectives with key results, and every version of
-- each. Days are TEXT YYYY-MM-DD.

-- +goose Up
CREATE TABLE objectives (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level       TEXT        NOT NULL CHECK (level IN ('company', 'team', 'person')),
    owner_id    BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    team_id     BIGINT      REFERENCES teams (id) ON DELETE SET NULL,
    parent_id   BIGINT      REFERENCES objectives (id) ON DELETE SET NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('okr', 'kpi')),
    title       TEXT        NOT NULL,
    period      TEXT        NOT NULL DEFAULT '',
    starts_on   TEXT        NOT NULL DEFAULT '',
    ends_on     TEXT        NOT NULL DEFAULT '',
    status      TEXT        NOT NULL CHECK (status IN ('draft', 'pending', 'approved', 'changes')),
    -- weight is its share of its parent's progress.
    weight      DOUBLE PRECISION NOT NULL DEFAULT 1 CHECK (weight >= 0),
    note        TEXT        NOT NULL DEFAULT '',
    approved_by BIGINT      REFERENCES people (id) ON DELETE SET NULL,
    approved_at TIMESTAMPTZ,
    changed_by  BIGINT      REFERENCES people (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT      NOT NULL DEFAULT 1,
    dedup_key   TEXT        UNIQUE
);
-- A person's goals, a team's, the children of a goal (the roll-up).
CREATE INDEX objectives_owner_idx ON objectives (owner_id);
CREATE INDEX objectives_team_idx ON objectives (team_id);
CREATE INDEX objectives_parent_idx ON objectives (parent_id);

CREATE TABLE key_results (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id      BIGINT           NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    position          INTEGER          NOT NULL,
    title             TEXT             NOT NULL,
    unit              TEXT             NOT NULL DEFAULT '',
    start_value       DOUBLE PRECISION NOT NULL DEFAULT 0,
    target            DOUBLE PRECISION NOT NULL,
    current_value     DOUBLE PRECISION NOT NULL DEFAULT 0,
    direction         TEXT             NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down')),
    due               TEXT             NOT NULL DEFAULT '',
    weight            DOUBLE PRECISION NOT NULL DEFAULT 1 CHECK (weight >= 0),
    confidence        TEXT             NOT NULL DEFAULT '' CHECK (confidence IN ('', 'on_track', 'at_risk', 'off_track')),
    requires_evidence BOOLEAN          NOT NULL DEFAULT FALSE,
    updated_at        TIMESTAMPTZ      NOT NULL
);
CREATE INDEX key_results_objective_idx ON key_results (objective_id, position);

-- Every saved version, whole, so nobody rewrites history silently.
CREATE TABLE objective_versions (
    objective_id BIGINT      NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    version      BIGINT      NOT NULL,
    changed_by   BIGINT      REFERENCES people (id) ON DELETE SET NULL,
    at           TIMESTAMPTZ NOT NULL,
    snapshot     JSONB       NOT NULL,
    PRIMARY KEY (objective_id, version)
);

-- +goose Down
DROP TABLE objective_versions, key_results, objectives;
