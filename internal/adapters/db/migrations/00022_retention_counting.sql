-- +goose Up
-- How the retention period of a terminal class's records is counted: from the case's closing
-- (common practice) or from the creation of its newest document (the 2006 annex). Offices
-- differ, and the centre's archive instruction says which.
ALTER TABLE jrwa_classes ADD COLUMN retention_counting text NOT NULL DEFAULT 'closing'
    CHECK (retention_counting IN ('closing', 'creation'));

-- +goose Down
ALTER TABLE jrwa_classes DROP COLUMN retention_counting;
