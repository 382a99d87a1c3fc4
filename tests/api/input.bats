#!/usr/bin/env bats
# Bad input: every one answers its 4xx in the one error shape, never echoes
# the input back, and changes nothing in the database.
load helpers

setup_file() {
	local id tok
	read -r id tok < <(new_account "$(uniq_email input)")
	[ -n "$tok" ]
	export ME_ID=$id ME_TOK=$tok
}

setup() {
	TOKEN=$ME_TOK
	# A valid application; its tax code is used by at most one successful
	# request per test.
	BASE=$(business_json "$(tax_code $RANDOM)")
	BEFORE=$(snapshot)
}

# body_with KEY JSON-VALUE: $BASE with one member's value replaced by raw
# JSON text (so any bytes and escapes can be placed).  Pure bash: the
# members of $BASE hold no quotes.
body_with() {
	local pre=${BASE%%\"$1\":*} rest=${BASE#*\"$1\":\"}
	printf '%s"%s":%s%s' "$pre" "$1" "$2" "${rest#*\"}"
}

# is_error_shape: the body is {"error":{"code","message","field"}} and
# nothing else.
is_error_shape() {
	jq -e '(keys == ["error"]) and (.error | type == "object")
	    and (.error.code | type == "string") and (.error.message | type == "string")
	    and ((.error | keys) - ["code", "message", "field"] == [])' <<<"$body" >/dev/null ||
	    { echo "not the error shape: $body"; return 1; }
	grep -q '^content-type: application/json' <<<"$headers"
}

@test "invalid tax codes answer 400 invalid_tax_code field tax_code; nothing changes" {
	local t tc
	t=$(tax_code 21)
	for tc in "${t:0:9}$(( (${t:9:1} + 1) % 10 ))" "${t:0:9}" "${t}0" "${t:0:4}AB${t:6:4}" \
	    "$t-000" "$t-00" "$t-0001" "$t-" "$t-1a3" "$t 001" "$t/001" "+$t" "" "   " \
	    "０１２３４５６７８９"; do
		api POST /api/v1/businesses "$(body_with tax_code "\"$tc\"")"
		[ "$code" = 400 ] || { echo "tax code '$tc': $code $body"; return 1; }
		[[ "$body" == *'"field":"tax_code"'* ]] || { echo "'$tc': $body"; return 1; }
	done
	is_error_shape
	api POST /api/v1/businesses "$(business_json "${t:0:9}$(( (${t:9:1} + 1) % 10 ))")"
	assert_error 400 invalid_tax_code tax_code
	assert_unchanged "$BEFORE"
	# A number as tax code is not a string.
	api POST /api/v1/businesses "$(business_json "$t" | jq -c --argjson n "$t" '.tax_code = $n')"
	assert_error 400 not_a_string tax_code
	assert_unchanged "$BEFORE"
	# The valid forms are accepted: plain, with a branch, padded by blanks.
	api POST /api/v1/businesses "$(business_json "$t-001")"
	[ "$code" = 201 ]
	[ "$(jq -r .tax_code <<<"$body")" = "$t-001" ]
	api POST /api/v1/businesses "$(business_json " $t ")"
	[ "$code" = 201 ]
	[ "$(sql "SELECT count(*) FROM san.businesses WHERE tax_code = '$t'")" = 1 ]
}

@test "a tax code already registered answers 409 tax_code_taken; nothing changes" {
	local t id2 tok2 before
	t=$(tax_code 22)
	api POST /api/v1/businesses "$(business_json "$t")"
	[ "$code" = 201 ]
	before=$(snapshot)
	api POST /api/v1/businesses "$(business_json "$t" "Tên khác")"
	assert_error 409 tax_code_taken tax_code
	# Whoever asks.
	read -r id2 tok2 < <(new_account)
	before=$(snapshot)
	TOKEN=$tok2 api POST /api/v1/businesses "$(business_json "$t")"
	assert_error 409 tax_code_taken tax_code
	assert_unchanged "$before"
}

