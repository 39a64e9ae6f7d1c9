-- The ground of obieg's schema: organisation (units, users), filing plan and routing,
-- submissions as received, the incoming register (RPW) and cases with their references.

-- +goose Up

-- Organisational units (komórki). A unit code stays tied to one unit for the calendar year;
-- letters and digits, a hyphen only between department and section (WPS-I).
CREATE TABLE units (
    code       text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]+(-[A-Z0-9]+)?$'),
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- People who work in obieg. Roles: registry (kancelaria), clerk, head, archivist, admin.
CREATE TABLE users (
    username   text PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{2,64}$'),
    full_name  text NOT NULL,
    position   text NOT NULL DEFAULT '',
    role       text NOT NULL CHECK (role IN ('registry', 'clerk', 'head', 'archivist', 'admin')),
    unit_code  text REFERENCES units (code),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The filing plan (JRWA): decimal classes; only terminal classes carry an archival category.
CREATE TABLE jrwa_classes (
    symbol   text PRIMARY KEY CHECK (symbol ~ '^[0-9]{1,4}$'),
    heading  text NOT NULL,
    category text CHECK (category ~ '^(A|Bc|BE?[1-9][0-9]?)$')
);

-- Routing: a recognised form type goes to a JRWA class handled by a unit.
CREATE TABLE routing_rules (
    form_type   text PRIMARY KEY,
    jrwa_symbol text NOT NULL REFERENCES jrwa_classes (symbol),
    unit_code   text NOT NULL REFERENCES units (code)
);

-- Every document pulled from a box, exactly once per (channel, box document id). The bytes
-- live in S3 under raw_key (content-addressed by sha256) and are never modified.
CREATE TABLE submissions (
    id                uuid PRIMARY KEY,
    channel           text NOT NULL CHECK (channel IN ('epuap', 'edoreczenia', 'paper')),
    box_document_id   text NOT NULL,
    workflow_id       text NOT NULL,
    box_address       text NOT NULL DEFAULT '',
    -- received_at is the receipt that counts in law: the time on the box's proof of receipt
    -- (art. 61 §3a KPA); pulled_at is when obieg took it from the box.
    received_at       timestamptz NOT NULL,
    pulled_at         timestamptz NOT NULL,
    sender_id         text NOT NULL DEFAULT '',
    sender_name       text NOT NULL DEFAULT '',
    file_name         text NOT NULL DEFAULT '',
    content_type      text NOT NULL DEFAULT '',
    raw_key           text NOT NULL,
    sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes        bigint NOT NULL CHECK (size_bytes >= 0),
    form_type         text,
    title             text,
    status            text NOT NULL CHECK (status IN ('received', 'quarantined', 'registered')),
    quarantine_reason text,   -- a reason code: empty, too-large, not-xml, dtd, limits, unknown-form
    quarantine_detail text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (channel, box_document_id),
    CHECK ((status = 'quarantined') = (quarantine_reason IS NOT NULL))
);
CREATE INDEX submissions_status_idx ON submissions (status, received_at);

-- The incoming register (rejestr przesyłek wpływających): a number per year, in order of
-- registration, without gaps.
CREATE TABLE register_counters (
    year int PRIMARY KEY,
    last int NOT NULL
);
CREATE TABLE register_entries (
    year          int NOT NULL,
    number        int NOT NULL CHECK (number > 0),
    submission_id uuid NOT NULL UNIQUE REFERENCES submissions (id),
    registered_at timestamptz NOT NULL,
    received_on   date NOT NULL,
    channel       text NOT NULL,
    sender        text NOT NULL,
    title         text NOT NULL,
    letter_date   date,
    letter_ref    text NOT NULL DEFAULT '',
    unit_code     text REFERENCES units (code),
    attachments   int NOT NULL DEFAULT 0,
    notes         text NOT NULL DEFAULT '',
    PRIMARY KEY (year, number)
);

-- Cases (sprawy): reference <unit>.<JRWA class>.<seq>.<year>, seq allocated per
-- (unit, class, year) without gaps.
CREATE TABLE case_counters (
    unit_code   text NOT NULL REFERENCES units (code),
    jrwa_symbol text NOT NULL REFERENCES jrwa_classes (symbol),
    year        int NOT NULL,
    last        int NOT NULL,
    PRIMARY KEY (unit_code, jrwa_symbol, year)
);
CREATE TABLE cases (
    id                   uuid PRIMARY KEY,
    reference            text NOT NULL UNIQUE,
    unit_code            text NOT NULL REFERENCES units (code),
    jrwa_symbol          text NOT NULL REFERENCES jrwa_classes (symbol),
    seq                  int NOT NULL CHECK (seq > 0),
    year                 int NOT NULL,
    title                text NOT NULL,
    status               text NOT NULL CHECK (status IN ('open', 'closed')),
    origin_submission_id uuid UNIQUE REFERENCES submissions (id),
    opened_at            timestamptz NOT NULL,
    UNIQUE (unit_code, jrwa_symbol, year, seq)
);
CREATE INDEX cases_unit_idx ON cases (unit_code, opened_at DESC);

-- +goose Down
DROP TABLE cases;
DROP TABLE case_counters;
DROP TABLE register_entries;
DROP TABLE register_counters;
DROP TABLE submissions;
DROP TABLE routing_rules;
DROP TABLE jrwa_classes;
DROP TABLE users;
DROP TABLE units;
