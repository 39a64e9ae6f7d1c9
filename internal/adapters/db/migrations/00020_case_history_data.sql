-- The case history keeps what each entry says as data (a JSON object of strings, by the
-- entry's code); its Polish text is rendered from them where it is shown. Entries recorded
-- before have their text in description and no data. The case projection also keeps whether
-- a delivered case's appeal period ended with letters in it (appeal_review): the handler then
-- records the appeal or settles the case, and the case page offers settling only then.

-- +goose Up
ALTER TABLE case_actions ADD COLUMN data jsonb;
ALTER TABLE cases ADD COLUMN appeal_review boolean NOT NULL DEFAULT false;
UPDATE cases c SET appeal_review = true
WHERE c.stage = 'delivered'
  AND EXISTS (SELECT 1 FROM case_actions a WHERE a.case_id = c.id AND a.action = 'appeal_review');

-- +goose Down
ALTER TABLE cases DROP COLUMN appeal_review;
ALTER TABLE case_actions DROP COLUMN data;
