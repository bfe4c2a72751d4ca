#!/usr/bin/env bash
# test.sh vets and tests perfbot. It expects PERFBOT_TEST_POSTGRES and
# PERFBOT_TEST_REDIS to point at running services; make test runs it under
# with-services.sh, which provides them. Arguments replace the default
# package list ./...
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# == 0)); then
	set -- ./...
fi
bash scripts/ensure-tools.sh # ffmpeg, espeak-ng, pocketsphinx for internal/voice
# go.mod and go.sum must say exactly what the code imports.
if ! go mod tidy -diff >/dev/null; then
	echo "go.mod is not tidy: run go mod tidy" >&2
	go mod tidy -diff >&2 || true
	exit 1
fi
# gofmt, as make lint checks it: CI is where a forgotten gofmt shows.
if unformatted=$(gofmt -l . 2>&1) && [[ -n "$unformatted" ]]; then
	echo "gofmt -w needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet "$@"
go test -race -count=1 -timeout 30m "$@"
# The short load run goes on its own: beside the other packages on two
# cores it would measure them, and miss its time bound.
if [[ "$*" == ./... ]]; then
	PERFBOT_LOADTEST=1 go test -race -count=1 -timeout 10m -run '^TestShortRun$' ./internal/loadgen/
fi
bash scripts/fuzz.sh "$@" # each fuzz target for a few seconds (FUZZTIME)
