-- The registry clerk resolves what could not be carried automatically: a quarantined
-- submission is registered and routed by hand, or dismissed (kept, with the reason and a note).

-- +goose Up
ALTER TABLE submissions DROP CONSTRAINT submissions_status_check;
ALTER TABLE submissions ADD CONSTRAINT submissions_status_check
    CHECK (status IN ('received', 'quarantined', 'registered', 'dismissed'));
ALTER TABLE submissions DROP CONSTRAINT submissions_check;
ALTER TABLE submissions ADD CONSTRAINT submissions_quarantine_reason_check
    CHECK ((status IN ('quarantined', 'dismissed')) = (quarantine_reason IS NOT NULL));
ALTER TABLE submissions ADD COLUMN resolution text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE submissions DROP COLUMN resolution;
ALTER TABLE submissions DROP CONSTRAINT submissions_quarantine_reason_check;
ALTER TABLE submissions ADD CONSTRAINT submissions_check CHECK ((status = 'quarantined') = (quarantine_reason IS NOT NULL));
ALTER TABLE submissions DROP CONSTRAINT submissions_status_check;
ALTER TABLE submissions ADD CONSTRAINT submissions_status_check CHECK (status IN ('received', 'quarantined', 'registered'));
