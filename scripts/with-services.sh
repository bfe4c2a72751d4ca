#!/usr/bin/env bash
# with-services.sh runs a command against real PostgreSQL and Redis:
#
#	scripts/with-services.sh go test ./internal/store/...
#
# It starts the services if needed (ensure-services.sh), creates a throwaway
# database perfbot_test_<random>, exports
#
#	PERFBOT_TEST_POSTGRES  postgres://postgres@127.0.0.1:5432/<db>?sslmode=disable
#	PERFBOT_TEST_REDIS     redis://127.0.0.1:6379/0
#
# runs the command, and drops the database however the command ends,
# exiting with the command's status.
set -euo pipefail

(($# > 0)) || { echo "usage: $0 command [args...]" >&2; exit 2; }

bash "$(dirname "$0")/ensure-services.sh"

# -w: never prompt for a password (CI has no stdin).
psql_admin() {
	psql -w -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres -d postgres "$@"
}

# od reads just the bytes it needs, so no SIGPIPE trips pipefail.
db="perfbot_test_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"

drop_db() {
	local status=$?
	# FORCE ends connections a killed test left behind.
	if ! psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; then
		echo "with-services: could not drop database $db; drop it by hand" >&2
	fi
	exit "$status"
}

psql_admin -c "CREATE DATABASE $db"
trap drop_db EXIT
# Turn INT and TERM into an exit, so the EXIT trap drops the database.
trap 'exit 130' INT
trap 'exit 143' TERM

export PERFBOT_TEST_POSTGRES="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable"
export PERFBOT_TEST_REDIS="redis://127.0.0.1:6379/0"
echo "with-services: database $db" >&2

# Not exec: the trap must run after the command.
"$@"
