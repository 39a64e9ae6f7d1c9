#!/bin/sh
# Creates or upgrades the schema of Temporal's two PostgreSQL databases (main and visibility)
# to the version of the admin-tools image it runs in; may be run again at any time, and is
# what to run, with the new admin-tools image, before upgrading the Temporal server.
#
# Environment: POSTGRES_SEEDS (host), DB_PORT (5432), POSTGRES_USER, POSTGRES_PWD (Temporal's
# own role, owner of both databases), DBNAME (temporal), VISIBILITY_DBNAME
# (temporal_visibility). The databases themselves are made by the PostgreSQL administrator.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${POSTGRES_PWD:?}"
schema=/etc/temporal/schema/postgresql/v12
export SQL_PASSWORD="$POSTGRES_PWD"
sql() {
	temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" \
		-u "$POSTGRES_USER" --db "$1" "$2" "$3" "$4"
}
for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
	db=${pair%%:*}
	dir=${pair#*:}
	# Version tables only (IF NOT EXISTS), then every versioned step not yet applied.
	sql "$db" setup-schema -v 0.0
	sql "$db" update-schema -d "$schema/$dir/versioned"
done
echo "temporal schema ready"
