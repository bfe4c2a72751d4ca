-- Requests to change a key result's target or due date, and who approved
-- them. Times are INTEGER microseconds, UTC; booleans INTEGER 0 or 1.

-- +goose Up
CREATE TABLE goal_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    objective_id  INTEGER NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    key_result_id INTEGER NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    requester_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    new_target    REAL,
    new_due       TEXT    NOT NULL DEFAULT '',
    reason        TEXT    NOT NULL,
    needs_hr      INTEGER NOT NULL DEFAULT 0,
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    manager_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    manager_at    INTEGER,
    hr_by         INTEGER REFERENCES people (id) ON DELETE SET NULL,
    hr_at         INTEGER,
    note          TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    dedup_key     TEXT    UNIQUE
) STRICT;
CREATE INDEX goal_changes_objective_idx ON goal_changes (objective_id);

-- +goose Down
DROP TABLE goal_changes;
