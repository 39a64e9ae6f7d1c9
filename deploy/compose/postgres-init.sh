#!/bin/sh
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d):
# one role and database for obieg, one role for Temporal owning its two databases. Neither
# role is a superuser or can connect to the other's databases.
set -eu
: "${POSTGRES_OBIEG_PASSWORD:?}" "${POSTGRES_TEMPORAL_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
	-v obieg_pw="$POSTGRES_OBIEG_PASSWORD" -v temporal_pw="$POSTGRES_TEMPORAL_PASSWORD" <<'SQL'
CREATE ROLE obieg LOGIN PASSWORD :'obieg_pw';
CREATE DATABASE obieg OWNER obieg;
REVOKE ALL ON DATABASE obieg FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE obieg TO obieg;

CREATE ROLE temporal LOGIN PASSWORD :'temporal_pw';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
REVOKE ALL ON DATABASE temporal, temporal_visibility FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE temporal, temporal_visibility TO temporal;
SQL
