#!/usr/bin/env bash
# ensure-tools.sh installs the Debian packages the tests need
# when they are missing: for internal/voice ffmpeg to convert audio,
# espeak-ng to speak a test check-in, pocketsphinx with its US English model
# to transcribe it, and libavcodec-extra because Debian's plain libavcodec
# has no AMR-NB encoder (the tests make AMR as WeCom sends it); chromium for
# the simulator's browser tests (internal/browsertest), with CJK and emoji
# fonts so their screenshots show what people see; prometheus for promtool,
# which checks and unit-tests the alert rules (the server is not started);
# and helm, built from the
# Go module proxy, for the chart's lint and render test (deploy). It says
# nothing when everything is already there and fails, saying why, when
# apt-get or go install does.
set -euo pipefail

readonly packages=(ffmpeg libavcodec-extra espeak-ng pocketsphinx pocketsphinx-en-us chromium fonts-noto-cjk fonts-noto-color-emoji prometheus)

log() { printf 'ensure-tools: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# installed PKG succeeds when dpkg has PKG fully installed (not just known).
installed() {
	[[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

missing=()
for pkg in "${packages[@]}"; do
	installed "$pkg" || missing+=("$pkg")
done
install_packages() {
	command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install them by hand"
	sudo=()
	if ((EUID != 0)); then
		command -v sudo >/dev/null || die "missing ${missing[*]}: run as root or install sudo"
		sudo=(sudo)
	fi

	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# -qq: apt's progress is noise in a CI log; its errors still reach stderr.
	"${sudo[@]}" apt-get update -qq || die "apt-get update failed"
	"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"

	for pkg in "${missing[@]}"; do
		installed "$pkg" || die "$pkg is still not installed after apt-get install"
	done
	log "installed ${missing[*]}"
}
((${#missing[@]} == 0)) || install_packages

# helm: not a Debian package here, but its Go module is served. Installed
# outside the project's module, so perfbot's go.mod does not see it.
readonly helm_version=v4.3.2
gobin="$(go env GOPATH)/bin"
if ! command -v helm >/dev/null && ! [[ -x "$gobin/helm" ]]; then
	log "building helm $helm_version (a few minutes, once)"
	(cd / && GOFLAGS= go install "helm.sh/helm/v4/cmd/helm@$helm_version") || die "go install helm $helm_version failed"
	log "installed helm at $gobin/helm"
fi
