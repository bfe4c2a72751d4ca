-- A key result's reference: the name a rule of the hook rules file
-- (PERFBOT_HOOK_RULES, key_result:) moves it by, such as "resolve-tickets".
-- Several people's key results may share one, so one rule moves each
-- person's own; '' is a key result no rule names.

-- +goose Up
ALTER TABLE key_results ADD COLUMN ref TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE key_results DROP COLUMN ref;