@test "unknown kind answers 400 invalid_choice field kind" {
	local k
	for k in '"corporation"' '"Cooperative"' '" "' '1' '["cooperative"]'; do
		api POST /api/v1/businesses "$(body_with kind "$k")"
		[ "$code" = 400 ] || { echo "kind $k: $code $body"; return 1; }
		[[ "$body" == *'"field":"kind"'* ]] || { echo "kind $k: $body"; return 1; }
	done
	api POST /api/v1/businesses "$(body_with kind '"doanh nghiệp"')"
	assert_error 400 invalid_choice kind
	assert_unchanged "$BEFORE"
}

@test "bad and future registration dates answer 400; nothing changes" {
	local d
	for d in 2023-02-30 2023-02-29 2023-04-31 2023-13-01 2023-00-10 2023-1-5 20230228 \
	    2023/02/28 "2023-02-28T00:00:00Z" 1899-12-31 "hôm qua" "" ; do
		api POST /api/v1/businesses "$(body_with registration_date "\"$d\"")"
		[ "$code" = 400 ] || { echo "date '$d': $code $body"; return 1; }
		[[ "$body" == *'"field":"registration_date"'* ]] || { echo "$d: $body"; return 1; }
	done
	api POST /api/v1/businesses "$(body_with registration_date '"2023-02-30"')"
	assert_error 400 invalid_date registration_date
	# Future, whatever the time zone.
	api POST /api/v1/businesses "$(body_with registration_date "\"$(date -u -d '+2 days' +%F)\"")"
	assert_error 400 date_in_future registration_date
	api POST /api/v1/businesses "$(body_with registration_date '"2999-12-31"')"
	assert_error 400 date_in_future registration_date
	assert_unchanged "$BEFORE"
	# Leap day of a leap year is a date.
	api POST /api/v1/businesses "$(body_with registration_date '"2024-02-29"')"
	[ "$code" = 201 ]
}

@test "a registration dated today in Vietnam (UTC+7) is not in the future" {
	# The province is in Asia/Ho_Chi_Minh: between 17:00 and 24:00 UTC its
	# today is the server's tomorrow.
	local today; today=$(TZ=Asia/Ho_Chi_Minh date +%F)
	api POST /api/v1/businesses "$(body_with registration_date "\"$today\"")"
	[ "$code" = 201 ] || { echo "today in Vietnam is $today: $code $body"; return 1; }
}

@test "a missing or blank required member answers 400 required with the field" {
	local f b
	# Each member left out, then null.
	while IFS=$'\t' read -r f b; do
		api POST /api/v1/businesses "$b"
		expect_error 400 required "$f" || { echo "body: $b"; return 1; }
	done < <(jq -r '. as $b | keys_unsorted[] as $k |
	    "\($k)\t\($b | del(.[$k]) | tojson)", "\($k)\t\($b | .[$k] = null | tojson)"' <<<"$BASE")
	[ "$(jq 'keys | length' <<<"$BASE")" = 12 ]
	for f in name address representative registration_no province ward; do
		api POST /api/v1/businesses "$(body_with "$f" '" \t "')"
		expect_error 400 required "$f" || { echo "$f blank"; return 1; }
	done
	api POST /api/v1/businesses '{}'
	assert_error 400 required
	assert_unchanged "$BEFORE"
}

@test "an unknown member answers 400 unknown_field" {
	api POST /api/v1/businesses "${BASE%\}},\"status\":\"verified\"}"
	assert_error 400 unknown_field
	api POST /api/v1/businesses "${BASE%\}},\"id\":1}"
	assert_error 400 unknown_field
	api POST /api/v1/businesses "${BASE%\}},\"Name\":\"x\"}"
	assert_error 400 unknown_field
	api POST /api/v1/auth/register "$(jq -nc '{email:"a@example.vn",password:"mật khẩu đủ dài 2026",full_name:"A",role:"admin"}')"
	assert_error 400 unknown_field
	assert_unchanged "$BEFORE"
}

@test "other values of the wrong type or too long answer 400 with the field" {
	api POST /api/v1/businesses "$(body_with name '123')"
	assert_error 400 not_a_string name
	api POST /api/v1/businesses "$(body_with name '{"vi":"Tên"}')"
	assert_error 400 not_a_string name
	api POST /api/v1/businesses "$(body_with name "\"$(printf 'ẫ%.0s' $(seq 256))\"")"
	assert_error 400 too_long name
	api POST /api/v1/businesses "$(body_with phone '"0123 456"')"
	assert_error 400 invalid_phone phone
	api POST /api/v1/businesses "$(body_with email '"không phải email"')"
	assert_error 400 invalid_email email
	assert_unchanged "$BEFORE"
	# 255 characters (not bytes) is the longest name.
	api POST /api/v1/businesses "$(body_with name "\"$(printf 'ẫ%.0s' $(seq 255))\"")"
	[ "$code" = 201 ]
}

