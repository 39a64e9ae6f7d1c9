-- Attachments a submission names by address (ePUAP FileRepo), fetched and stored beside it
-- before the box was confirmed.

-- +goose Up
CREATE TABLE submission_attachments (
    submission_id uuid NOT NULL REFERENCES submissions (id),
    position      int NOT NULL,
    name          text NOT NULL,
    format        text NOT NULL DEFAULT '',
    url           text NOT NULL,
    raw_key       text,            -- NULL: not fetched (no FileRepo configured)
    sha256        text,
    size_bytes    bigint,
    PRIMARY KEY (submission_id, position)
);

-- +goose Down
DROP TABLE submission_attachments;
