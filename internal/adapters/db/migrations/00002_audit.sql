-- The tamper-evident audit log: every action on and every read of a case file, one row per
-- event, each row hash-chained to the one before it (see internal/records/audit for the hash encoding).

-- +goose Up

-- The chain head: one row holding the last sequence number and hash. Appending locks it
-- (SELECT ... FOR UPDATE) in the appending transaction, so concurrent appends serialize and
-- the sequence has no gaps; it is updated in the same transaction as the insert.
CREATE TABLE audit_head (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq  bigint NOT NULL CHECK (seq >= 0),
    hash bytea NOT NULL CHECK (octet_length(hash) = 32)
);
INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));

-- One row per audited event. details never holds PESEL or other personal identifiers: the
-- log is kept as long as the cases it describes and is read by administrators; internal/records/audit
-- refuses details with a key containing "pesel" and string values that are valid PESELs.
CREATE TABLE audit_log (
    seq             bigint PRIMARY KEY CHECK (seq > 0),
    version         smallint NOT NULL CHECK (version > 0),  -- of the hash encoding
    occurred_at     timestamptz NOT NULL,                  -- given by the caller
    actor           text NOT NULL CHECK (actor <> ''),     -- username, or 'system'
    actor_role      text NOT NULL,
    action          text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
    object_type     text NOT NULL CHECK (object_type <> ''),
    object_id       text NOT NULL,                         -- e.g. a case reference
    unit_code       text NOT NULL,                         -- no foreign key: the log outlives reference data
    details         jsonb NOT NULL CHECK (jsonb_typeof(details) = 'object'),
    idempotency_key text CHECK (idempotency_key <> ''),
    prev_hash       bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash            bytea NOT NULL CHECK (octet_length(hash) = 32)
);
CREATE UNIQUE INDEX audit_log_idempotency_idx ON audit_log (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, seq);

-- Append-only in the database too: UPDATE, DELETE and TRUNCATE of audit_log raise, and the
-- head may only move forward one entry at a time. These triggers stop mistakes and ordinary
-- roles, not an attacker: the table owner or a superuser can disable or drop a trigger
-- (ALTER TABLE audit_log DISABLE TRIGGER ...) and then change rows at will. That is why the
-- rows are hash-chained, and why the head should be written down outside the database
-- (`obieg audit head`): `obieg audit verify` detects any change made behind the triggers.
-- +goose StatementBegin
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq <> OLD.seq + 1 THEN
        RAISE EXCEPTION 'audit_head may only advance by one entry: % -> % refused', OLD.seq, NEW.seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward();
CREATE TRIGGER audit_head_keep BEFORE DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- +goose Down
DROP TABLE audit_log;
DROP TABLE audit_head;
DROP FUNCTION audit_head_forward();
DROP FUNCTION audit_refuse_change();
