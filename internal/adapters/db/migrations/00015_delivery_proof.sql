-- The proof of receipt of a sending delivered through e-Doręczenia, kept for the archive: its
-- bytes exactly as the service issued them, in the documents bucket under their content key,
-- and what the check of its signature found. The proof starts the appeal period; years later
-- it is what shows when and how the letter was delivered.

-- +goose Up
ALTER TABLE deliveries
    ADD COLUMN proof_key text,              -- S3 key in the documents bucket (content-addressed)
    ADD COLUMN proof_sha256 text,           -- hex SHA-256 of the proof's bytes
    ADD COLUMN proof_size bigint,
    -- passed, indeterminate (e.g. the signer is not trusted), failed, unsigned
    ADD COLUMN proof_signature text CHECK (proof_signature IN ('passed', 'indeterminate', 'failed', 'unsigned')),
    ADD COLUMN proof_signature_detail text, -- ETSI indication/sub-indication and signer
    ADD COLUMN proof_report_key text,       -- the ETSI validation report, beside the proof
    ADD COLUMN proof_missing text,          -- why no proof was kept, when none was
    ADD CONSTRAINT deliveries_proof_check CHECK ((proof_key IS NULL) = (proof_sha256 IS NULL)
        AND (proof_key IS NULL OR proof_signature IS NOT NULL)
        AND (proof_key IS NULL OR status = 'delivered'));

-- +goose Down
ALTER TABLE deliveries
    DROP CONSTRAINT deliveries_proof_check,
    DROP COLUMN proof_key,
    DROP COLUMN proof_sha256,
    DROP COLUMN proof_size,
    DROP COLUMN proof_signature,
    DROP COLUMN proof_signature_detail,
    DROP COLUMN proof_report_key,
    DROP COLUMN proof_missing;
