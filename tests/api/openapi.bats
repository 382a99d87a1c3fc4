#!/usr/bin/env bats
# The API document and the error catalogue stay true to the code.
load helpers

# The server's route tables (src/*.c, listed by the test-only route
# /_test/routes) as "path method" lines, OpenAPI-style: "{}" for each
# parameter ("^/api/v1/stores/([a-z0-9-]{1,63})$" -> "/api/v1/stores/{}"),
# methods in lower case, HEAD left out (the document names GET).
table_routes() {
	curl -sf "$SAN_URL/_test/routes" |
	    jq -r '.[] | select(.path | test("^\\^?/(api/|healthz$|$)")) | .path as $p | .methods[] | select(. != "HEAD") | "\($p) \(ascii_downcase)"' |
	    sed -E 's/^\^//; s/\$ / /; s/\([^)]*\)/{}/g; s/\\\././g' | sort -u
}

doc_routes() {
	jq -r '.paths | to_entries[] | .key as $p | .value | keys[] |
	    select(IN("get", "put", "post", "delete", "patch", "head")) | "\($p) \(.)"' \
	    "$BATS_TEST_DIRNAME/../../assets/openapi.json" |
	    sed -E 's/\{[^}]*\}/{}/g' | sort -u
}

@test "every route and method in the tables is documented in openapi.json, and nothing else is" {
	local t
	t=$(table_routes)
	[ "$(wc -l <<<"$t")" -ge 40 ]
	diff <(echo "$t") <(doc_routes)
}

# "path method name choices" lines: every query-string argument of the
# tables (choices: the QS_ENUM values joined by '|', else "-").
table_args() {
	curl -sf "$SAN_URL/_test/routes" |
	    jq -r '.[] | .path as $p | .args | to_entries[] | .key as $m |
		.value[] | "\($p) \($m | ascii_downcase) \(.name) \(.choices // ["-"] | join("|"))"' |
	    sed -E 's/^\^//; s/\$ / /; s/\([^)]*\)/{}/g; s/\\\././g' | sort
}

# The same from the document: its query parameters and their enums.
doc_args() {
	jq -r '.paths | to_entries[] | .key as $p | .value.parameters as $shared |
	    .value | to_entries[] | select(.key | IN("get", "put", "post", "delete", "patch")) |
	    .key as $m | ($shared // []) + (.value.parameters // []) | .[] |
	    select(.in == "query") |
	    "\($p) \($m) \(.name) \(.schema.enum // ["-"] | join("|"))"' \
	    "$BATS_TEST_DIRNAME/../../assets/openapi.json" |
	    sed -E 's/\{[^}]*\}/{}/g' | grep -v ' vnp_\* ' | sort
}

@test "every query argument of the tables is documented with its choices, and nothing else is" {
	local t
	t=$(table_args)
	[ "$(wc -l <<<"$t")" -ge 40 ]
	diff <(echo "$t") <(doc_args)
}

@test "every operation of the document says whether it needs a session" {
	run jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] |
	    select(.key | IN("get", "put", "post", "delete", "patch")) |
	    select(.value.security == null) | "\($p) \(.key)"' \
	    "$BATS_TEST_DIRNAME/../../assets/openapi.json"
	[ "$status" -eq 0 ]
	[ -z "$output" ] || { echo "no security: $output"; return 1; }
}

@test "conf/ names no routes: the tables are the only list" {
	[ -z "$(grep -E '^[[:space:]]*route[[:space:]]' "$BATS_TEST_DIRNAME/../../conf/san.conf.in")" ]
}

@test "every route of the tables answers through the dispatcher (no Kore bare 404)" {
	local p
	for p in $(curl -sf "$SAN_URL/_test/routes" | jq -r '.[].path' |
	    sed -E 's/^\^//; s/\$$//; s/\(\[0-9\]\{1,(9|18)\}\)/1/g; s/\(\[a-z0-9-\]\{1,63\}\)/x-y/g; s/\\\././g' |
	    sed -E 's/\[A-Za-z0-9._-\]\{1,100\}/x.js/; s#^/\(([a-z-]+)[|][^)]*\).*$#/\1#'); do
		api OPTIONS "$p"
		assert_error 405 method_not_allowed || { echo "$p"; return 1; }
		grep -q '^allow: ' <<<"$headers" || { echo "no Allow on $p"; return 1; }
	done
}

@test "the server serves the document: OpenAPI 3.1 JSON" {
	api GET /api/v1/openapi.json
	[ "$code" = 200 ]
	grep -q '^content-type: application/json' <<<"$headers"
	[[ "$(jq -r .openapi <<<"$body")" == 3.1.* ]]
	[ "$(jq -S . <<<"$body")" = "$(jq -S . "$BATS_TEST_DIRNAME/../../assets/openapi.json")" ]
}

@test "the landing page is Vietnamese HTML linking the API document" {
	api GET /
	[ "$code" = 200 ]
	grep -q '^content-type: text/html' <<<"$headers"
	grep -q 'lang="vi"' <<<"$body"
	grep -q '/api/v1/openapi.json' <<<"$body"
}

@test "every error code the SQL functions and handlers use has a message" {
	local top="$BATS_TEST_DIRNAME/../.." known used c missing=0
	known=$(sed -n 's/^	{ "\([a-z_]*\)",.*/\1/p' "$top/src/errors.c" | sort -u)
	used=$( { grep -oh "api\.err([0-9]*, '[a-z_]*'" "$top"/sql/api/*.sql | sed "s/.*'\(.*\)'/\1/"
		grep -ohE 'api_error\(req, [0-9]+, "[a-z_]+"' "$top"/src/*.c | sed -E 's/.*"(.*)"/\1/'
		grep -ohE '\*code = "[a-z_]+"|code = "[a-z_]+"' "$top"/src/*.c | sed -E 's/.*"(.*)"/\1/'
		grep -ohE 'return \("(password_[a-z_]+|json_[a-z_]+)"\)' "$top"/src/*.c | sed -E 's/.*"(.*)".*/\1/'
	} | sort -u)
	[ "$(wc -l <<<"$used")" -gt 30 ]
	for c in $used; do
		grep -qx "$c" <<<"$known" || { echo "no message for $c"; missing=1; }
	done
	[ $missing = 0 ]
	# Sorted, as errcat_message() relies on bsearch.
	[ "$(sed -n 's/^	{ "\([a-z_]*\)",.*/\1/p' "$top/src/errors.c")" = "$(LC_ALL=C sort <<<"$known")" ]
}

@test "unknown paths answer 404 and wrong methods 405 with Allow" {
	api GET /api/v1/nothing-here
	[ "$code" = 404 ]
	api DELETE /api/v1/stores
	assert_error 405 method_not_allowed
	grep -q '^allow: get, post' <<<"$headers"
}
