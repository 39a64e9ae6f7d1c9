-- A delivered decision can be appealed: the case then waits for the appeal to be passed with
-- its files to the appeal body (art. 133 KPA) instead of settling when the appeal period ends.

-- +goose Up
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'dispatched', 'delivered', 'appealed', 'settled',
    'granted', 'left_unexamined', 'forwarded', 'withdrawn'));

-- +goose Down
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'dispatched', 'delivered', 'settled', 'granted',
    'left_unexamined', 'forwarded', 'withdrawn'));
