-- Rounds opened before prompts went out under a delivery key were prompted
-- then: record it, so the scheduler does not prompt them a second time.

-- +goose Up
INSERT INTO deliveries (key, kind, person_id, subject, status, attempts, claimed_at, claim_until, done_at)
SELECT 'prompt:' || id, 'prompt', person_id, 'round:' || id, 'sent', 1, opened_at, opened_at, opened_at
FROM rounds
WHERE true
ON CONFLICT (key) DO NOTHING;

-- +goose Down
SELECT 1;
