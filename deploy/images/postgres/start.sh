#!/bin/sh
# First start: a cluster in the volume with the user and database POSTGRES_USER / POSTGRES_DB and
# password POSTGRES_PASSWORD; every start: PostgreSQL listening on the deployment's network.
set -eu
user=${POSTGRES_USER:-studio}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (studio deploy env writes it)}"
  password_file=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$password_file"
  initdb --username="$user" --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 >/dev/null
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl --silent --wait -o "-c listen_addresses='' -c unix_socket_directories=/tmp" start
  createdb --host=/tmp --username="$user" "${POSTGRES_DB:-studio}"
  pg_ctl --silent --wait stop
fi
exec postgres -c listen_addresses='*' -c unix_socket_directories=/tmp
