#!/usr/bin/env bash
# Makes a real PostgreSQL server available on 127.0.0.1 for the storage tests, and prints the
# URL to export as TEST_DATABASE_URL (the only thing written to stdout):
#   export TEST_DATABASE_URL="$(.ci/postgres.sh)"
# Installs Debian's postgresql if it is missing, creates/starts the default cluster, waits until
# it accepts connections and sets the postgres user's password. Safe to run again.
# Settings: PG_TEST_PORT (default 5432), PG_TEST_PASSWORD (default postgres).
set -euo pipefail

port="${PG_TEST_PORT:-5432}"
password="${PG_TEST_PASSWORD:-postgres}"
log() { echo "postgres.sh: $*" >&2; }

if [ "$(id -u)" = 0 ]; then
  as_root() { "$@"; }
  as_postgres() { runuser -u postgres -- "$@"; }
else
  as_root() { sudo "$@"; }
  as_postgres() { sudo -u postgres "$@"; }
fi

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  log "installing Debian postgresql"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  log "creating cluster $version/main on port $port"
  as_root pg_createcluster "$version" main --port "$port" >&2
fi
cluster_port="$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
if [ "$cluster_port" != "$port" ]; then
  log "cluster $version/main listens on $cluster_port; using that port"
  port="$cluster_port"
fi

if ! pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" { found = 1 } END { exit !found }'; then
  log "starting cluster $version/main"
  as_root pg_ctlcluster "$version" main start >&2
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not become ready on 127.0.0.1:$port"; exit 1; }

# Password authentication over TCP (Debian's pg_hba uses scram-sha-256 for 127.0.0.1).
# (psql expands :'pw' only in scripts read from stdin, not in -c.)
echo "ALTER USER postgres PASSWORD :'pw';" | as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 -v pw="$password" >&2
url="postgres://postgres:${password}@127.0.0.1:${port}/postgres"
PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' >/dev/null
log "ready on 127.0.0.1:$port"
echo "$url"
