-- A signed answer or decision, delivered, waits out the appeal period; then the case is
-- settled.

-- +goose Up
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'delivered', 'settled', 'granted',
    'left_unexamined', 'forwarded', 'withdrawn'));

-- +goose Down
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'granted', 'left_unexamined', 'forwarded', 'withdrawn'));
