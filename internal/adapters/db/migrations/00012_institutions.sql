-- The database of institutions the Observatory (OIS) receives reports from: care facilities,
-- social-assistance centres, county family-support centres, organisations. A report names its
-- sender by REGON (the facility's report form) and comes from an ePUAP box; a sender is known
-- when either matches an institution here. Administrators keep the list; every change is in
-- the audit log as well, the row says who made the last one.

-- +goose Up
CREATE TABLE institutions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    regon      text UNIQUE CHECK (regon ~ '^([0-9]{9}|[0-9]{14})$'),
    epuap      text UNIQUE CHECK (epuap ~ '^\S+$'),
    name       text NOT NULL CHECK (btrim(name) <> ''),
    kind       text NOT NULL CHECK (kind IN ('dom-pomocy-spolecznej', 'placowka-opiekunczo-wychowawcza',
        'regionalna-placowka-opiekunczo-terapeutyczna', 'placowka-calodobowej-opieki', 'ops', 'pcpr', 'gmina',
        'powiat', 'organizacja-pozarzadowa', 'inna')),
    address    text NOT NULL DEFAULT '',
    active     boolean NOT NULL DEFAULT true,
    since      date,
    until      date,
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL,
    CHECK (regon IS NOT NULL OR epuap IS NOT NULL),
    CHECK (until IS NULL OR since IS NULL OR until >= since)
);
CREATE INDEX institutions_name_idx ON institutions (lower(name));

-- +goose Down
DROP TABLE institutions;
