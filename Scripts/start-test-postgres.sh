#!/usr/bin/env bash
# Starts the local PostgreSQL server (Debian's postgresql package, installed if missing) and makes the
# role and database the store tests use; prints the URL for CONVERGE_TEST_POSTGRES.
#   export CONVERGE_TEST_POSTGRES=$(Scripts/start-test-postgres.sh)
set -euo pipefail
say() { printf 'start-test-postgres: %s\n' "$*" >&2; }
if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  say "installing postgresql"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
read -r version cluster _ <<<"$(pg_lsclusters -h | head -1)"
pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'converge') THEN
    CREATE ROLE converge LOGIN PASSWORD 'converge-test';
  END IF;
END $$;
SELECT 'CREATE DATABASE converge_test OWNER converge'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'converge_test')\gexec
SQL
echo "postgres://converge:converge-test@127.0.0.1:5432/converge_test"
