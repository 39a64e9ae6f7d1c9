-- Sign-in: password hashes on users, and the web sessions (alexedwards/scs pgxstore layout).
-- (00002 is the audit log.)

-- +goose Up
ALTER TABLE users
    ADD COLUMN password_hash text,
    ADD COLUMN disabled boolean NOT NULL DEFAULT false;

CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- +goose Down
DROP TABLE sessions;
ALTER TABLE users DROP COLUMN disabled, DROP COLUMN password_hash;
