-- Who sent each open event, in a column of its own: keeping an event and
-- taking the due ones ask whether an earlier event of the same sender is
-- still open, and an index answers that where reading every open event's
-- JSON grew with the depth of the inbox (and, for taking, with its square).

-- +goose Up
ALTER TABLE inbox ADD COLUMN sender TEXT;
UPDATE inbox SET sender = json_extract(event, '$.From.platform') || ':' || json_extract(event, '$.From.tenant')
    || ':' || json_extract(event, '$.From.user_id')
    WHERE status IN ('pending', 'claimed');
CREATE INDEX inbox_sender_open_idx ON inbox (sender, id) WHERE status IN ('pending', 'claimed');

-- +goose Down
DROP INDEX inbox_sender_open_idx;
ALTER TABLE inbox DROP COLUMN sender;
