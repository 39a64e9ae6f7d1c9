-- The e-Doręczenia intake starts its listing at the newest letter already taken from the
-- mailbox, so that a restarted intake does not list the whole mailbox again: this index
-- answers that at once however many letters were taken.

-- +goose Up
CREATE INDEX submissions_box_received_idx ON submissions (channel, box_address, received_at);

-- +goose Down
DROP INDEX submissions_box_received_idx;
