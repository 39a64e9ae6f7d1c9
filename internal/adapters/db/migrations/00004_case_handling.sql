-- Case handling: where each case stands in its workflow, who handles it, its KPA deadline,
-- and the case history (metryka sprawy: every action with its date, who and what).

-- +goose Up
ALTER TABLE cases
    ADD COLUMN stage text NOT NULL DEFAULT 'new' CHECK (stage IN ('new', 'assigned', 'awaiting_party',
        'suspended', 'draft_review', 'awaiting_signature', 'left_unexamined', 'forwarded', 'withdrawn')),
    ADD COLUMN assignee text REFERENCES users (username),
    ADD COLUMN instructions text NOT NULL DEFAULT '',
    ADD COLUMN started_on date,     -- art. 61 §3a KPA: the date on the proof of receipt
    ADD COLUMN term text NOT NULL DEFAULT '',
    ADD COLUMN due_on date,         -- the KPA deadline, extended by periods not counted
    ADD COLUMN overdue boolean NOT NULL DEFAULT false,
    ADD COLUMN workflow_id text,
    ADD COLUMN closed_at timestamptz;

CREATE TABLE case_actions (
    case_id        uuid NOT NULL REFERENCES cases (id),
    seq            int NOT NULL,
    occurred_at    timestamptz NOT NULL,
    actor          text NOT NULL,       -- username, or 'system' for the office's own clock
    actor_name     text NOT NULL,
    actor_position text NOT NULL DEFAULT '',
    action         text NOT NULL,       -- stable code: assigned, remedy_requested, ...
    description    text NOT NULL,       -- Polish, as the case history shows it
    document_id    text,
    idempotency_key text NOT NULL UNIQUE,
    PRIMARY KEY (case_id, seq)
);

-- The KPA term a routed form's case gets (art. 35: 1m when an investigation is needed).
ALTER TABLE routing_rules ADD COLUMN term text NOT NULL DEFAULT '1m' CHECK (term ~ '^[1-9][0-9]{0,2}[dwm]$');

-- +goose Down
ALTER TABLE routing_rules DROP COLUMN term;
DROP TABLE case_actions;
ALTER TABLE cases DROP COLUMN stage, DROP COLUMN assignee, DROP COLUMN instructions,
    DROP COLUMN started_on, DROP COLUMN term, DROP COLUMN due_on, DROP COLUMN overdue,
    DROP COLUMN workflow_id, DROP COLUMN closed_at;
