#!/bin/sh
# First start of the primary PostgreSQL container (run by the postgres
# image from /docker-entrypoint-initdb.d, as the owner, once): the
# replication role for the replica's pg_basebackup and streaming, the
# application role san_app with its password (sql/011_app_role.sql finds
# it and creates nothing), and pg_hba for replication connections.
set -eu
psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v repl_pw="$SAN_REPLICATION_PASSWORD" -v app_pw="$SAN_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'repl_pw';
CREATE ROLE san_app LOGIN NOINHERIT PASSWORD :'app_pw';
SQL
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
