#!/usr/bin/env bash
# Starts (or stops) the real services the test suite talks to: a throwaway PostgreSQL server on a
# loopback port and a private dockerd with no network plumbing. Used by .ci/run and by developers.
#
#   scripts/services.sh up     start both; prints the environment to use
#   scripts/services.sh down   stop both (by PID) and remove their folders
#   scripts/services.sh env    print the environment again
#
# Both run under $CB_SERVICES_DIR (default: .services in the repository). Needs root for dockerd and
# Debian's postgresql, docker.io and busybox-static packages.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${CB_SERVICES_DIR:-$root/.services}"
pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

free_port() {
  bun -e 'const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }); console.log(s.port); s.stop(true)'
}

wait_for() { # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.2
  done
}

print_env() {
  cat "$dir/env"
}

up_postgres() {
  [[ -x "$pg_bin/initdb" ]] || { echo "services: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  local pgdata="$dir/pg/data" port
  mkdir -p "$dir/pg"
  chown -R postgres:postgres "$dir/pg" 2>/dev/null || true
  chmod 711 "$dir"
  port="$(free_port)"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pgdata" -A trust -U postgres --no-sync -E UTF8 >"$dir/pg/initdb.log" 2>&1
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pgdata" -l "$dir/pg/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/pg -c fsync=off -c max_connections=200" start >/dev/null
  head -n 1 "$pgdata/postmaster.pid" >"$dir/pg.pid"
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres" >>"$dir/env"
}

up_docker() {
  command -v dockerd >/dev/null || { echo "services: dockerd not found (apt-get install docker.io)" >&2; exit 1; }
  local sock="$dir/docker/docker.sock"
  mkdir -p "$dir/docker/data" "$dir/docker/exec"
  dockerd --host "unix://$sock" --data-root "$dir/docker/data" --exec-root "$dir/docker/exec" \
    --pidfile "$dir/docker/dockerd.pid" --bridge=none --iptables=false --ip-forward=false \
    --ip-masq=false >"$dir/docker/dockerd.log" 2>&1 &
  echo $! >"$dir/docker.pid"
  if ! wait_for 30 docker -H "unix://$sock" version; then
    echo "services: dockerd did not become ready; see $dir/docker/dockerd.log" >&2
    tail -n 20 "$dir/docker/dockerd.log" >&2 || true
    exit 1
  fi
  echo "DOCKER_HOST=unix://$sock" >>"$dir/env"
}

stop_pid_file() { # stop_pid_file FILE: TERM, wait, then KILL
  local file="$1" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

down() {
  [[ -d "$dir" ]] || return 0
  if [[ -f "$dir/env" ]] && [[ -S "$dir/docker/docker.sock" ]]; then
    # Containers left by an aborted test run would keep dockerd's shutdown waiting.
    docker -H "unix://$dir/docker/docker.sock" ps -aq 2>/dev/null | xargs -r docker -H "unix://$dir/docker/docker.sock" rm -f >/dev/null 2>&1 || true
  fi
  stop_pid_file "$dir/docker.pid"
  stop_pid_file "$dir/pg.pid"
  # dockerd leaves mounts under its roots; unmount before removing.
  grep -o " $dir/[^ ]*" /proc/mounts 2>/dev/null | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  up)
    down
    mkdir -p "$dir"
    : >"$dir/env"
    up_postgres
    up_docker
    print_env
    ;;
  down) down ;;
  env) print_env ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
