#!/bin/sh
# Install the Debian packages San needs to build, run and test, only those
# missing.  Uses sudo when not root.  Same script for dev, CI and Docker.
# Besides the libraries and servers, the tools the scripts and tests call
# that a minimal bookworm (debootstrap minbase, the debian:bookworm image)
# lacks: make, curl, jq, bats, openssl (paysim), procps (pgrep in
# tests/api/pool.bats, crash.bats and scripts/bench.sh), wrk and pgbench
# (postgresql) for make bench, clang for make fuzz.  scripts/fresh-check.sh
# proves the list on a fresh root.
set -eu
PKGS="kore libpq-dev postgresql postgresql-contrib libsodium-dev
libjansson-dev libcmocka-dev libqrencode-dev libssl-dev pkg-config gcc make
libvips-dev bats curl jq wrk openssl procps clang libclang-rt-14-dev"
# Web app: browser tests in Chromium, fonts for screenshots.
PKGS="$PKGS chromium fonts-noto-core"
# Cluster test (tests/cluster, part of make test): nginx in front of two
# nodes.
PKGS="$PKGS nginx"
# SQL injection probes (tests/security/sqlmap.sh: its fast subset is part
# of make test; it brings python3, which its target generator uses).
PKGS="$PKGS sqlmap"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
# Node.js and npm build the web app: Debian's (18) unless a node and npm
# are already there (another packaging of Node.js conflicts with Debian's
# npm package, so the commands are checked, not the package names).
command -v node >/dev/null || missing="$missing nodejs"
command -v npm >/dev/null || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "install-deps: missing packages:$missing;" \
		    "run as root or install sudo" >&2
		exit 1
	}
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