@test "a wrong Content-Type answers 415; nothing changes" {
	local body_ok ct
	body_ok=$BASE
	for ct in text/plain application/x-www-form-urlencoded "multipart/form-data; boundary=x" \
	    application/jsonp application/json-patch+json text/json ""; do
		api_raw POST /api/v1/businesses "$ct" "$body_ok"
		expect_error 415 unsupported_media_type || { echo "Content-Type '$ct'"; return 1; }
	done
	is_error_shape
	assert_unchanged "$BEFORE"
	# Parameters and case are fine.
	api_raw POST /api/v1/businesses "Application/JSON; charset=utf-8" "$body_ok"
	[ "$code" = 201 ]
}

@test "a body over 1 MiB answers 413; exactly 1 MiB is read" {
	local big n body_ok
	body_ok=$BASE
	n=$(printf '%s' "$body_ok" | wc -c)
	# 1 MiB + 1 byte of otherwise valid JSON (blanks after the object).
	big=$(printf '%s%*s' "$body_ok" $((1048576 + 1 - n)) '')
	[ "$(printf '%s' "$big" | wc -c)" = 1048577 ]
	api_raw POST /api/v1/businesses application/json "$big"
	assert_error 413 body_too_large
	is_error_shape
	# Over 4 MiB (spooled to disk by Kore): the same error shape.
	head -c 5000000 /dev/zero | tr '\0' ' ' >"$BATS_TEST_TMPDIR/big.json"
	api_upload /api/v1/businesses "$BATS_TEST_TMPDIR/big.json" application/json
	assert_error 413 body_too_large
	is_error_shape
	# Over Kore's own ceiling (32 MiB): refused before any handler, bare
	# (nginx gives it the error shape in a deployment).
	head -c 33554433 /dev/zero >"$BATS_TEST_TMPDIR/huge.json"
	api_upload /api/v1/businesses "$BATS_TEST_TMPDIR/huge.json" application/json
	[ "$code" = 413 ]
	assert_unchanged "$BEFORE"
	# Exactly 1 MiB is accepted.
	big=$(printf '%s%*s' "$body_ok" $((1048576 - n)) '')
	[ "$(printf '%s' "$big" | wc -c)" = 1048576 ]
	api_raw POST /api/v1/businesses application/json "$big"
	[ "$code" = 201 ]
}

