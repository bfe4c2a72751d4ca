-- At most one event of a sender is claimed at a time, which is what steps
-- a person's messages one after another, in turn, on any number of
-- replicas: two replicas keeping two events of one sender at once could
-- otherwise both claim theirs, and two taking at once could each claim
-- one. The database refuses the second claim; the store then keeps that
-- event waiting its turn.

-- +goose Up
-- An earlier version could claim several of one sender's events together:
-- all but the first are handed back, to be taken in their turn.
UPDATE inbox SET status = 'pending', claim_until = NULL, due_at = NULL
    WHERE status = 'claimed' AND id NOT IN (SELECT MIN(id) FROM inbox WHERE status = 'claimed' GROUP BY sender);
CREATE UNIQUE INDEX inbox_one_claimed_idx ON inbox (sender) WHERE status = 'claimed';

-- +goose Down
DROP INDEX inbox_one_claimed_idx;
