-- Documents the office produces in a case (letters, drafts): their bytes live in S3 (XML and
-- PDF, content-addressed), here what people look them up by.

-- +goose Up
CREATE TABLE documents (
    id              uuid PRIMARY KEY,
    case_id         uuid NOT NULL REFERENCES cases (id),
    kind            text NOT NULL,
    title           text NOT NULL,
    status          text NOT NULL CHECK (status IN ('draft', 'signed')),
    xml_key         text NOT NULL,
    pdf_key         text NOT NULL,
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'), -- of the XML
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL,
    idempotency_key text NOT NULL UNIQUE
);
CREATE INDEX documents_case_idx ON documents (case_id, created_at);

-- +goose Down
DROP TABLE documents;
