#!/usr/bin/env bash
# ensure-services.sh makes sure the PostgreSQL and Redis the tests use are
# running on 127.0.0.1, starting the locally installed ones when they are
# not. It fails, saying what to install, when one is missing.
set -euo pipefail

readonly pg_host=127.0.0.1 pg_port=5432
readonly redis_host=127.0.0.1 redis_port=6379
readonly wait_seconds=30

log() { printf 'ensure-services: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

pg_ready() { pg_isready -q -h "$pg_host" -p "$pg_port"; }
redis_ready() { [[ "$(redis-cli -h "$redis_host" -p "$redis_port" ping 2>/dev/null)" == PONG ]]; }

# wait_for NAME CHECK polls CHECK once a second, up to wait_seconds.
wait_for() {
	local name=$1 check=$2
	for ((i = 0; i < wait_seconds; i++)); do
		if "$check"; then
			log "$name is up"
			return 0
		fi
		sleep 1
	done
	die "$name did not come up within ${wait_seconds}s"
}

ensure_postgres() {
	if command -v pg_isready >/dev/null && pg_ready; then
		return 0
	fi
	if ! command -v pg_ctlcluster >/dev/null || [[ ! -d /etc/postgresql ]]; then
		die "PostgreSQL is not running on $pg_host:$pg_port and is not installed: apt-get install postgresql"
	fi
	# The newest installed major version, if there are several.
	local version
	version=$(ls /etc/postgresql | sort -V | tail -n 1)
	[[ -n "$version" ]] || die "no PostgreSQL cluster in /etc/postgresql: apt-get install postgresql"
	log "starting PostgreSQL $version"
	pg_ctlcluster --skip-systemctl-redirect "$version" main start
	wait_for PostgreSQL pg_ready
}

ensure_redis() {
	if command -v redis-cli >/dev/null && redis_ready; then
		return 0
	fi
	if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
		die "Redis is not running on $redis_host:$redis_port and is not installed: apt-get install redis-server"
	fi
	log "starting Redis"
	mkdir -p /var/lib/redis /var/log/redis
	# No persistence: the tests' keys are throwaway.
	redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" \
		--save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
	wait_for Redis redis_ready
}

ensure_postgres
ensure_redis
