# Shared shell helpers; sourced by the other scripts.  POSIX sh.
# SAN_ROOT: repository top.  PGBIN: PostgreSQL 15 server binaries.
SAN_ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

# psql on $DATABASE_URL, quiet, stopping at the first error.
san_psql() {
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" "$@"
}

# Run a PostgreSQL server binary.  PostgreSQL refuses to run as root, so
# under root it runs as the "postgres" user the Debian package created.
pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# pg_cluster_up DIR: create (first time) and start a private cluster in DIR
# listening only on a Unix socket in DIR/run.  Prints its DATABASE_URL.
# When root and the postgres user cannot reach DIR (e.g. a checkout under
# /root), the cluster lives in /tmp and DIR becomes a symlink to it.
pg_cluster_up() {
	dir=$1
	if [ ! -e "$dir" ]; then
		mkdir -p "$dir"
		if [ "$(id -u)" -eq 0 ]; then
			if ! runuser -u postgres -- test -x "$dir" 2>/dev/null
			then
				rmdir "$dir"
				real=$(mktemp -d /tmp/san-pg.XXXXXX)
				ln -s "$real" "$dir"
			fi
			chown postgres "$dir/"
		fi
	fi
	# From here on the physical path: with the symlink, the path through
	# DIR would still cross a folder the postgres user cannot enter.
	dir=$(cd "$dir" && pwd -P)
	mkdir -p "$dir/run" 2>/dev/null || true
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir/run"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		pg_as_owner "$PGBIN/initdb" -D "$dir/data" -U san -A trust \
		    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2; return 1; }
		cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$(cd "$dir/run" && pwd -P)'
max_connections = 200
shared_buffers = 256MB
fsync = on
idle_in_transaction_session_timeout = '30s'
log_min_messages = warning
CONF
	fi
	if ! pg_as_owner "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
	then
		pg_as_owner "$PGBIN/pg_ctl" -D "$dir/data" -w -t 60 \
		    -l "$dir/run/server.log" start >/dev/null
	fi
	sock=$(cd "$dir/run" && pwd -P)
	# The database itself.
	if ! "$PGBIN/psql" -qAt "postgresql:///postgres?host=$sock&user=san" \
	    -c "SELECT 1 FROM pg_database WHERE datname = 'san'" | grep -q 1
	then
		"$PGBIN/createdb" -h "$sock" -U san san
	fi
	echo "postgresql:///san?host=$sock&user=san"
}

# san_app_url OWNER_URL: the application role's URL (san_app, see
# sql/011_app_role.sql) for the owner URL of a cluster made by
# pg_cluster_up (Unix socket, trust): the same with user=san_app.
# Prints nothing for any other URL (production says SAN_APP_DATABASE_URL).
san_app_url() {
	case $1 in
	*'?host=/'*'&user=san') printf '%s_app\n' "$1" ;;
	esac
}

pg_cluster_down() {
	[ -f "$1/data/PG_VERSION" ] || return 0
	d=$(cd "$1" && pwd -P)
	pg_as_owner "$PGBIN/pg_ctl" -D "$d/data" -m fast -w stop >/dev/null 2>&1 || true
}
