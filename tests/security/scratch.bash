# tests/security/scratch.bash: sourced by the security scripts (bash).
#
# scratch_server NAME [ENV=VALUE ...]
#   Makes DIR=/tmp/san-NAME.XXXXXX, starts a PostgreSQL cluster in
#   DIR/pg, migrates it, seeds the demo data and serves the app from this
#   checkout on a free loopback port, with the ENV=VALUE pairs exported
#   first.  Sets and exports DIR, DATABASE_URL, PORT, SAN_URL; the server
#   log is DIR/server.log.  An EXIT trap stops the server and the cluster
#   and removes DIR (kept when SAN_KEEP_TEST_DIR=1).  Returns non-zero when
#   the cluster, the migrations or the seed fail; the caller exits then.
#   Needs ROOT (the checkout) and scripts/lib.sh sourced, cwd = ROOT.
scratch_server() {
	local name=$1 i
	shift
	# Run from scripts/test.sh, the environment names the suite's own
	# database and server: nothing of that may reach this one (the app
	# role's URL would point the scratch server at the suite's database).
	unset SAN_APP_DATABASE_URL SAN_REPLICA_URL SAN_TEST_ROUTES \
	    SAN_SERVER_LOG SAN_CONF_OUT PORT SAN_URL
	DIR=$(mktemp -d "/tmp/san-$name.XXXXXX")
	[ "$(id -u)" -eq 0 ] && chmod 755 "$DIR"
	trap scratch_cleanup EXIT
	trap 'exit 1' INT TERM
	DATABASE_URL=$(pg_cluster_up "$DIR/pg") || return 1
	export DIR DATABASE_URL
	sh scripts/migrate.sh >/dev/null || return 1
	SAN_SEED_DEMO=1 sh scripts/seed-demo.sh >/dev/null || return 1
	PORT=$((40000 + $$ % 10000))
	while curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do
		PORT=$((PORT + 1))
	done
	export PORT SAN_URL="http://127.0.0.1:$PORT" SAN_CONF_OUT="$DIR/san.conf"
	for i in "$@"; do export "$i"; done
	setsid sh scripts/serve.sh >"$DIR/server.log" 2>&1 </dev/null &
	for i in $(seq 200); do
		curl -sf -o /dev/null "$SAN_URL/healthz" && break
		sleep 0.1
	done
}

# The EXIT trap of scratch_server: server, cluster, then DIR.
scratch_cleanup() {
	[ -f "$DIR/kore.pid" ] && kill "$(cat "$DIR/kore.pid")" 2>/dev/null
	sleep 0.5
	pg_cluster_down "$DIR/pg"
	if [ "${SAN_KEEP_TEST_DIR:-0}" = 1 ]; then
		echo "kept $DIR"
	else
		rm -rf "$DIR"
	fi
}
