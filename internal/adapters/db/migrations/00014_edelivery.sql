-- Signed answers and decisions delivered through e-Doręczenia: one row per sending, with the
-- message's identifiers as the service gives them and the proof of receipt once issued.

-- +goose Up
CREATE TABLE deliveries (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    document_id     uuid NOT NULL REFERENCES documents (id),
    channel         text NOT NULL CHECK (channel IN ('edoreczenia')),
    address         text NOT NULL,                -- the addressee's electronic delivery address
    -- drafted: the service holds a draft (message_id); sent: it accepted the sending;
    -- delivered: the proof of receipt is in; rejected: the service refused the sending.
    status          text NOT NULL CHECK (status IN ('new', 'drafted', 'sent', 'delivered', 'rejected')),
    message_id      text UNIQUE,
    task_id         text,
    sent_at         timestamptz,
    delivered_on    date,
    deemed          boolean,                      -- not collected: deemed delivered (art. 41)
    evidence_id     text,
    reason          text,                         -- why the sending was rejected
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    CHECK ((status = 'delivered') = (delivered_on IS NOT NULL)),
    CHECK (status IN ('new', 'rejected') OR message_id IS NOT NULL)
);
CREATE INDEX deliveries_case_idx ON deliveries (case_id, created_at);

ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'dispatched', 'delivered', 'settled', 'granted',
    'left_unexamined', 'forwarded', 'withdrawn'));

-- +goose Down
ALTER TABLE cases DROP CONSTRAINT cases_stage_check;
ALTER TABLE cases ADD CONSTRAINT cases_stage_check CHECK (stage IN ('new', 'assigned', 'awaiting_party',
    'suspended', 'draft_review', 'awaiting_signature', 'signed', 'delivered', 'settled', 'granted',
    'left_unexamined', 'forwarded', 'withdrawn'));
DROP TABLE deliveries;
