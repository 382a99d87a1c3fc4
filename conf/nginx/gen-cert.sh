#!/bin/sh
# gen-cert.sh — entrypoint of the nginx container.
#
# If no certificate is present in $SAN_CERT_DIR (default /etc/nginx/certs),
# create a self-signed ECDSA P-256 certificate for $SAN_CERT_CN (default
# localhost) so the edge can serve TLS on first start; then exec the
# container's command (normally: nginx -g 'daemon off;').
#
# For production, put the real chain and key in the certs volume as
# server.crt and server.key (PEM): an existing pair is never overwritten.
set -eu

dir=${SAN_CERT_DIR:-/etc/nginx/certs}
cn=${SAN_CERT_CN:-localhost}
crt=$dir/server.crt
key=$dir/server.key

if [ ! -s "$crt" ] || [ ! -s "$key" ]; then
	case $cn in
	*[!0-9.]*)	san="DNS:$cn" ;;
	*)		san="IP:$cn" ;;
	esac
	[ "$cn" = localhost ] || san="$san,DNS:localhost"
	san="$san,IP:127.0.0.1"

	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.gen-cert.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	(
		umask 077
		openssl req -x509 -nodes -newkey ec \
		    -pkeyopt ec_paramgen_curve:P-256 -sha256 -days 397 \
		    -subj "/CN=$cn" -addext "subjectAltName=$san" \
		    -keyout "$tmp/server.key" -out "$tmp/server.crt"
	)
	chmod 600 "$tmp/server.key"
	chmod 644 "$tmp/server.crt"
	# Key first, certificate last: a present server.crt means a usable pair.
	mv -f "$tmp/server.key" "$key"
	mv -f "$tmp/server.crt" "$crt"
	rm -rf "$tmp"
	trap - EXIT
	echo "gen-cert: created a self-signed certificate for $cn ($san);" \
	    "replace $crt and $key with real ones for production" >&2
fi

if [ "$#" -gt 0 ]; then
	exec "$@"
fi
