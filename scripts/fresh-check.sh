#!/bin/sh
# fresh-check: prove that the README's commands work on their first try on
# a genuinely fresh Debian bookworm, not on this (already provisioned)
# machine.  Builds a minimal bookworm root (debootstrap --variant=minbase,
# from Debian's archive) in a scratch folder, copies in a clean clone of
# the committed HEAD, and inside it as root:
#   1. `make run` until /healthz answers (timed), then stops the server and
#      its embedded PostgreSQL;
#   2. with Kore removed and build/ deleted, `make test` (timed), showing
#      its last line.
# The only thing installed beforehand is `make` (the README's requirement).
# Prints both times; exits non-zero if either step fails.  Not part of
# `make test`: it takes 20-40 minutes (packages, then the whole suite).
#
# Run as root on a Debian/Ubuntu host with debootstrap and git:
#   sh scripts/fresh-check.sh
# Environment:
#   FRESH_MIRROR  Debian mirror (http://deb.debian.org/debian)
#   FRESH_PORT    port for `make run` inside (first free from 28888)
#   FRESH_KEEP=1  keep the root (and leave nothing mounted) for inspection
#   FRESH_CACHE   folder for a tarball of the bare debootstrapped root,
#                 reused by later runs (default: none, truly fresh)
#   FRESH_DIR     parent of the scratch root (default /var/tmp)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
variant=minbase
[ "$(id -u)" -eq 0 ] || { echo "fresh-check: run as root" >&2; exit 2; }
for t in debootstrap git chroot curl mount; do
	command -v "$t" >/dev/null ||
	    { echo "fresh-check: needs $t on the host" >&2; exit 2; }
done
rev=$(git -C "$src" rev-parse HEAD)
git -C "$src" diff --quiet HEAD 2>/dev/null ||
    echo "fresh-check: note: uncommitted changes are not tested (HEAD $rev)"

root=$(mktemp -d "${FRESH_DIR:-/var/tmp}/san-fresh.XXXXXX")
# mktemp gives 700: the chroot's postgres user could not even reach /.
chmod 755 "$root"
log=$root.log
mounted=""
run_pid=""

in_root() {
	# A clean environment, as after logging in on the fresh machine.
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
	    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    ${host_ca:+NODE_EXTRA_CA_CERTS=/etc/fresh-check-ca.crt} \
	    "$@"
}

cleanup() {
	rc=$?
	set +e
	[ $rc -eq 0 ] || echo "fresh-check: FAILED (exit $rc)" >&2
	if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
		stop_run
	fi
	# Anything still running from inside the root (a leftover server or
	# PostgreSQL) would keep the mounts busy.
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] &&
		    kill -9 "${p#/proc/}" 2>/dev/null
	done
	sleep 1
	for m in $mounted; do
		umount "$root/$m" 2>/dev/null || umount -l "$root/$m"
	done
	if [ "${FRESH_KEEP:-0}" = 1 ]; then
		echo "fresh-check: kept $root (log $log)"
	else
		# Never delete through a mount that is still there.
		if grep -q " $root/" /proc/mounts; then
			echo "fresh-check: $root still has mounts; not removed" >&2
		else
			rm -rf "$root"
		fi
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mnt() { # mnt TARGET ARGS...: mount and remember, last mounted first out
	t=$1; shift
	mkdir -p "$root/$t"
	mount "$@" "$root/$t"
	mounted="$t $mounted"
}

secs() { date +%s; }
fmt() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# --- 1. a bare bookworm root ------------------------------------------
t0=$(secs)
tarball=${FRESH_CACHE:+$FRESH_CACHE/bookworm-$variant.tar}
if [ -n "$tarball" ] && [ -f "$tarball" ]; then
	echo "fresh-check: root from cache $tarball"
	tar -C "$root" -xpf "$tarball"
else
	echo "fresh-check: debootstrap --variant=$variant bookworm $mirror"
	debootstrap --variant=$variant bookworm "$root" "$mirror" >"$log" 2>&1 ||
	    { tail -n 30 "$log" >&2; exit 1; }
	if [ -n "$tarball" ]; then
		mkdir -p "$FRESH_CACHE"
		tar -C "$root" -cpf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	fi
fi
echo "fresh-check: root $root ready in $(fmt $(($(secs) - t0)))"

