#!/usr/bin/env bash
# fuzz.sh runs every fuzz target of the module for a bounded time each
# (FUZZTIME, default 2s), so CI exercises each decoder and parser beyond
# its committed seed corpus. Targets are found with go test -list, so a new
# one is picked up without editing this script.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-2s}
total=0
while read -r pkg; do
	targets=$(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
	for target in $targets; do
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" >/dev/null ||
			{ echo "fuzz: $pkg $target failed; rerun: go test -run '^\$' -fuzz '^${target}\$' $pkg" >&2; exit 1; }
		total=$((total + 1))
	done
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u | sed 's#^\.#github.com/perfbot/perfbot#')
echo "fuzz: $total targets, $fuzztime each"
