-- The verdict on a submission's signatures (ETSI EN 319 102-1), with the validation report
-- kept in S3 beside the document.

-- +goose Up
ALTER TABLE submissions
    ADD COLUMN signature_status text CHECK (signature_status IN ('unsigned', 'passed', 'indeterminate', 'failed')),
    ADD COLUMN signature_detail text NOT NULL DEFAULT '',
    ADD COLUMN signer text NOT NULL DEFAULT '',
    ADD COLUMN report_key text;

-- +goose Down
ALTER TABLE submissions DROP COLUMN signature_status, DROP COLUMN signature_detail,
    DROP COLUMN signer, DROP COLUMN report_key;
