#!/bin/sh
# Install the Debian packages San needs to build, run and test, only those
# missing.  Uses sudo when not root.  Same script for dev, CI and Docker.
set -eu
PKGS="kore libpq-dev postgresql postgresql-contrib libsodium-dev
libjansson-dev libcmocka-dev libqrencode-dev libssl-dev pkg-config gcc make
bats curl jq wrk openssl clang libclang-rt-14-dev"
# Web app (issue 9): build with Node/npm, browser tests in Chromium, fonts for screenshots.
PKGS="$PKGS nodejs npm chromium fonts-noto-core"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
