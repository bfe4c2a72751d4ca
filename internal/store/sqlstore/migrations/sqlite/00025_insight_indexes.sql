-- Indexes for the dashboard's insight reads: the check-ins of a range of
-- weeks counted by team without reading the rows (participation, mood), and
-- the submitted check-ins still waiting for their review, a small part of
-- all rounds.

-- +goose Up
CREATE INDEX rounds_insight_idx ON rounds (period, person_id, team_id, status, mood);
CREATE INDEX rounds_waiting_idx ON rounds (submitted_at) WHERE status = 'submitted' AND reviewed_at IS NULL;

-- +goose Down
DROP INDEX rounds_waiting_idx;
DROP INDEX rounds_insight_idx;
