#!/bin/sh
# make admin EMAIL=...: create the first admin, or promote an existing
# account.  Password from SAN_ADMIN_PASSWORD, else asked on the terminal
# (only needed when the account does not exist yet).  Honours DATABASE_URL.
set -eu
. "$(dirname "$0")/lib.sh"
email=${1:-}
case "$email" in
*@*.*) ;;
*) echo "usage: make admin EMAIL=name@example.vn" >&2; exit 2 ;;
esac
: "${DATABASE_URL:?DATABASE_URL must be set}"
sh "$SAN_ROOT/scripts/migrate.sh" >/dev/null
exists=$(san_psql -At -v email="$email" <<'SQL'
SELECT count(*) FROM san.accounts WHERE lower(email) = lower(:'email');
SQL
)
hash=""
if [ "$exists" = 0 ]; then
	pw=${SAN_ADMIN_PASSWORD:-}
	if [ -z "$pw" ]; then
		printf "password for %s (12+ characters): " "$email" >&2
		stty -echo 2>/dev/null || true
		read -r pw
		stty echo 2>/dev/null || true
		echo >&2
	fi
	# san-hash applies the registration password policy.
	hash=$(printf '%s\n' "$pw" | "$SAN_ROOT/build/san-hash") || exit 2
fi
san_psql -At -v email="$email" -v hash="$hash" <<'SQL'
BEGIN;
INSERT INTO san.accounts (email, password_hash, full_name)
SELECT :'email', :'hash', 'Quản trị viên'
 WHERE :'hash' <> ''
ON CONFLICT ((lower(email))) DO NOTHING;
INSERT INTO san.account_roles (account_id, role)
SELECT id, 'admin' FROM san.accounts WHERE lower(email) = lower(:'email')
ON CONFLICT DO NOTHING;
INSERT INTO san.audit_log (action, object_type, object_id, detail)
SELECT 'role_grant', 'account', id::text,
    '{"role":"admin","via":"make admin"}'
  FROM san.accounts WHERE lower(email) = lower(:'email');
COMMIT;
SQL
echo "$email is an admin"
