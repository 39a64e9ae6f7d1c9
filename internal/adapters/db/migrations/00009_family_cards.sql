-- Regional family cards granted: a number per card, gapless per year; granting needs no
-- decision, so a case whose every member is eligible ends granted.

-- +goose Up
CREATE TABLE family_card_counters (
    year int PRIMARY KEY,
    last int NOT NULL
);
CREATE TABLE family_cards (
    number          text PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    holder          text NOT NULL,          -- the member's names
    valid_until     date,                   -- NULL: indefinite
    issued_at       timestamptz NOT NULL,
    idempotency_key text NOT NULL UNIQUE    -- the grant's key and the member's position
);
CREATE INDEX family_cards_case_idx ON family_cards (case_id);
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'granted', 'left_unexamined', 'forwarded', 'withdrawn'));

-- +goose Down
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'left_unexamined', 'forwarded', 'withdrawn'));
DROP TABLE family_cards;
DROP TABLE family_card_counters;