@test "malformed JSON answers 400 json_*: syntax, duplicates, trailing garbage, bad UTF-8, depth 17" {
	local deep16 deep17 b
	while IFS= read -r b; do
		api_raw POST /api/v1/businesses application/json "$b"
		expect_error 400 json_invalid || { echo "body: $b"; return 1; }
	done <<-'EOF'
		{
		{"name":}
		{'name':'x'}
		{"name":"x",}
		{"name":"x" "kind":"y"}
		{"tax_code":"1","tax_code":"2"}
		{"name":"a","name":"a"}
		{} x
		{}{}
		{}]
		{"name":"a\u0000b"}
		{"name":"\ud800"}
		{"name":"\x"}
		{"name":NaN}
		{"name":01}
	EOF
	# Invalid UTF-8: a stray continuation byte, an overlong form, a
	# truncated sequence, a UTF-16 surrogate encoded in UTF-8, a byte-order
	# mark before the object.
	for b in $'{"name":"\x80"}' $'{"name":"\xc0\xaf"}' $'{"name":"\xe1\xba"}' \
	    $'{"name":"\xed\xa0\x80"}' $'{"name":"a\xff"}' $'\xef\xbb\xbf{}'; do
		api_raw POST /api/v1/businesses application/json "$b"
		expect_error 400 json_invalid || { echo "body: $(printf '%s' "$b" | od -c | head -2)"; return 1; }
	done
	# An empty body.
	api_raw POST /api/v1/businesses application/json ""
	assert_error 400 json_invalid
	# Not an object.
	api_raw POST /api/v1/businesses application/json '[{"name":"x"}]'
	assert_error 400 json_not_object
	for b in '"x"' '1' 'null' 'true'; do
		api_raw POST /api/v1/businesses application/json "$b"
		[ "$code" = 400 ] && [[ "$(jq -r .error.code <<<"$body")" == json_* ]] ||
		    { echo "body $b: $code $body"; return 1; }
	done
	# Depth: the object is level 1; 16 levels parse (and fail on the
	# value), 17 are too deep.
	deep16="{\"name\":$(printf '[%.0s' $(seq 15))1$(printf ']%.0s' $(seq 15))}"
	deep17="{\"name\":$(printf '[%.0s' $(seq 16))1$(printf ']%.0s' $(seq 16))}"
	api_raw POST /api/v1/businesses application/json "$deep16"
	[ "$(jq -r .error.code <<<"$body")" != json_too_deep ]
	[ "$code" = 400 ]
	api_raw POST /api/v1/businesses application/json "$deep17"
	assert_error 400 json_too_deep
	api_raw POST /api/v1/businesses application/json "{\"x\":$(printf '{"a":%.0s' $(seq 200))1$(printf '}%.0s' $(seq 200))}"
	assert_error 400 json_too_deep
	assert_unchanged "$BEFORE"
}

@test "JSON \\u escapes are accepted: \\u00e0 is stored as à" {
	local t id
	t=$(tax_code 27)
	api POST /api/v1/businesses "$(business_json "$t" "X" | sed 's/"name":"X"/"name":"C\\u00e0 ph\\u00ea \\u0110\\u1ea5t \\u0110\\u1ecf \\ud83c\\udf75"/')"
	[ "$code" = 201 ]
	id=$(jq -r .id <<<"$body")
	[ "$(jq -r .name <<<"$body")" = "Cà phê Đất Đỏ 🍵" ]
	[ "$(sql "SELECT name FROM san.businesses WHERE id = $id")" = "Cà phê Đất Đỏ 🍵" ]
	[ "$(sql "SELECT name = U&'C\\00E0 ph\\00EA \\0110\\1EA5t \\0110\\1ECF \\+01F375' FROM san.businesses WHERE id = $id")" = t ]
}

@test "NFD-decomposed Vietnamese text is stored NFC" {
	local t id nfd
	t=$(tax_code 28)
	# "Hợp tác xã Đồng Tiến" with every mark combining (NFD).
	nfd=$(printf 'Ho\xcc\x9b\xcc\xa3p ta\xcc\x81c xa\xcc\x83 \xc4\x90o\xcc\x82\xcc\x80ng Tie\xcc\x82\xcc\x81n')
	[ "$nfd" != "Hợp tác xã Đồng Tiến" ]
	api POST /api/v1/businesses "$(business_json "$t" "$nfd" | jq -c --arg a "$nfd" '.address = $a | .representative = $a')"
	[ "$code" = 201 ]
	id=$(jq -r .id <<<"$body")
	[ "$(sql "SELECT normalize(name, NFC) = name AND name = 'Hợp tác xã Đồng Tiến' FROM san.businesses WHERE id = $id")" = t ]
	[ "$(sql "SELECT normalize(address, NFC) = address AND normalize(representative, NFC) = representative FROM san.businesses WHERE id = $id")" = t ]
	[ "$(jq -r .name <<<"$body")" = "Hợp tác xã Đồng Tiến" ]
	# Account names too.
	api POST /api/v1/auth/register "$(jq -nc --arg e "$(uniq_email nfd)" --arg p "$PASSWORD" --arg n "$nfd" '{email:$e,password:$p,full_name:$n}')"
	[ "$code" = 201 ]
	[ "$(sql "SELECT normalize(full_name, NFC) = full_name FROM san.accounts WHERE id = $(jq -r .id <<<"$body")")" = t ]
}

