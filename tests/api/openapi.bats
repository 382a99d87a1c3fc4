#!/usr/bin/env bats
# The API document and the error catalogue stay true to the code.
load helpers

# Routes in conf/san.conf.in as OpenAPI-style paths with "{}" for each
# parameter: "^/api/v1/stores/([a-z0-9-]{1,63})$" -> "/api/v1/stores/{}".
conf_paths() {
	# The catch-all 404 route is not an endpoint, nor are the web app's
	# files and URLs (src/web.c).
	awk '$1 == "route" && $3 != "api_not_found" && $3 != "web_static" && $3 != "web_app" { print $2 }' "$BATS_TEST_DIRNAME/../../conf/san.conf.in" |
	    sed -E 's/^\^//; s/\$$//; s/\([^)]*\)/{}/g; s/\\\././g' | sort -u
}

doc_paths() {
	jq -r '.paths | keys[]' "$BATS_TEST_DIRNAME/../../assets/openapi.json" |
	    sed -E 's/\{[^}]*\}/{}/g' | sort -u
}

@test "every route in conf/ is documented in openapi.json, and nothing else is" {
	diff <(conf_paths) <(doc_paths)
}

@test "every handler named in conf/ exists in the module" {
	local h
	for h in $(awk '$1 == "route" { print $3 }' "$BATS_TEST_DIRNAME/../../conf/san.conf.in"); do
		nm -D --defined-only "$BATS_TEST_DIRNAME/../../build/san.so" | grep -qw "$h" ||
		    { echo "missing handler $h"; return 1; }
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
