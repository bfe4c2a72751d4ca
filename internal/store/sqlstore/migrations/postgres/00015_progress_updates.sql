-- Key result progress: typed in the check-in or automatic from business
-- events.

-- +goose Up
CREATE TABLE progress_updates (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_result_id BIGINT           NOT NULL REFERENCES key_results (id) ON DELETE CASCADE,
    author_id     BIGINT           REFERENCES people (id) ON DELETE SET NULL,
    value         DOUBLE PRECISION NOT NULL,
    delta         DOUBLE PRECISION NOT NULL DEFAULT 0,
    confidence    TEXT             NOT NULL DEFAULT '' CHECK (confidence IN ('', 'on_track', 'at_risk', 'off_track')),
    why           TEXT             NOT NULL DEFAULT '',
    evidence      TEXT             NOT NULL DEFAULT '',
    media_id      TEXT             NOT NULL DEFAULT '',
    late          BOOLEAN          NOT NULL DEFAULT FALSE,
    no_evidence   BOOLEAN          NOT NULL DEFAULT FALSE,
    automatic     BOOLEAN          NOT NULL DEFAULT FALSE,
    source        TEXT             NOT NULL DEFAULT '',
    at            TIMESTAMPTZ      NOT NULL,
    dedup_key     TEXT             UNIQUE
);
CREATE INDEX progress_updates_kr_idx ON progress_updates (key_result_id, at);

-- +goose Down
DROP TABLE progress_updates;
