#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and benchmarks, from Debian's postgresql package.
#   scripts/postgres.sh start   installs the package when missing, initdb's a temporary cluster as the
#                               postgres user (initdb refuses root) on a free loopback port, starts it,
#                               and prints the two lines to eval: the connection string and the data dir.
#   scripts/postgres.sh stop DIR  stops that cluster and removes its directory.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_if_missing() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
    echo "Installing PostgreSQL from Debian's packages..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
}

free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port between 55432 and 55532" >&2
  return 1
}

case "${1:-}" in
  start)
    install_if_missing
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/clientele-pg.XXXXXX)
    chown postgres:postgres "$dir"
    port=$(free_port)
    runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=300" start >&2 \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export CLIENTELE_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
    echo "export CLIENTELE_TEST_POSTGRES_DIR='$dir'"
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop DIR}
    runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
