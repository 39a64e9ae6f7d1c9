-- A case whose answer or decision is signed waits for delivery.

-- +goose Up
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'left_unexamined', 'forwarded', 'withdrawn'));

-- +goose Down
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'left_unexamined', 'forwarded', 'withdrawn'));