@test "a C0 control character in a name answers 400 invalid_text; nothing changes" {
	local c
	for c in '\u0000' '\u0001' '\u0007' '\u001b' '\u001f'; do
		api POST /api/v1/businesses "$(body_with name "\"Hợp tác xã${c}X\"")"
		[ "$code" = 400 ] || { echo "name with $c: $code $body"; return 1; }
		[ "$(jq -r .error.code <<<"$body")" = invalid_text ] || [ "$(jq -r .error.code <<<"$body")" = json_invalid ]
	done
	api POST /api/v1/businesses "$(body_with name '"Hợp tác xã\u0007X"')"
	assert_error 400 invalid_text name
	assert_unchanged "$BEFORE"
}

@test "DEL and C1 control characters in a name answer 400; nothing changes" {
	local c
	for c in '\u007f' '\u0080' '\u0085' '\u009b' '\u009f'; do
		api POST /api/v1/businesses "$(body_with name "\"Hợp tác xã${c}X\"")"
		expect_error 400 invalid_text name || { echo "name with $c"; return 1; }
	done
	assert_unchanged "$BEFORE"
}

@test "a line break or tab inside a one-line legal name answers 400; nothing changes" {
	local c
	for c in '\n' '\r' '\t' '\r\n'; do
		api POST /api/v1/businesses "$(body_with name "\"Hợp tác xã${c}Giả Mạo\"")"
		expect_error 400 invalid_text name || { echo "name with $c"; return 1; }
	done
	assert_unchanged "$BEFORE"
}