cp /etc/resolv.conf "$root/etc/resolv.conf"
# The network's own: where this host reaches the npm registry through a
# TLS-inspecting proxy, every machine of that network trusts the proxy's CA
# (NODE_EXTRA_CA_CERTS here); the fresh root gets the same, nothing else.
host_ca=""
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
	cp "$NODE_EXTRA_CA_CERTS" "$root/etc/fresh-check-ca.crt"
	host_ca=1
fi
# Package scripts must not start services: a daemon started in the chroot
# would run on the host's network (e.g. the default PostgreSQL cluster).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mnt proc -t proc proc
mnt sys -t sysfs sysfs
mnt dev --bind /dev
mnt dev/pts --bind /dev/pts
# PostgreSQL's dynamic shared memory lives in /dev/shm: a private tmpfs.
mnt dev/shm -t tmpfs -o mode=1777,nosuid,nodev tmpfs

# --- 2. the committed code, and the README's one requirement ------------
git clone -q "$src" "$root/root/san"
git -C "$root/root/san" checkout -q "$rev"
echo "fresh-check: clone of $rev in /root/san"
in_root sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends make >/dev/null' ||
    { echo "fresh-check: could not install make" >&2; exit 1; }

# --- 3. make run until /healthz answers -------------------------------
port=${FRESH_PORT:-28888}
if [ -z "${FRESH_PORT:-}" ]; then
	while curl -s -o /dev/null "http://127.0.0.1:$port/"; do
		port=$((port + 1))
	done
fi
stop_run() {
	# The server (kore's parent writes var/kore.pid), then the embedded
	# PostgreSQL, as `make clean` does without deleting anything.
	# shellcheck disable=SC2016
	in_root sh -c 'cd /root/san
		[ -f var/kore.pid ] && kill "$(cat var/kore.pid)"
		for i in $(seq 50); do
			[ -f var/kore.pid ] && kill -0 "$(cat var/kore.pid)" \
			    2>/dev/null || break
			sleep 0.2
		done
		. scripts/lib.sh; pg_cluster_down var/pg' 2>/dev/null || true
	kill "$run_pid" 2>/dev/null || true
	wait "$run_pid" 2>/dev/null || true
	run_pid=""
}
echo "fresh-check: make run (PORT=$port)"
t0=$(secs)
in_root sh -c "cd /root/san && PORT=$port make run" >"$root.run.log" 2>&1 &
run_pid=$!
ok=0
while kill -0 "$run_pid" 2>/dev/null; do
	if curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; then
		ok=1
		break
	fi
	sleep 1
done
run_time=$(($(secs) - t0))
if [ $ok = 1 ]; then
	echo "fresh-check: make run: /healthz answered after $(fmt $run_time)"
	# The module must have been built with Kore's feature flags.
	grep -q -- '-DKORE_USE_PGSQL' "$root.run.log" ||
	    { echo "fresh-check: compiled without Kore's flags" >&2; ok=0; }
	stop_run
fi
if [ $ok != 1 ]; then
	echo "fresh-check: make run FAILED after $(fmt $run_time):" >&2
	tail -n 40 "$root.run.log" >&2
	exit 1
fi

# --- 4. make test -----------------------------------------------------
# Its first try too: as on a machine where `make test` comes first, Kore
# is not installed and nothing is built (the rest stays installed).
in_root sh -c 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq kore \
    >/dev/null 2>&1 && rm -rf /root/san/build' ||
    { echo "fresh-check: could not remove kore" >&2; exit 1; }
echo "fresh-check: make test (Kore removed, build/ deleted)"
t0=$(secs)
set +e
in_root sh -c 'cd /root/san && make test' >"$root.test.log" 2>&1
test_rc=$?
set -e
test_time=$(($(secs) - t0))
last=$(tail -n 1 "$root.test.log")
if ! grep -q -- '-DKORE_USE_PGSQL' "$root.test.log"; then
	echo "fresh-check: make test compiled without Kore's flags" >&2
	test_rc=1
fi
if [ $test_rc -ne 0 ]; then
	grep -E '^not ok|FAILED' "$root.test.log" | head -n 40 >&2
fi

echo
echo "fresh-check ($rev, bookworm $variant):"
echo "  make run:  /healthz after $(fmt $run_time)"
echo "  make test: $(fmt $test_time), exit $test_rc, last line: $last"
echo "  logs: $root.run.log $root.test.log"
[ $test_rc -eq 0 ]
