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
go vet "$@"
go test -race -count=1 -timeout 30m "$@"