@test "errors never echo the raw input" {
	local m='ZQXMARKERZQX'
	local cases=(
		"tax_code \"$m\""
		"kind \"$m\""
		"registration_date \"$m\""
		"phone \"$m\""
		"email \"$m@\""
		"name \"$m$(printf '%s' '\u0001')\""
		"name \"$(printf 'ẫ%.0s' $(seq 256))$m\""
	)
	local c key val
	for c in "${cases[@]}"; do
		key=${c%% *} val=${c#* }
		api POST /api/v1/businesses "$(body_with "$key" "$val")"
		[ "$code" = 400 ] || { echo "$c: $code"; return 1; }
		[[ "$body$headers" != *"$m"* ]] || { echo "echoed: $body"; return 1; }
		is_error_shape
	done
	# An unknown member's name, a syntax error next to the marker, a
	# duplicate key, a wrong Content-Type, a bad query argument, a bad path.
	api POST /api/v1/businesses "$(business_json "$(tax_code 29)" | jq -c --arg m "$m" '.[$m] = 1')"
	[ "$code" = 400 ]; [[ "$body$headers" != *"$m"* ]]
	api_raw POST /api/v1/businesses application/json "{\"name\":\"$m\" x}"
	[ "$code" = 400 ]; [[ "$body$headers" != *"$m"* ]]
	api_raw POST /api/v1/businesses application/json "{\"$m\":1,\"$m\":2}"
	[ "$code" = 400 ]; [[ "$body$headers" != *"$m"* ]]
	api_raw POST /api/v1/businesses "text/$m" "{}"
	[ "$code" = 415 ]; [[ "$body$headers" != *"$m"* ]]
	api GET "/api/v1/stores?limit=$m"
	[ "$code" = 400 ]; [[ "$body$headers" != *"$m"* ]]
	api GET "/api/v1/stores?after=$m"
	[ "$code" = 400 ]; [[ "$body$headers" != *"$m"* ]]
	api GET "/api/v1/official/businesses?status=$m"
	[ "$code" = 400 ]; [[ "$body$headers" != *"$m"* ]]
	api GET "/api/v1/stores/zqxmarkerzqx-store"
	[ "$code" = 404 ]; [[ "$body$headers" != *"zqxmarkerzqx"* ]]
	api POST /api/v1/auth/login "$(jq -nc --arg m "$m@example.vn" '{email:$m,password:"sai mật khẩu rồi"}')"
	[ "$code" = 401 ]; [[ "$body$headers" != *"$m"* ]]
	# Nothing but the failed login was recorded.
	[ "$(sql "SELECT count(*) FROM san.businesses WHERE name LIKE '%$m%' OR tax_code LIKE '%$m%'")" = 0 ]
}

@test "Accept-Language: en answers in English; the default is Vietnamese" {
	local bad; bad=$(business_json "0000000000")
	api POST /api/v1/businesses "$bad"
	assert_error 400 invalid_tax_code tax_code
	[ "$(jq -r .error.message <<<"$body")" = "Mã số thuế không hợp lệ (10 chữ số đúng chữ số kiểm tra, hoặc thêm -NNN cho chi nhánh)." ]
	local vi=$body
	api POST /api/v1/businesses "$bad" -H "Accept-Language: vi-VN,vi;q=0.9"
	[ "$body" = "$vi" ]
	api POST /api/v1/businesses "$bad" -H "Accept-Language: en"
	assert_error 400 invalid_tax_code tax_code
	[ "$(jq -r .error.message <<<"$body")" = "Invalid tax code (10 digits with a valid check digit, optionally -NNN for a branch)." ]
	api POST /api/v1/businesses "$bad" -H "Accept-Language: en-US,en;q=0.9,vi;q=0.8"
	[ "$(jq -r .error.message <<<"$body")" = "Invalid tax code (10 digits with a valid check digit, optionally -NNN for a branch)." ]
	# Errors decided in the database are translated too.
	TOKEN= api GET /api/v1/me "" -H "Accept-Language: en"
	assert_error 401 unauthenticated
	[ "$(jq -r .error.message <<<"$body")" = "Authentication required." ]
	TOKEN= api GET /api/v1/me
	[ "$(jq -r .error.message <<<"$body")" = "Bạn cần đăng nhập." ]
	# And errors of the engine.
	api_raw POST /api/v1/businesses text/plain "{}" -H "Accept-Language: en"
	[ "$(jq -r .error.message <<<"$body")" = "Content-Type must be application/json." ]
	assert_unchanged "$BEFORE"
}

@test "unknown API paths answer 404 in the error shape" {
	local p
	for p in /api/v1/nope /api/v1/businesses/abc /api/v1/stores/Dac-San /api/v2/stores; do
		api GET "$p"
		[ "$code" = 404 ] || { echo "$p: $code"; return 1; }
		is_error_shape || { echo "$p"; return 1; }
	done
}

@test "bad input on the other JSON routes changes nothing either" {
	local biz oid otok
	read -r oid otok < <(new_role_account official)
	biz=$(new_business "$ME_TOK")
	local before; before=$(snapshot)
	TOKEN=$otok api POST "/api/v1/businesses/$biz/decision" '{"decision":"approve","reason":"x","by":1}'
	assert_error 400 unknown_field
	TOKEN=$otok api_raw POST "/api/v1/businesses/$biz/decision" text/plain '{"decision":"approve"}'
	assert_error 415 unsupported_media_type
	TOKEN=$otok api_raw POST "/api/v1/businesses/$biz/decision" application/json '{"decision":"approve","decision":"approve"}'
	assert_error 400 json_invalid
	api PATCH "/api/v1/businesses/$biz" '{"name":"a","name":"b"}'
	assert_error 400 json_invalid
	api_raw PATCH "/api/v1/businesses/$biz" text/plain '{"name":"b"}'
	assert_error 415 unsupported_media_type
	api PATCH "/api/v1/businesses/$biz" '{"name":"Tên\u0001"}'
	assert_error 400 invalid_text name
	api POST /api/v1/stores '{"business_id":1,"business_id":2}'
	assert_error 400 json_invalid
	api POST /api/v1/auth/register '{"email":"x@example.vn"} trailing'
	assert_error 400 json_invalid
	assert_unchanged "$before"
	[ "$(sql "SELECT status FROM san.businesses WHERE id = $biz")" = pending ]
}
