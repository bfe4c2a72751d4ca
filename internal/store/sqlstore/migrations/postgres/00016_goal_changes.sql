-- Requests to change a key result's target or due date, and who approved
-- them.

-- +goose Up
CREATE TABLE goal_changes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id  BIGINT           NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    key_result_id BIGINT           NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    requester_id  BIGINT           NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    new_target    DOUBLE PRECISION,
    new_due       TEXT             NOT NULL DEFAULT '',
    reason        TEXT             NOT NULL,
    needs_hr      BOOLEAN          NOT NULL DEFAULT FALSE,
    status        TEXT             NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    manager_by    BIGINT           REFERENCES people (id) ON DELETE SET NULL,
    manager_at    TIMESTAMPTZ,
    hr_by         BIGINT           REFERENCES people (id) ON DELETE SET NULL,
    hr_at         TIMESTAMPTZ,
    note          TEXT             NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ      NOT NULL,
    dedup_key     TEXT             UNIQUE
);
CREATE INDEX goal_changes_objective_idx ON goal_changes (objective_id);

-- +goose Down
DROP TABLE goal_changes;
