-- A letter that names the reference of an open case (the party's reply to a call to remedy,
-- a further letter in the matter) is joined to that case instead of opening a new one: the
-- submission records the case it was joined to.

-- +goose Up
ALTER TABLE submissions ADD COLUMN joined_case_id uuid REFERENCES cases (id);
CREATE INDEX submissions_joined_case_idx ON submissions (joined_case_id) WHERE joined_case_id IS NOT NULL;

-- +goose Down
DROP INDEX submissions_joined_case_idx;
ALTER TABLE submissions DROP COLUMN joined_case_id;
