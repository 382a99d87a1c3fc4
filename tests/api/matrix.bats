#!/usr/bin/env bats
# The role/ownership matrix: every route of the tables (src/*.c), for each
# of seven actors (anonymous, buyer, merchant A, merchant B, staff of A's
# business, official, admin), on their own resource, someone else's and
# one that does not exist.  Staff act for the business's stores like its
# owner but cannot change the business or open stores; a staff row after
# an mA row that used up the resource (a delete, a confirm, an appeal)
# expects what a second attempt gets.
#
# Rows are "actor method path body expected-status".  In paths: {A} and
# {B} are the businesses of merchants A and B (verified), {P} a pending
# business of merchant A, {X} a business id that does not exist, {SA} the
# store of A, {SX} a store that does not exist, {U} the buyer's account id,
# {UX} an account id that does not exist.  Bodies are named (see
# matrix_body); "-" is none.  Every refused row (4xx) must leave the
# database unchanged.
load helpers

setup_file() {
	local id tok
	read -r id tok < <(new_account "$(uniq_email buyer)")
	export BUYER_ID=$id BUYER_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email merchant-a)")
	export MA_ID=$id MA_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email merchant-b)")
	export MB_ID=$id MB_TOK=$tok
	read -r id tok < <(new_account "$(uniq_email staff-a)")
	export STAFF_ID=$id STAFF_TOK=$tok
	read -r id tok < <(new_role_account official)
	export OFF_ID=$id OFF_TOK=$tok
	read -r id tok < <(new_role_account admin)
	export ADM_ID=$id ADM_TOK=$tok
	BIZ_A=$(verified_business "$MA_TOK" "Hợp tác xã A")
	BIZ_B=$(verified_business "$MB_TOK" "Hợp tác xã B")
	BIZ_P=$(new_business "$MA_TOK")
	STORE_A=$(new_store "$MA_TOK" "$BIZ_A" "$(uniq_slug matrix-a)" "Gian hàng A")
	export BIZ_A BIZ_B BIZ_P STORE_A
	# Staff of business A: a member without the owner's rights.
	sql "INSERT INTO san.business_members (business_id, account_id, role)
		VALUES ($BIZ_A, $STAFF_ID, 'staff')" >/dev/null
	export BIZ_X=999999999999 ACC_X=999999999999 STORE_X=khong-ton-tai-$RANDOM
	# An account anyone may sign in as (the login rows).
	export LOGIN_EMAIL; LOGIN_EMAIL=$(uniq_email login)
	new_account "$LOGIN_EMAIL" >/dev/null
	# Catalog: a listed product of store A with one image, a second one
	# for the delete rows, a normal leaf category, ids that do not exist.
	local cat png
	cat=$(sql "SELECT id FROM san.categories c WHERE policy = 'normal' AND NOT EXISTS
		(SELECT 1 FROM san.categories k WHERE k.parent_id = c.id) ORDER BY id LIMIT 1")
	export CAT_N=$cat CAT_X=999999999 PROD_X=999999999999 IMG_X=999999999999
	PROD_A=$(new_product "$MA_TOK" "$STORE_A" "$(product_body "$cat" "Bánh tráng ma trận" 30000 '{"status":"active"}')")
	PROD_D=$(new_product "$MA_TOK" "$STORE_A" "$(product_body "$cat" "Sản phẩm để xóa" 30000 '{"status":"active"}')")
	png=$(mktemp)
	png_bytes >"$png"
	TOKEN=$MA_TOK api_upload "/api/v1/products/$PROD_A/images" "$png" image/png
	IMG_A=$(jq -r .id <<<"$body")
	TOKEN=$MA_TOK api_upload "/api/v1/products/$PROD_A/images" "$png" image/png
	IMG_D=$(jq -r .id <<<"$body")
	rm -f "$png"
	export PROD_A PROD_D IMG_A IMG_D
	# The licence register: a conditional category, a licence of A.
	export CAT_C LIC_A LIC_X=999999999999
	CAT_C=$(category_id banh-keo-mut)
	TOKEN=$MA_TOK api POST "/api/v1/businesses/$BIZ_A/licences" "$(jq -nc --argjson c "$CAT_C" '{category_id:$c,number:"MT-01",issuer:"Sở Y tế",issued_on:"2025-01-01"}')"
	LIC_A=$(jq -r .id <<<"$body")
	local v
	for v in BUYER_TOK MA_TOK MB_TOK STAFF_TOK OFF_TOK ADM_TOK BIZ_A BIZ_B BIZ_P STORE_A LOGIN_EMAIL PROD_A PROD_D IMG_A IMG_D CAT_N CAT_C LIC_A; do
		[ -n "${!v}" ] || { echo "set-up failed: $v" >&2; return 1; }
	done
}

# matrix_body NAME: the request body a row names.
matrix_body() {
	case $1 in
	-) ;;
	biz) business_json "$(tax_code $RANDOM)" ;;
	edit) echo '{"phone":"0911000111","email":"lienhe@example.vn"}' ;;
	approve|reinstate) jq -nc --arg d "$1" '{decision:$d,reason:"kiểm tra"}' ;;
	reject|suspend) jq -nc --arg d "$1" '{decision:$d,reason:"vi phạm"}' ;;
	storeA) store_body "$BIZ_A" "Gian hàng" "$(uniq_slug ma)" ;;
	storeB) store_body "$BIZ_B" "Gian hàng" "$(uniq_slug mb)" ;;
	storeP) store_body "$BIZ_P" "Gian hàng" "$(uniq_slug mp)" ;;
	storeX) store_body "$BIZ_X" "Gian hàng" "$(uniq_slug mx)" ;;
	grant|revoke) jq -nc --arg a "$1" '{role:"official",action:$a}' ;;
	register) jq -nc --arg e "$(uniq_email reg)" --arg p "$PASSWORD" '{email:$e,password:$p,full_name:"Khách"}' ;;
	login) jq -nc --arg e "$LOGIN_EMAIL" --arg p "$PASSWORD" '{email:$e,password:$p}' ;;
	prod) product_body "$CAT_N" "Sản phẩm ma trận" 42000 ;;
	pedit) echo '{"price_vnd":45000,"stock":7}' ;;
	imove) echo '{"position":0}' ;;
	cat) jq -nc --arg s "$(uniq_slug mx)" '{slug:$s,name_vi:"Danh mục thử",name_en:"Test category",policy:"normal"}' ;;
	catedit) echo '{"name_en":"Renamed in the matrix"}' ;;
	sme) echo '{"sme_count":1200,"source":"Niên giám thống kê tỉnh"}' ;;
	survey) echo '{"title_vi":"Phiếu khảo sát","questions":[{"kind":"single","text_vi":"Có website?","required":true,"choices":[{"vi":"Có"},{"vi":"Không"}]}]}' ;;
	round) jq -nc --arg d "$(sql "SELECT api.today()")" '{title:"Đợt khảo sát",opens_on:$d,closes_on:$d}' ;;
	authority) echo '{"requesting_body":"Cục Quản lý thị trường","document_no":"12/QLTT","document_date":"2026-01-05"}' ;;
	answerA) jq -nc --argjson b "$BIZ_A" --argjson q "$SV_Q1" '{business_id:$b,answers:[{question_id:$q,choice:0}]}' ;;
	lic) jq -nc --argjson c "$CAT_C" --arg n "MT-$RANDOM$RANDOM" '{category_id:$c,number:$n,issuer:"Sở Y tế",issued_on:"2025-02-01",expires_on:"2027-02-01"}' ;;
	modrule) echo '{"name":"Ma trận","kind":"keyword","severity":"flag","category":"other","params":{"terms":["ma trận giám sát"]}}' ;;
	modruleedit) echo '{"severity":"hold"}' ;;
	modreport) jq -nc --argjson p "$PROD_A" '{product_id:$p,reason:"counterfeit",explanation:"Nghi hàng giả"}' ;;
	modreportmail) jq -nc --argjson p "$PROD_A" '{product_id:$p,reason:"counterfeit",explanation:"Nghi hàng giả",email:"khach@example.vn"}' ;;
	modauthority) jq -nc --arg s "$STORE_A" '{store_slug:$s,authority:"Đội QLTT số 1",document_no:"12/CV-QLTT",category:"counterfeit",explanation:"Đề nghị kiểm tra"}' ;;
	modwarn) echo '{"action":"warn","ground":"incompatible","explanation":"Cảnh cáo","category":"other"}' ;;
	modappeal) echo '{"explanation":"Sản phẩm hợp pháp"}' ;;
	modreverse) echo '{"outcome":"reverse","explanation":"Chấp nhận khiếu nại"}' ;;
	moddecide) echo '{"action":"dismiss","ground":"incompatible","explanation":"Không vi phạm","category":"other"}' ;;
	*) echo "unknown body $1" >&2; return 1 ;;
	esac
}

# run_matrix: reads rows on stdin, runs each, reports every failing row
# (not just the first) and fails when any did.  A refused row (4xx) must
# answer the error shape and leave the database as it was just before.
run_matrix() {
	local actor method path bodyname want n=0 failures=() before="" now data tok
	while read -r actor method path bodyname want; do
		{ [ -z "$actor" ] || [ "${actor:0:1}" = "#" ]; } && continue
		n=$((n + 1))
		path=${path//\{A\}/$BIZ_A}
		path=${path//\{B\}/$BIZ_B}
		path=${path//\{P\}/$BIZ_P}
		path=${path//\{X\}/$BIZ_X}
		path=${path//\{SA\}/$STORE_A}
		path=${path//\{SX\}/$STORE_X}
		path=${path//\{UX\}/$ACC_X}
		path=${path//\{U\}/$BUYER_ID}
		path=${path//\{PA\}/$PROD_A}
		path=${path//\{PD\}/$PROD_D}
		path=${path//\{PX\}/$PROD_X}
		path=${path//\{IA\}/$IMG_A}
		path=${path//\{ID\}/$IMG_D}
		path=${path//\{IX\}/$IMG_X}
		path=${path//\{C\}/$CAT_N}
		path=${path//\{CX\}/$CAT_X}
		path=${path//\{ICX\}/khong-co}
		path=${path//\{IC\}/orders}
		path=${path//\{PVX\}/99}
		path=${path//\{PV\}/80}
		path=${path//\{LA\}/$LIC_A}
		path=${path//\{LX\}/$LIC_X}
		path=${path//\{YX\}/1999}
		path=${path//\{Y\}/2025}
		case $actor in
		anon) tok="" ;;
		buyer) tok=$BUYER_TOK ;;
		mA) tok=$MA_TOK ;;
		mB) tok=$MB_TOK ;;
		staff) tok=$STAFF_TOK ;;
		official) tok=$OFF_TOK ;;
		admin) tok=$ADM_TOK ;;
		*) echo "row $n: unknown actor $actor"; return 1 ;;
		esac
		data=""
		[ "$bodyname" = - ] || data=$(matrix_body "$bodyname") || return 1
		# The state just before a refused row (kept from the previous
		# refused row when nothing succeeded since).
		[ "$want" -ge 400 ] && [ -z "$before" ] && before=$(snapshot)
		TOKEN=$tok api "$method" "$path" "$data"
		if [ "$code" != "$want" ]; then
			failures+=("row $n: $actor $method $path $bodyname: expected $want, got $code ${body:0:200}")
		fi
		if [ "$want" -ge 400 ]; then
			jq -e '.error.code | strings' <<<"$body" >/dev/null 2>&1 ||
			    failures+=("row $n: $actor $method $path: no error shape: ${body:0:200}")
			now=$(snapshot)
			[ "$now" = "$before" ] ||
			    failures+=("row $n: $actor $method $path $bodyname: refused but the database changed")
			before=$now
		else
			before=""
		fi
	done
	[ "$n" -gt 0 ] || { echo "empty matrix"; return 1; }
	if [ ${#failures[@]} -gt 0 ]; then
		printf '%s\n' "${failures[@]}"
		return 1
	fi
}

@test "matrix: public routes answer everyone" {
	run_matrix <<-'EOF'
		# actor    method path                      body want
		anon       GET    /                         -    200
		buyer      GET    /                         -    200
		mA         GET    /                         -    200
		staff      GET    /                         -    200
		mB         GET    /                         -    200
		official   GET    /                         -    200
		admin      GET    /                         -    200
		anon       GET    /healthz                  -    200
		buyer      GET    /healthz                  -    200
		mA         GET    /healthz                  -    200
		staff      GET    /healthz                  -    200
		mB         GET    /healthz                  -    200
		official   GET    /healthz                  -    200
		admin      GET    /healthz                  -    200
		anon       GET    /api/v1/openapi.json      -    200
		buyer      GET    /api/v1/openapi.json      -    200
		mA         GET    /api/v1/openapi.json      -    200
		staff      GET    /api/v1/openapi.json      -    200
		mB         GET    /api/v1/openapi.json      -    200
		official   GET    /api/v1/openapi.json      -    200
		admin      GET    /api/v1/openapi.json      -    200
		anon       GET    /api/v1/stores            -    200
		buyer      GET    /api/v1/stores            -    200
		mA         GET    /api/v1/stores            -    200
		staff      GET    /api/v1/stores            -    200
		mB         GET    /api/v1/stores            -    200
		official   GET    /api/v1/stores            -    200
		admin      GET    /api/v1/stores            -    200
		anon       GET    /api/v1/stores/{SA}       -    200
		buyer      GET    /api/v1/stores/{SA}       -    200
		mA         GET    /api/v1/stores/{SA}       -    200
		staff      GET    /api/v1/stores/{SA}       -    200
		mB         GET    /api/v1/stores/{SA}       -    200
		official   GET    /api/v1/stores/{SA}       -    200
		admin      GET    /api/v1/stores/{SA}       -    200
		anon       GET    /api/v1/stores/{SX}       -    404
		buyer      GET    /api/v1/stores/{SX}       -    404
		mA         GET    /api/v1/stores/{SX}       -    404
		staff      GET    /api/v1/stores/{SX}       -    404
		admin      GET    /api/v1/stores/{SX}       -    404
		anon       PUT    /api/v1/stores/{SA}       -    405
		mA         DELETE /api/v1/stores/{SA}       -    405
		staff      DELETE /api/v1/stores/{SA}       -    405
	EOF
}

@test "matrix: administrative units are public; an unknown province code is 404 for everyone" {
	run_matrix <<-'EOF'
		# actor    method path                           body want
		anon       GET    /api/v1/provinces              -    200
		buyer      GET    /api/v1/provinces              -    200
		mA         GET    /api/v1/provinces              -    200
		staff      GET    /api/v1/provinces              -    200
		mB         GET    /api/v1/provinces              -    200
		official   GET    /api/v1/provinces              -    200
		admin      GET    /api/v1/provinces              -    200
		anon       GET    /api/v1/provinces/{PV}/wards   -    200
		buyer      GET    /api/v1/provinces/{PV}/wards   -    200
		mA         GET    /api/v1/provinces/{PV}/wards   -    200
		staff      GET    /api/v1/provinces/{PV}/wards   -    200
		mB         GET    /api/v1/provinces/{PV}/wards   -    200
		official   GET    /api/v1/provinces/{PV}/wards   -    200
		admin      GET    /api/v1/provinces/{PV}/wards   -    200
		anon       GET    /api/v1/provinces/{PVX}/wards  -    404
		buyer      GET    /api/v1/provinces/{PVX}/wards  -    404
		mA         GET    /api/v1/provinces/{PVX}/wards  -    404
		staff      GET    /api/v1/provinces/{PVX}/wards  -    404
		mB         GET    /api/v1/provinces/{PVX}/wards  -    404
		official   GET    /api/v1/provinces/{PVX}/wards  -    404
		admin      GET    /api/v1/provinces/{PVX}/wards  -    404
	EOF
}

@test "matrix: accounts (register, login, me)" {
	run_matrix <<-'EOF'
		anon       POST   /api/v1/auth/register     register 201
		buyer      POST   /api/v1/auth/register     register 201
		mA         POST   /api/v1/auth/register     register 201
		staff      POST   /api/v1/auth/register     register 201
		mB         POST   /api/v1/auth/register     register 201
		official   POST   /api/v1/auth/register     register 201
		admin      POST   /api/v1/auth/register     register 201
		anon       POST   /api/v1/auth/login        login 200
		buyer      POST   /api/v1/auth/login        login 200
		mA         POST   /api/v1/auth/login        login 200
		staff      POST   /api/v1/auth/login        login 200
		mB         POST   /api/v1/auth/login        login 200
		official   POST   /api/v1/auth/login        login 200
		admin      POST   /api/v1/auth/login        login 200
		anon       GET    /api/v1/auth/login        -    405
		anon       GET    /api/v1/me                -    401
		buyer      GET    /api/v1/me                -    200
		mA         GET    /api/v1/me                -    200
		staff      GET    /api/v1/me                -    200
		mB         GET    /api/v1/me                -    200
		official   GET    /api/v1/me                -    200
		admin      GET    /api/v1/me                -    200
		anon       POST   /api/v1/auth/logout       -    401
		anon       GET    /api/v1/auth/logout       -    405
		anon       GET    /api/v1/auth/register     -    405
	EOF
	# Roles as each actor sees them.
	TOKEN=$MA_TOK api GET /api/v1/me
	[ "$(jq -c '.account.roles' <<<"$body")" = '["buyer","merchant"]' ]
	[ "$(jq -r '[.businesses[].id] | sort | join(",")' <<<"$body")" = "$BIZ_A,$BIZ_P" ]
	TOKEN=$BUYER_TOK api GET /api/v1/me
	[ "$(jq -c '.account.roles' <<<"$body")" = '["buyer"]' ]
	[ "$(jq -c '.businesses' <<<"$body")" = '[]' ]
	TOKEN=$OFF_TOK api GET /api/v1/me
	[ "$(jq -r '.account.roles | index("official") != null' <<<"$body")" = true ]
}

@test "matrix: GET /api/v1/businesses and /api/v1/businesses/{id} (own, other, nonexistent)" {
	run_matrix <<-'EOF'
		anon       GET    /api/v1/businesses        -    401
		buyer      GET    /api/v1/businesses        -    200
		mA         GET    /api/v1/businesses        -    200
		staff      GET    /api/v1/businesses        -    200
		mB         GET    /api/v1/businesses        -    200
		official   GET    /api/v1/businesses        -    200
		admin      GET    /api/v1/businesses        -    200
		anon       GET    /api/v1/businesses/{A}    -    401
		buyer      GET    /api/v1/businesses/{A}    -    404
		mA         GET    /api/v1/businesses/{A}    -    200
		staff      GET    /api/v1/businesses/{A}    -    200
		mB         GET    /api/v1/businesses/{A}    -    404
		official   GET    /api/v1/businesses/{A}    -    200
		admin      GET    /api/v1/businesses/{A}    -    200
		anon       GET    /api/v1/businesses/{B}    -    401
		buyer      GET    /api/v1/businesses/{B}    -    404
		mA         GET    /api/v1/businesses/{B}    -    404
		staff      GET    /api/v1/businesses/{B}    -    404
		mB         GET    /api/v1/businesses/{B}    -    200
		official   GET    /api/v1/businesses/{B}    -    200
		admin      GET    /api/v1/businesses/{B}    -    200
		mA         GET    /api/v1/businesses/{P}    -    200
		staff      GET    /api/v1/businesses/{P}    -    404
		mB         GET    /api/v1/businesses/{P}    -    404
		buyer      GET    /api/v1/businesses/{P}    -    404
		official   GET    /api/v1/businesses/{P}    -    200
		anon       GET    /api/v1/businesses/{X}    -    401
		buyer      GET    /api/v1/businesses/{X}    -    404
		mA         GET    /api/v1/businesses/{X}    -    404
		staff      GET    /api/v1/businesses/{X}    -    404
		mB         GET    /api/v1/businesses/{X}    -    404
		official   GET    /api/v1/businesses/{X}    -    404
		admin      GET    /api/v1/businesses/{X}    -    404
		mA         DELETE /api/v1/businesses/{A}    -    405
		staff      DELETE /api/v1/businesses/{A}    -    405
		mA         PUT    /api/v1/businesses        -    405
		staff      PUT    /api/v1/businesses        -    405
	EOF
	# "Someone else's" and "does not exist" are indistinguishable.
	TOKEN=$MB_TOK api GET "/api/v1/businesses/$BIZ_A"
	local other=$body
	TOKEN=$MB_TOK api GET "/api/v1/businesses/$BIZ_X"
	[ "$body" = "$other" ]
	# Each merchant's list holds only their own.
	TOKEN=$MB_TOK api GET /api/v1/businesses
	[ "$(jq -r '[.items[].id] | join(",")' <<<"$body")" = "$BIZ_B" ]
	TOKEN=$BUYER_TOK api GET /api/v1/businesses
	[ "$(jq -c '.items' <<<"$body")" = '[]' ]
}

@test "matrix: PATCH /api/v1/businesses/{id} only by its owner; others get 404" {
	run_matrix <<-'EOF'
		anon       PATCH  /api/v1/businesses/{A}    edit 401
		buyer      PATCH  /api/v1/businesses/{A}    edit 404
		mB         PATCH  /api/v1/businesses/{A}    edit 404
		official   PATCH  /api/v1/businesses/{A}    edit 404
		admin      PATCH  /api/v1/businesses/{A}    edit 404
		mA         PATCH  /api/v1/businesses/{B}    edit 404
		staff      PATCH  /api/v1/businesses/{B}    edit 404
		mA         PATCH  /api/v1/businesses/{X}    edit 404
		staff      PATCH  /api/v1/businesses/{X}    edit 404
		buyer      PATCH  /api/v1/businesses/{X}    edit 404
		mA         PATCH  /api/v1/businesses/{A}    edit 200
		staff      PATCH  /api/v1/businesses/{A}    edit 404
		mB         PATCH  /api/v1/businesses/{B}    edit 200
		mA         PATCH  /api/v1/businesses/{P}    edit 200
		staff      PATCH  /api/v1/businesses/{P}    edit 404
	EOF
	# Contact edits: still verified, store still public.
	[ "$(sql "SELECT string_agg(status, ',' ORDER BY id) FROM san.businesses WHERE id IN ($BIZ_A, $BIZ_B)")" = verified,verified ]
}

@test "matrix: the licence register is its members' to write, theirs and officials' to read; others get 404" {
	run_matrix <<-'EOF'
		anon       GET    /api/v1/businesses/{A}/licences       -    401
		buyer      GET    /api/v1/businesses/{A}/licences       -    404
		mA         GET    /api/v1/businesses/{A}/licences       -    200
		staff      GET    /api/v1/businesses/{A}/licences       -    200
		mB         GET    /api/v1/businesses/{A}/licences       -    404
		official   GET    /api/v1/businesses/{A}/licences       -    200
		admin      GET    /api/v1/businesses/{A}/licences       -    200
		mA         GET    /api/v1/businesses/{X}/licences       -    404
		official   GET    /api/v1/businesses/{X}/licences       -    404
		anon       POST   /api/v1/businesses/{A}/licences       lic  401
		buyer      POST   /api/v1/businesses/{A}/licences       lic  404
		mB         POST   /api/v1/businesses/{A}/licences       lic  404
		official   POST   /api/v1/businesses/{A}/licences       lic  404
		admin      POST   /api/v1/businesses/{A}/licences       lic  404
		mA         POST   /api/v1/businesses/{B}/licences       lic  404
		staff      POST   /api/v1/businesses/{B}/licences       lic  404
		mA         POST   /api/v1/businesses/{X}/licences       lic  404
		mA         POST   /api/v1/businesses/{A}/licences       lic  201
		staff      POST   /api/v1/businesses/{A}/licences       lic  201
		mA         PUT    /api/v1/businesses/{A}/licences       -    405
		anon       DELETE /api/v1/businesses/{A}/licences/{LA}  -    401
		buyer      DELETE /api/v1/businesses/{A}/licences/{LA}  -    404
		mB         DELETE /api/v1/businesses/{A}/licences/{LA}  -    404
		official   DELETE /api/v1/businesses/{A}/licences/{LA}  -    404
		admin      DELETE /api/v1/businesses/{A}/licences/{LA}  -    404
		mB         DELETE /api/v1/businesses/{B}/licences/{LA}  -    404
		mA         DELETE /api/v1/businesses/{A}/licences/{LX}  -    404
		staff      DELETE /api/v1/businesses/{A}/licences/{LX}  -    404
		staff      GET    /api/v1/businesses/{A}/licences/{LA}  -    405
		mA         GET    /api/v1/businesses/{A}/licences/{LA}  -    405
		mA         DELETE /api/v1/businesses/{A}/licences/{LA}  -    200
		mA         DELETE /api/v1/businesses/{A}/licences/{LA}  -    409
		staff      DELETE /api/v1/businesses/{A}/licences/{LA}  -    409
	EOF
}

@test "matrix: decisions and the review queue are for officials and admins only; others get 404 (anonymous 401)" {
	run_matrix <<-'EOF'
		anon       GET    /api/v1/official/businesses  -  401
		buyer      GET    /api/v1/official/businesses  -  404
		mA         GET    /api/v1/official/businesses  -  404
		staff      GET    /api/v1/official/businesses  -  404
		mB         GET    /api/v1/official/businesses  -  404
		official   GET    /api/v1/official/businesses  -  200
		admin      GET    /api/v1/official/businesses  -  200
		anon       POST   /api/v1/businesses/{P}/decision  approve  401
		buyer      POST   /api/v1/businesses/{P}/decision  approve  404
		mA         POST   /api/v1/businesses/{P}/decision  approve  404
		staff      POST   /api/v1/businesses/{P}/decision  approve  404
		mB         POST   /api/v1/businesses/{P}/decision  approve  404
		mA         POST   /api/v1/businesses/{A}/decision  suspend  404
		staff      POST   /api/v1/businesses/{A}/decision  suspend  404
		mB         POST   /api/v1/businesses/{A}/decision  suspend  404
		buyer      POST   /api/v1/businesses/{X}/decision  approve  404
		official   POST   /api/v1/businesses/{X}/decision  approve  404
		admin      POST   /api/v1/businesses/{X}/decision  approve  404
		official   POST   /api/v1/businesses/{P}/decision  approve  200
		admin      POST   /api/v1/businesses/{P}/decision  suspend  200
		official   POST   /api/v1/businesses/{P}/decision  reinstate 200
		mA         GET    /api/v1/businesses/{P}/decision  -  405
		staff      GET    /api/v1/businesses/{P}/decision  -  405
	EOF
	[ "$(sql "SELECT status FROM san.businesses WHERE id = $BIZ_P")" = verified ]
}

@test "matrix: POST /api/v1/stores only by the owner of the business" {
	run_matrix <<-'EOF'
		anon       POST   /api/v1/stores            storeA 401
		buyer      POST   /api/v1/stores            storeA 404
		mB         POST   /api/v1/stores            storeA 404
		official   POST   /api/v1/stores            storeA 404
		admin      POST   /api/v1/stores            storeA 404
		mA         POST   /api/v1/stores            storeB 404
		staff      POST   /api/v1/stores            storeB 404
		mA         POST   /api/v1/stores            storeX 404
		staff      POST   /api/v1/stores            storeX 404
		mB         POST   /api/v1/stores            storeX 404
		mB         POST   /api/v1/stores            storeP 404
		mA         POST   /api/v1/stores            storeA 201
		staff      POST   /api/v1/stores            storeA 404
		mB         POST   /api/v1/stores            storeB 201
		mA         POST   /api/v1/stores            storeP 201
		staff      POST   /api/v1/stores            storeP 404
	EOF
}

@test "matrix: role changes are for admins only" {
	run_matrix <<-'EOF'
		anon       POST   /api/v1/admin/accounts/{U}/roles   grant  401
		buyer      POST   /api/v1/admin/accounts/{U}/roles   grant  404
		mA         POST   /api/v1/admin/accounts/{U}/roles   grant  404
		staff      POST   /api/v1/admin/accounts/{U}/roles   grant  404
		mB         POST   /api/v1/admin/accounts/{U}/roles   grant  404
		official   POST   /api/v1/admin/accounts/{U}/roles   grant  404
		official   POST   /api/v1/admin/accounts/{UX}/roles  grant  404
		admin      POST   /api/v1/admin/accounts/{UX}/roles  grant  404
		admin      POST   /api/v1/admin/accounts/{U}/roles   grant  200
		buyer      GET    /api/v1/official/businesses        -      200
		admin      POST   /api/v1/admin/accounts/{U}/roles   revoke 200
		buyer      GET    /api/v1/official/businesses        -      404
		admin      GET    /api/v1/admin/accounts/{U}/roles   -      405
		anon       GET    /api/v1/admin/accounts             -      401
		buyer      GET    /api/v1/admin/accounts             -      404
		mA         GET    /api/v1/admin/accounts             -      404
		staff      GET    /api/v1/admin/accounts             -      404
		mB         GET    /api/v1/admin/accounts             -      404
		official   GET    /api/v1/admin/accounts             -      404
		admin      GET    /api/v1/admin/accounts             -      200
		admin      POST   /api/v1/admin/accounts             -      405
	EOF
}

@test "matrix: registering a business is open to every signed-in account, closed to anonymous" {
	run_matrix <<-'EOF'
		anon       POST   /api/v1/businesses        biz  401
		buyer      POST   /api/v1/businesses        biz  201
		mA         POST   /api/v1/businesses        biz  201
		staff      POST   /api/v1/businesses        biz  201
		mB         POST   /api/v1/businesses        biz  201
		official   POST   /api/v1/businesses        biz  201
		admin      POST   /api/v1/businesses        biz  201
	EOF
	# The buyer is a merchant now.
	TOKEN=$BUYER_TOK api GET /api/v1/me
	[ "$(jq -c '.account.roles' <<<"$body")" = '["buyer","merchant"]' ]
}

@test "matrix: catalog reads are public; unlisted and nonexistent are 404" {
	run_matrix <<-'EOF'
		anon       GET    /api/v1/categories                         -       200
		buyer      GET    /api/v1/categories                         -       200
		mA         GET    /api/v1/categories                         -       200
		staff      GET    /api/v1/categories                         -       200
		mB         GET    /api/v1/categories                         -       200
		official   GET    /api/v1/categories                         -       200
		admin      GET    /api/v1/categories                         -       200
		anon       GET    /api/v1/products                           -       200
		buyer      GET    /api/v1/products                         -       200
		mA         GET    /api/v1/products                           -       200
		staff      GET    /api/v1/products                           -       200
		mB         GET    /api/v1/products                           -       200
		official   GET    /api/v1/products                           -       200
		admin      GET    /api/v1/products                           -       200
		anon       GET    /api/v1/products/{PA}                      -       200
		buyer      GET    /api/v1/products/{PA}                      -       200
		mA         GET    /api/v1/products/{PA}                      -       200
		staff      GET    /api/v1/products/{PA}                      -       200
		mB         GET    /api/v1/products/{PX}                      -       404
		official   GET    /api/v1/products/{PA}                      -       200
		admin      GET    /api/v1/products/{PX}                      -       404
		anon       GET    /api/v1/products/{PA}/qr.svg               -       200
		buyer      GET    /api/v1/products/{PA}/qr.svg               -       200
		mA         GET    /api/v1/products/{PA}/qr.svg               -       200
		staff      GET    /api/v1/products/{PA}/qr.svg               -       200
		mB         GET    /api/v1/products/{PX}/qr.svg               -       404
		official   GET    /api/v1/products/{PA}/qr.svg               -       200
		admin      GET    /api/v1/products/{PA}/qr.svg               -       200
		anon       GET    /api/v1/images/{IA}                        -       200
		buyer      GET    /api/v1/images/{IA}                        -       200
		mA         GET    /api/v1/images/{IA}                        -       200
		staff      GET    /api/v1/images/{IA}                        -       200
		mB         GET    /api/v1/images/{IX}                        -       404
		official   GET    /api/v1/images/{IA}                        -       200
		admin      GET    /api/v1/images/{IA}                        -       200
		anon       GET    /api/v1/images/{IA}/thumb                  -       200
		buyer      GET    /api/v1/images/{IA}/thumb                  -       200
		mA         GET    /api/v1/images/{IA}/thumb                  -       200
		staff      GET    /api/v1/images/{IA}/thumb                  -       200
		mB         GET    /api/v1/images/{IX}/thumb                  -       404
		official   GET    /api/v1/images/{IA}/thumb                  -       200
		admin      GET    /api/v1/images/{IA}/thumb                  -       200
		anon       GET    /api/v1/stores/{SA}/products               -       200
		buyer      GET    /api/v1/stores/{SA}/products               -       200
		mA         GET    /api/v1/stores/{SA}/products               -       200
		staff      GET    /api/v1/stores/{SA}/products               -       200
		mB         GET    /api/v1/stores/{SX}/products               -       404
		official   GET    /api/v1/stores/{SA}/products               -       200
		admin      GET    /api/v1/stores/{SA}/products               -       200
		anon       GET    /api/v1/admin/categories                   -       401
		buyer      GET    /api/v1/admin/categories                   -       404
		mA         GET    /api/v1/admin/categories                   -       404
		staff      GET    /api/v1/admin/categories                   -       404
		mB         GET    /api/v1/admin/categories                   -       404
		official   GET    /api/v1/admin/categories                   -       404
		admin      GET    /api/v1/admin/categories                   -       200
	EOF
}

@test "matrix: categories are managed by admins only" {
	run_matrix <<-'EOF'
		anon       POST   /api/v1/admin/categories                   cat     401
		buyer      POST   /api/v1/admin/categories                   cat     404
		mA         POST   /api/v1/admin/categories                   cat     404
		staff      POST   /api/v1/admin/categories                   cat     404
		mB         POST   /api/v1/admin/categories                   cat     404
		official   POST   /api/v1/admin/categories                   cat     404
		admin      POST   /api/v1/admin/categories                   cat     201
		anon       PATCH  /api/v1/admin/categories/{C}               catedit 401
		buyer      PATCH  /api/v1/admin/categories/{C}               catedit 404
		mA         PATCH  /api/v1/admin/categories/{C}               catedit 404
		staff      PATCH  /api/v1/admin/categories/{C}               catedit 404
		mB         PATCH  /api/v1/admin/categories/{C}               catedit 404
		official   PATCH  /api/v1/admin/categories/{C}               catedit 404
		admin      PATCH  /api/v1/admin/categories/{CX}              catedit 404
		admin      PATCH  /api/v1/admin/categories/{C}               catedit 200
	EOF
}

@test "matrix: listings are written by their store's members only; others get 404" {
	run_matrix <<-'EOF'
		anon       POST   /api/v1/stores/{SA}/products               prod    401
		buyer      POST   /api/v1/stores/{SA}/products               prod    404
		mB         POST   /api/v1/stores/{SA}/products               prod    404
		official   POST   /api/v1/stores/{SA}/products               prod    404
		admin      POST   /api/v1/stores/{SA}/products               prod    404
		mA         POST   /api/v1/stores/{SX}/products               prod    404
		staff      POST   /api/v1/stores/{SX}/products               prod    404
		mA         POST   /api/v1/stores/{SA}/products               prod    201
		staff      POST   /api/v1/stores/{SA}/products               prod    201
		anon       PATCH  /api/v1/products/{PA}                      pedit   401
		buyer      PATCH  /api/v1/products/{PA}                      pedit   404
		mB         PATCH  /api/v1/products/{PA}                      pedit   404
		official   PATCH  /api/v1/products/{PA}                      pedit   404
		admin      PATCH  /api/v1/products/{PA}                      pedit   404
		mA         PATCH  /api/v1/products/{PX}                      pedit   404
		staff      PATCH  /api/v1/products/{PX}                      pedit   404
		mA         PATCH  /api/v1/products/{PA}                      pedit   200
		staff      PATCH  /api/v1/products/{PA}                      pedit   200
		anon       PATCH  /api/v1/images/{IA}                        imove   401
		buyer      PATCH  /api/v1/images/{IA}                        imove   404
		mB         PATCH  /api/v1/images/{IA}                        imove   404
		official   PATCH  /api/v1/images/{IA}                        imove   404
		admin      PATCH  /api/v1/images/{IA}                        imove   404
		mA         PATCH  /api/v1/images/{IX}                        imove   404
		staff      PATCH  /api/v1/images/{IX}                        imove   404
		mA         PATCH  /api/v1/images/{IA}                        imove   200
		staff      PATCH  /api/v1/images/{IA}                        imove   200
		anon       DELETE /api/v1/images/{ID}                        -       401
		buyer      DELETE /api/v1/images/{ID}                        -       404
		mB         DELETE /api/v1/images/{ID}                        -       404
		official   DELETE /api/v1/images/{ID}                        -       404
		admin      DELETE /api/v1/images/{ID}                        -       404
		mA         DELETE /api/v1/images/{IX}                        -       404
		staff      DELETE /api/v1/images/{IX}                        -       404
		mA         DELETE /api/v1/images/{ID}                        -       204
		staff      DELETE /api/v1/images/{ID}                        -       404
		anon       DELETE /api/v1/products/{PD}                      -       401
		buyer      DELETE /api/v1/products/{PD}                      -       404
		mB         DELETE /api/v1/products/{PD}                      -       404
		official   DELETE /api/v1/products/{PD}                      -       404
		admin      DELETE /api/v1/products/{PD}                      -       404
		mA         DELETE /api/v1/products/{PX}                      -       404
		staff      DELETE /api/v1/products/{PX}                      -       404
		mA         DELETE /api/v1/products/{PD}                      -       204
		staff      DELETE /api/v1/products/{PD}                      -       404
	EOF
}

# Image uploads carry image bytes, not JSON: run_matrix's JSON rows only
# check that a JSON body is refused (415) by everyone with nothing stored;
# who may upload is tested with real images in media.bats.
@test "matrix: image upload refuses non-image bodies for every actor" {
	run_matrix <<-'EOF'
		anon       POST   /api/v1/products/{PA}/images               pedit   415
		buyer      POST   /api/v1/products/{PA}/images               pedit   415
		mA         POST   /api/v1/products/{PA}/images               pedit   415
		staff      POST   /api/v1/products/{PA}/images               pedit   415
		mB         POST   /api/v1/products/{PA}/images               pedit   415
		official   POST   /api/v1/products/{PA}/images               pedit   415
		admin      POST   /api/v1/products/{PA}/images               pedit   415
	EOF
}

# Payments (payment.c).  {G} is an order group of the buyer (one order
# of store A, paid online), {Q} a VietQR payment of it.  Provider
# callbacks are recorded even when refused, so here they are only tried
# with a method their provider never uses (405, nothing recorded); what
# they do is tested in payments.bats.
@test "matrix: payments are the group's buyer's, reports the admins'; callbacks refuse other methods" {
	local g q rows
	TOKEN=$MA_TOK api PUT "/api/v1/stores/$STORE_A/shipping-methods" \
	    '{"methods":[{"carrier":"own","name":"Giao tận nơi","fee_rule":"flat","fee_vnd":15000}]}'
	[ "$code" = 200 ]
	TOKEN=$BUYER_TOK api POST /api/v1/orders "$(jq -nc --argjson p "$PROD_A" '{
	    items: [{product_id: $p, qty: 1}], payment_method: "vnpay",
	    shipping_address: {recipient: "Nguyễn Văn A", phone: "0912345678",
		address: "12 Trần Hưng Đạo", province: "Tây Ninh", ward: "Phường 1"}}')" \
	    -H "Idempotency-Key: matrix-pay-$RANDOM$RANDOM"
	[ "$code" = 201 ]
	g=$(jq -r .group_id <<<"$body")
	TOKEN=$BUYER_TOK api POST "/api/v1/order-groups/$g/payments" '{"provider":"vietqr"}'
	[ "$code" = 201 ]
	q=$(jq -r .payment_id <<<"$body")
	# This test's body: {"provider"}; the others as matrix_body has them.
	eval "matrix_body_base() $(declare -f matrix_body | tail -n +2)"
	matrix_body() {
		case $1 in
		pay) echo '{"provider":"vnpay"}' ;;
		*) matrix_body_base "$1" ;;
		esac
	}
	rows=$(cat <<-'EOF'
		anon       GET    /api/v1/payments/{Q}/qr.svg                -       401
		mA         GET    /api/v1/payments/{Q}/qr.svg                -       404
		staff      GET    /api/v1/payments/{Q}/qr.svg                -       404
		mB         GET    /api/v1/payments/{Q}/qr.svg                -       404
		official   GET    /api/v1/payments/{Q}/qr.svg                -       404
		admin      GET    /api/v1/payments/{Q}/qr.svg                -       404
		buyer      GET    /api/v1/payments/999999999999/qr.svg       -       404
		buyer      GET    /api/v1/payments/{Q}/qr.svg                -       200
		anon       POST   /api/v1/order-groups/{G}/payments          pay     401
		mA         POST   /api/v1/order-groups/{G}/payments          pay     404
		staff      POST   /api/v1/order-groups/{G}/payments          pay     404
		mB         POST   /api/v1/order-groups/{G}/payments          pay     404
		official   POST   /api/v1/order-groups/{G}/payments          pay     404
		admin      POST   /api/v1/order-groups/{G}/payments          pay     404
		buyer      POST   /api/v1/order-groups/999999999999/payments pay     404
		buyer      POST   /api/v1/order-groups/{G}/payments          pay     201
		anon       GET    /api/v1/admin/payments/reconciliation      -       401
		buyer      GET    /api/v1/admin/payments/reconciliation      -       404
		mA         GET    /api/v1/admin/payments/reconciliation      -       404
		staff      GET    /api/v1/admin/payments/reconciliation      -       404
		mB         GET    /api/v1/admin/payments/reconciliation      -       404
		official   GET    /api/v1/admin/payments/reconciliation      -       404
		admin      GET    /api/v1/admin/payments/reconciliation      -       200
		anon       GET    /api/v1/admin/payments/callbacks           -       401
		buyer      GET    /api/v1/admin/payments/callbacks           -       404
		mA         GET    /api/v1/admin/payments/callbacks           -       404
		staff      GET    /api/v1/admin/payments/callbacks           -       404
		mB         GET    /api/v1/admin/payments/callbacks           -       404
		official   GET    /api/v1/admin/payments/callbacks           -       404
		admin      GET    /api/v1/admin/payments/callbacks           -       200
		anon       GET    /api/v1/admin/payments                     -       401
		buyer      GET    /api/v1/admin/payments                     -       404
		mA         GET    /api/v1/admin/payments                     -       404
		staff      GET    /api/v1/admin/payments                     -       404
		mB         GET    /api/v1/admin/payments                     -       404
		official   GET    /api/v1/admin/payments                     -       404
		admin      GET    /api/v1/admin/payments                     -       200
		anon       POST   /api/v1/payments/vnpay/ipn                 -       405
		buyer      POST   /api/v1/payments/vnpay/ipn                 -       405
		mA         POST   /api/v1/payments/vnpay/ipn                 -       405
		staff      POST   /api/v1/payments/vnpay/ipn                 -       405
		mB         POST   /api/v1/payments/vnpay/ipn                 -       405
		official   POST   /api/v1/payments/vnpay/ipn                 -       405
		admin      POST   /api/v1/payments/vnpay/ipn                 -       405
		anon       GET    /api/v1/payments/momo/ipn                  -       405
		buyer      GET    /api/v1/payments/momo/ipn                  -       405
		mA         GET    /api/v1/payments/momo/ipn                  -       405
		staff      GET    /api/v1/payments/momo/ipn                  -       405
		mB         GET    /api/v1/payments/momo/ipn                  -       405
		official   GET    /api/v1/payments/momo/ipn                  -       405
		admin      GET    /api/v1/payments/momo/ipn                  -       405
		anon       GET    /api/v1/payments/bank/webhook              -       405
		buyer      GET    /api/v1/payments/bank/webhook              -       405
		mA         GET    /api/v1/payments/bank/webhook              -       405
		staff      GET    /api/v1/payments/bank/webhook              -       405
		mB         GET    /api/v1/payments/bank/webhook              -       405
		official   GET    /api/v1/payments/bank/webhook              -       405
		admin      GET    /api/v1/payments/bank/webhook              -       405
	EOF
	)
	rows=${rows//\{G\}/$g}
	run_matrix <<<"${rows//\{Q\}/$q}"
}

# Cart, shipping methods, orders (order.c).  {PO} is a listed product of
# store A (stock 100), {O} a COD order of the buyer from store A (placed),
# {OP} a VNPay order of the buyer from store A, paid (set in SQL: payments
# are tested in payments.bats), {G} the group of {O}, {SB} a store of
# merchant B; {OX} and {GX} do not exist.  Every request carries a fresh
# Idempotency-Key (checkout needs one; other routes ignore it).
@test "matrix: carts are their owner's, orders their buyer's and their store's, shipping methods public to read" {
	local o op g sb po rows
	sb=$(new_store "$MB_TOK" "$BIZ_B" "$(uniq_slug matrix-b)" "Gian hàng B")
	shipping_flat "$MA_TOK" "$STORE_A" 15000 >/dev/null
	shipping_flat "$MB_TOK" "$sb" 15000 >/dev/null
	po=$(new_product "$MA_TOK" "$STORE_A" "$(product_body "$CAT_N" "Đặc sản đặt hàng" 20000 '{"status":"active","stock":100}')")
	read -r g o < <(new_order "$BUYER_TOK" "$(items_json "$po" 1)" cod)
	read -r op op < <(new_order "$BUYER_TOK" "$(items_json "$po" 1)" vnpay)
	sql "UPDATE san.orders SET status = 'paid', paid_at = now() WHERE id = $op" >/dev/null
	for v in sb po g o op; do
		[ -n "${!v}" ] || { echo "set-up failed: $v" >&2; return 1; }
	done
	eval "matrix_body_orders() $(declare -f matrix_body | tail -n +2)"
	matrix_body() {
		case $1 in
		qty) echo '{"qty":2}' ;;
		ship) echo '{"methods":[{"carrier":"vnpost","name":"Bưu điện","fee_rule":"flat","fee_vnd":20000}]}' ;;
		order) order_body "$(items_json "$po" 1)" cod ;;
		confirm) echo '{"action":"confirm"}' ;;
		inv) jq -nc --arg d "$(date -u -d '3 days ago' +%F)" \
		    '{form:"1",series:"C26TAA",number:"0000001",issued_on:$d,lookup_code:"MATRIX1"}' ;;
		*) matrix_body_orders "$1" ;;
		esac
	}
	curl() {
		command curl -H "Idempotency-Key: matrix-$(date +%s%N)-$RANDOM" "$@"
	}
	rows=$(cat <<-'EOF'
		anon       GET    /api/v1/cart                               -       401
		buyer      GET    /api/v1/cart                               -       200
		mA         GET    /api/v1/cart                               -       200
		staff      GET    /api/v1/cart                               -       200
		mB         GET    /api/v1/cart                               -       200
		official   GET    /api/v1/cart                               -       200
		admin      GET    /api/v1/cart                               -       200
		buyer      POST   /api/v1/cart                               -       405
		anon       PUT    /api/v1/cart/items/{PO}                    qty     401
		buyer      PUT    /api/v1/cart/items/{PX}                    qty     404
		buyer      PUT    /api/v1/cart/items/{PO}                    qty     200
		mA         PUT    /api/v1/cart/items/{PO}                    qty     200
		staff      PUT    /api/v1/cart/items/{PO}                    qty     200
		mB         PUT    /api/v1/cart/items/{PO}                    qty     200
		official   PUT    /api/v1/cart/items/{PO}                    qty     200
		admin      PUT    /api/v1/cart/items/{PO}                    qty     200
		anon       DELETE /api/v1/cart/items/{PO}                    -       401
		buyer      DELETE /api/v1/cart/items/{PO}                    -       200
		mA         DELETE /api/v1/cart/items/{PO}                    -       200
		staff      DELETE /api/v1/cart/items/{PO}                    -       200
		mB         DELETE /api/v1/cart/items/{PO}                    -       200
		official   DELETE /api/v1/cart/items/{PO}                    -       200
		admin      DELETE /api/v1/cart/items/{PO}                    -       200
		buyer      GET    /api/v1/cart/items/{PO}                    -       405
		anon       GET    /api/v1/stores/{SA}/shipping-methods       -       200
		buyer      GET    /api/v1/stores/{SA}/shipping-methods       -       200
		mA         GET    /api/v1/stores/{SA}/shipping-methods       -       200
		staff      GET    /api/v1/stores/{SA}/shipping-methods       -       200
		mB         GET    /api/v1/stores/{SA}/shipping-methods       -       200
		official   GET    /api/v1/stores/{SA}/shipping-methods       -       200
		admin      GET    /api/v1/stores/{SA}/shipping-methods       -       200
		anon       GET    /api/v1/stores/{SX}/shipping-methods       -       404
		anon       PUT    /api/v1/stores/{SA}/shipping-methods       ship    401
		buyer      PUT    /api/v1/stores/{SA}/shipping-methods       ship    404
		mB         PUT    /api/v1/stores/{SA}/shipping-methods       ship    404
		official   PUT    /api/v1/stores/{SA}/shipping-methods       ship    404
		admin      PUT    /api/v1/stores/{SA}/shipping-methods       ship    404
		mA         PUT    /api/v1/stores/{SX}/shipping-methods       ship    404
		staff      PUT    /api/v1/stores/{SX}/shipping-methods       ship    404
		mA         PUT    /api/v1/stores/{SA}/shipping-methods       ship    200
		staff      PUT    /api/v1/stores/{SA}/shipping-methods       ship    200
		mB         PUT    /api/v1/stores/{SB}/shipping-methods       ship    200
		mA         DELETE /api/v1/stores/{SA}/shipping-methods       -       405
		staff      DELETE /api/v1/stores/{SA}/shipping-methods       -       405
		anon       GET    /api/v1/orders                             -       401
		buyer      GET    /api/v1/orders                             -       200
		mA         GET    /api/v1/orders                             -       200
		staff      GET    /api/v1/orders                             -       200
		mB         GET    /api/v1/orders                             -       200
		official   GET    /api/v1/orders                             -       200
		admin      GET    /api/v1/orders                             -       200
		anon       POST   /api/v1/orders                             order   401
		buyer      POST   /api/v1/orders                             order   201
		mA         POST   /api/v1/orders                             order   201
		staff      POST   /api/v1/orders                             order   201
		mB         POST   /api/v1/orders                             order   201
		official   POST   /api/v1/orders                             order   201
		admin      POST   /api/v1/orders                             order   201
		buyer      DELETE /api/v1/orders                             -       405
		anon       GET    /api/v1/orders/{O}                         -       401
		buyer      GET    /api/v1/orders/{O}                         -       200
		mA         GET    /api/v1/orders/{O}                         -       200
		staff      GET    /api/v1/orders/{O}                         -       200
		mB         GET    /api/v1/orders/{O}                         -       404
		official   GET    /api/v1/orders/{O}                         -       404
		admin      GET    /api/v1/orders/{O}                         -       404
		buyer      GET    /api/v1/orders/{OX}                        -       404
		mA         DELETE /api/v1/orders/{O}                         -       405
		staff      DELETE /api/v1/orders/{O}                         -       405
		anon       POST   /api/v1/orders/{O}/actions                 confirm 401
		buyer      POST   /api/v1/orders/{O}/actions                 confirm 409
		mB         POST   /api/v1/orders/{O}/actions                 confirm 404
		official   POST   /api/v1/orders/{O}/actions                 confirm 404
		admin      POST   /api/v1/orders/{O}/actions                 confirm 404
		mA         POST   /api/v1/orders/{OX}/actions                confirm 404
		staff      POST   /api/v1/orders/{OX}/actions                confirm 404
		mA         POST   /api/v1/orders/{O}/actions                 confirm 200
		staff      POST   /api/v1/orders/{O}/actions                 confirm 409
		mA         GET    /api/v1/orders/{O}/actions                 -       405
		staff      GET    /api/v1/orders/{O}/actions                 -       405
		anon       PUT    /api/v1/orders/{OP}/invoice                inv     401
		buyer      PUT    /api/v1/orders/{OP}/invoice                inv     403
		mB         PUT    /api/v1/orders/{OP}/invoice                inv     404
		official   PUT    /api/v1/orders/{OP}/invoice                inv     404
		admin      PUT    /api/v1/orders/{OP}/invoice                inv     404
		mA         PUT    /api/v1/orders/{OX}/invoice                inv     404
		staff      PUT    /api/v1/orders/{OX}/invoice                inv     404
		mA         PUT    /api/v1/orders/{O}/invoice                 inv     409
		staff      PUT    /api/v1/orders/{O}/invoice                 inv     409
		mA         PUT    /api/v1/orders/{OP}/invoice                inv     200
		staff      PUT    /api/v1/orders/{OP}/invoice                inv     200
		mA         GET    /api/v1/orders/{OP}/invoice                -       405
		staff      GET    /api/v1/orders/{OP}/invoice                -       405
		anon       GET    /api/v1/order-groups/{G}                   -       401
		buyer      GET    /api/v1/order-groups/{G}                   -       200
		mA         GET    /api/v1/order-groups/{G}                   -       404
		staff      GET    /api/v1/order-groups/{G}                   -       404
		mB         GET    /api/v1/order-groups/{G}                   -       404
		official   GET    /api/v1/order-groups/{G}                   -       404
		admin      GET    /api/v1/order-groups/{G}                   -       404
		buyer      GET    /api/v1/order-groups/{GX}                  -       404
		anon       GET    /api/v1/stores/{SA}/orders                 -       401
		buyer      GET    /api/v1/stores/{SA}/orders                 -       404
		mA         GET    /api/v1/stores/{SA}/orders                 -       200
		staff      GET    /api/v1/stores/{SA}/orders                 -       200
		mB         GET    /api/v1/stores/{SA}/orders                 -       404
		official   GET    /api/v1/stores/{SA}/orders                 -       404
		admin      GET    /api/v1/stores/{SA}/orders                 -       404
		mA         GET    /api/v1/stores/{SX}/orders                 -       404
		staff      GET    /api/v1/stores/{SX}/orders                 -       404
		mB         GET    /api/v1/stores/{SB}/orders                 -       200
		anon       GET    /api/v1/stores/{SA}/invoices.csv           -       401
		buyer      GET    /api/v1/stores/{SA}/invoices.csv           -       404
		mA         GET    /api/v1/stores/{SA}/invoices.csv           -       200
		staff      GET    /api/v1/stores/{SA}/invoices.csv           -       200
		mB         GET    /api/v1/stores/{SA}/invoices.csv           -       404
		official   GET    /api/v1/stores/{SA}/invoices.csv           -       404
		admin      GET    /api/v1/stores/{SA}/invoices.csv           -       404
		mA         GET    /api/v1/stores/{SX}/invoices.csv           -       404
		staff      GET    /api/v1/stores/{SX}/invoices.csv           -       404
		mB         GET    /api/v1/stores/{SB}/invoices.csv           -       200
	EOF
	)
	rows=${rows//\{PO\}/$po}
	rows=${rows//\{OP\}/$op}
	rows=${rows//\{OX\}/999999999999}
	rows=${rows//\{O\}/$o}
	rows=${rows//\{GX\}/999999999999}
	rows=${rows//\{G\}/$g}
	run_matrix <<<"${rows//\{SB\}/$sb}"
	# What the successful rows did.
	[ "$(sql "SELECT status FROM san.orders WHERE id = $o")" = confirmed ]
	[ "$(sql "SELECT invoice->>'lookup_code' FROM san.orders WHERE id = $op")" = MATRIX1 ]
	[ "$(sql "SELECT count(*) FROM san.order_lines WHERE product_id = $po")" = 8 ]
	[ "$(sql "SELECT stock FROM san.products WHERE id = $po")" = 92 ]
	[ "$(sql "SELECT count(*) FROM san.cart_items WHERE product_id = $po")" = 0 ]
}

@test "matrix: statistics are for officials and admins; the SME denominator for admins" {
	run_matrix <<-'EOF'
		anon       GET    /api/v1/official/stats/indicators          -    401
		buyer      GET    /api/v1/official/stats/indicators          -    404
		mA         GET    /api/v1/official/stats/indicators          -    404
		staff      GET    /api/v1/official/stats/indicators          -    404
		mB         GET    /api/v1/official/stats/indicators          -    404
		official   GET    /api/v1/official/stats/indicators          -    200
		admin      GET    /api/v1/official/stats/indicators          -    200
		anon       GET    /api/v1/official/stats/series/{IC}         -    401
		buyer      GET    /api/v1/official/stats/series/{IC}         -    404
		mA         GET    /api/v1/official/stats/series/{IC}         -    404
		staff      GET    /api/v1/official/stats/series/{IC}         -    404
		mB         GET    /api/v1/official/stats/series/{IC}         -    404
		official   GET    /api/v1/official/stats/series/{IC}         -    200
		admin      GET    /api/v1/official/stats/series/{IC}         -    200
		official   GET    /api/v1/official/stats/series/{ICX}      -    404
		anon       PUT    /api/v1/admin/stats/sme-counts/{Y}         sme  401
		buyer      PUT    /api/v1/admin/stats/sme-counts/{Y}         sme  404
		mA         PUT    /api/v1/admin/stats/sme-counts/{Y}         sme  404
		staff      PUT    /api/v1/admin/stats/sme-counts/{Y}         sme  404
		mB         PUT    /api/v1/admin/stats/sme-counts/{Y}         sme  404
		official   PUT    /api/v1/admin/stats/sme-counts/{Y}         sme  404
		admin      PUT    /api/v1/admin/stats/sme-counts/{Y}         sme  200
		admin      PUT    /api/v1/admin/stats/sme-counts/{YX}        sme  404
		anon       GET    /api/v1/official/reports/sellers.csv       -    401
		buyer      GET    /api/v1/official/reports/sellers.csv       -    404
		mA         GET    /api/v1/official/reports/sellers.csv       -    404
		staff      GET    /api/v1/official/reports/sellers.csv       -    404
		mB         GET    /api/v1/official/reports/sellers.csv       -    404
		official   GET    /api/v1/official/reports/sellers.csv       -    200
		admin      GET    /api/v1/official/reports/sellers.csv       -    200
		anon       GET    /api/v1/official/reports/yearly/{Y}        -    401
		buyer      GET    /api/v1/official/reports/yearly/{Y}        -    404
		mA         GET    /api/v1/official/reports/yearly/{Y}        -    404
		staff      GET    /api/v1/official/reports/yearly/{Y}        -    404
		mB         GET    /api/v1/official/reports/yearly/{Y}        -    404
		official   GET    /api/v1/official/reports/yearly/{Y}        -    200
		admin      GET    /api/v1/official/reports/yearly/{Y}        -    200
		anon       POST   /api/v1/official/reports/seller-data/{A}   authority 401
		buyer      POST   /api/v1/official/reports/seller-data/{A}   authority 404
		mA         POST   /api/v1/official/reports/seller-data/{A}   authority 404
		staff      POST   /api/v1/official/reports/seller-data/{A}   authority 404
		mB         POST   /api/v1/official/reports/seller-data/{A}   authority 404
		official   POST   /api/v1/official/reports/seller-data/{A}   authority 200
		admin      POST   /api/v1/official/reports/seller-data/{A}   authority 200
		official   POST   /api/v1/official/reports/seller-data/{X}   authority 404
	EOF
}

@test "matrix: the survey (admins write and open, members answer, officials read)" {
	local rows sv rd rc TOKEN=$ADM_TOK
	api POST /api/v1/admin/surveys "$(matrix_body survey)"
	[ "$code" = 201 ]
	sv=$(jq -r .id <<<"$body")
	SV_Q1=$(jq -r '.questions[0].id' <<<"$body")
	api POST "/api/v1/admin/surveys/$sv/rounds" "$(matrix_body round)"
	rd=$(jq -r .id <<<"$body")
	api POST "/api/v1/admin/surveys/$sv/rounds" "$(matrix_body round)"
	rc=$(jq -r .id <<<"$body")
	[ -n "$rd" ] && [ -n "$rc" ]
	rows=$(cat <<-'EOF'
		anon       POST   /api/v1/admin/surveys                       survey 401
		buyer      POST   /api/v1/admin/surveys                       survey 404
		mA         POST   /api/v1/admin/surveys                       survey 404
		staff      POST   /api/v1/admin/surveys                       survey 404
		mB         POST   /api/v1/admin/surveys                       survey 404
		official   POST   /api/v1/admin/surveys                       survey 404
		admin      POST   /api/v1/admin/surveys                       survey 201
		anon       GET    /api/v1/official/surveys                    -    401
		buyer      GET    /api/v1/official/surveys                    -    404
		mA         GET    /api/v1/official/surveys                    -    404
		staff      GET    /api/v1/official/surveys                    -    404
		mB         GET    /api/v1/official/surveys                    -    404
		official   GET    /api/v1/official/surveys                    -    200
		admin      GET    /api/v1/official/surveys                    -    200
		anon       POST   /api/v1/admin/surveys/{SV}/rounds           round 401
		buyer      POST   /api/v1/admin/surveys/{SV}/rounds           round 404
		mA         POST   /api/v1/admin/surveys/{SV}/rounds           round 404
		staff      POST   /api/v1/admin/surveys/{SV}/rounds           round 404
		mB         POST   /api/v1/admin/surveys/{SV}/rounds           round 404
		official   POST   /api/v1/admin/surveys/{SV}/rounds           round 404
		admin      POST   /api/v1/admin/surveys/{SV}/rounds           round 201
		admin      POST   /api/v1/admin/surveys/{SVX}/rounds          round 404
		anon       GET    /api/v1/survey-rounds                       -    401
		buyer      GET    /api/v1/survey-rounds                       -    200
		mA         GET    /api/v1/survey-rounds                       -    200
		staff      GET    /api/v1/survey-rounds                       -    200
		mB         GET    /api/v1/survey-rounds                       -    200
		official   GET    /api/v1/survey-rounds                       -    200
		admin      GET    /api/v1/survey-rounds                       -    200
		anon       PUT    /api/v1/survey-rounds/{RD}/answer           answerA 401
		buyer      PUT    /api/v1/survey-rounds/{RD}/answer           answerA 404
		mB         PUT    /api/v1/survey-rounds/{RD}/answer           answerA 404
		official   PUT    /api/v1/survey-rounds/{RD}/answer           answerA 404
		admin      PUT    /api/v1/survey-rounds/{RD}/answer           answerA 404
		mA         PUT    /api/v1/survey-rounds/{RD}/answer           answerA 201
		staff      PUT    /api/v1/survey-rounds/{RD}/answer           answerA 200
		mA         PUT    /api/v1/survey-rounds/{RDX}/answer          answerA 404
		staff      PUT    /api/v1/survey-rounds/{RDX}/answer          answerA 404
		anon       GET    /api/v1/survey-rounds/{RD}/answer           -    401
		buyer      GET    /api/v1/survey-rounds/{RD}/answer           -    404
		mA         GET    /api/v1/survey-rounds/{RD}/answer           -    404
		staff      GET    /api/v1/survey-rounds/{RD}/answer           -    404
		mB         GET    /api/v1/survey-rounds/{RD}/answer           -    404
		official   GET    /api/v1/survey-rounds/{RD}/answer           -    404
		admin      GET    /api/v1/survey-rounds/{RD}/answer           -    404
		mA         GET    /api/v1/survey-rounds/{RD}/answer?business_id={A}  -  200
		staff      GET    /api/v1/survey-rounds/{RD}/answer?business_id={A}  -  200
		mB         GET    /api/v1/survey-rounds/{RD}/answer?business_id={A}  -  404
		anon       GET    /api/v1/official/survey-rounds/{RD}         -    401
		buyer      GET    /api/v1/official/survey-rounds/{RD}         -    404
		mA         GET    /api/v1/official/survey-rounds/{RD}         -    404
		staff      GET    /api/v1/official/survey-rounds/{RD}         -    404
		mB         GET    /api/v1/official/survey-rounds/{RD}         -    404
		official   GET    /api/v1/official/survey-rounds/{RD}         -    200
		admin      GET    /api/v1/official/survey-rounds/{RD}         -    200
		official   GET    /api/v1/official/survey-rounds/{RDX}        -    404
		anon       GET    /api/v1/official/survey-rounds/{RD}/answers.csv  -  401
		buyer      GET    /api/v1/official/survey-rounds/{RD}/answers.csv  -  404
		mA         GET    /api/v1/official/survey-rounds/{RD}/answers.csv  -  404
		staff      GET    /api/v1/official/survey-rounds/{RD}/answers.csv  -  404
		mB         GET    /api/v1/official/survey-rounds/{RD}/answers.csv  -  404
		official   GET    /api/v1/official/survey-rounds/{RD}/answers.csv  -  200
		admin      GET    /api/v1/official/survey-rounds/{RD}/answers.csv  -  200
		anon       POST   /api/v1/admin/survey-rounds/{RC}/close      -    401
		buyer      POST   /api/v1/admin/survey-rounds/{RC}/close      -    404
		mA         POST   /api/v1/admin/survey-rounds/{RC}/close      -    404
		staff      POST   /api/v1/admin/survey-rounds/{RC}/close      -    404
		mB         POST   /api/v1/admin/survey-rounds/{RC}/close      -    404
		official   POST   /api/v1/admin/survey-rounds/{RC}/close      -    404
		admin      POST   /api/v1/admin/survey-rounds/{RC}/close      -    200
		admin      POST   /api/v1/admin/survey-rounds/{RC}/close      -    409
		admin      POST   /api/v1/admin/survey-rounds/{RDX}/close     -    404
	EOF
	)
	rows=${rows//\{SVX\}/999999999999}
	rows=${rows//\{SV\}/$sv}
	rows=${rows//\{RDX\}/999999999999}
	rows=${rows//\{RD\}/$rd}
	SV_Q1=$SV_Q1 run_matrix <<<"${rows//\{RC\}/$rc}"
	[ "$(sql "SELECT count(*) FROM san.survey_responses WHERE round_id = $rd AND business_id = $BIZ_A")" = 1 ]
}

@test "matrix: the subsidy ledger is the admins'; a business's support is its members' and officials'" {
	local title p plan line prog pc g gc adm2 ld ld2 ld3 rows
	title="Kế hoạch ma trận $(date +%s%N)"
	p=$(jq -nc --arg t "$title" '{province:"Tỉnh Thử", title:$t,
	    appendix:"Phụ lục", period_from:2024, period_to:2025, unit_vnd:1,
	    unit_label:"đồng", years:[2024], sources:["provincial"], lines:[
	    {code:"I", level:1, title:"Hỗ trợ", figures:[[2024,"provincial",1000000000]]},
	    {kind:"total", title:"Tổng cộng", figures:[[null,null,1000000000]]}]}')
	plan=$(sql "SELECT api.plan_import('$p'::jsonb)->>'plan_id'")
	line=$(sql "SELECT id FROM san.plan_lines WHERE plan_id = $plan AND code = 'I'")
	TOKEN=$ADM_TOK api POST /api/v1/admin/programmes "{\"line_id\":$line,\"name\":\"Ma trận\",\"rule\":\"fixed\",\"fixed_vnd\":50000000,\"sources\":{\"provincial\":10000}}"
	prog=$(jq -r .id <<<"$body")
	TOKEN=$ADM_TOK api POST /api/v1/admin/programmes "{\"line_id\":$line,\"name\":\"Ma trận đóng\",\"rule\":\"fixed\",\"fixed_vnd\":1000000,\"sources\":{\"provincial\":10000}}"
	pc=$(jq -r .id <<<"$body")
	TOKEN=$ADM_TOK api POST /api/v1/admin/grants "{\"programme_id\":$prog,\"business_id\":$BIZ_A,\"year\":2024,\"decision_no\":\"1/QĐ\"}" -H "Idempotency-Key: mx-g-$prog"
	g=$(jq -r .id <<<"$body")
	TOKEN=$ADM_TOK api POST /api/v1/admin/grants "{\"programme_id\":$prog,\"business_id\":$BIZ_B,\"year\":2024,\"decision_no\":\"2/QĐ\"}" -H "Idempotency-Key: mx-gc-$prog"
	gc=$(jq -r .id <<<"$body")
	read -r adm2 adm2 < <(new_role_account admin)
	# Two pending payments recorded by another admin, one posted.
	for v in ld ld2; do
		TOKEN=$adm2 api POST "/api/v1/admin/grants/$g/disbursements" '{"amount_vnd":21000000,"paid_on":"2024-05-02","voucher_no":"PC-1","method":"treasury"}' -H "Idempotency-Key: mx-$v-$prog"
		printf -v "$v" '%s' "$(jq -r .id <<<"$body")"
	done
	TOKEN=$ADM_TOK api POST "/api/v1/admin/grants/$g/disbursements" '{"amount_vnd":1000000,"paid_on":"2024-05-02","voucher_no":"PC-2","method":"cash"}' -H "Idempotency-Key: mx-ld3-$prog"
	ld3=$(jq -r .id <<<"$body")
	for v in plan line prog pc g gc adm2 ld ld2 ld3; do
		[[ "${!v}" =~ ^[0-9]+$ ]] || [ "$v" = adm2 ] || { echo "set-up failed: $v=${!v}" >&2; return 1; }
	done
	eval "matrix_body_ledger() $(declare -f matrix_body | tail -n +2)"
	matrix_body() {
		case $1 in
		subprog) jq -nc --argjson l "$line" '{line_id:$l, name:"Chương trình ma trận", rule:"fixed", fixed_vnd:1000000, sources:{provincial:10000}}' ;;
		subgrant) jq -nc --argjson p "$prog" --argjson b "$BIZ_A" '{programme_id:$p, business_id:$b, year:2024, decision_no:"3/QĐ"}' ;;
		subdisb) echo '{"amount_vnd":100000,"paid_on":"2024-05-03","voucher_no":"PC-3","method":"bank_transfer"}' ;;
		subreason) echo '{"reason":"Kiểm tra ma trận"}' ;;
		subempty) echo '{}' ;;
		subpatch) echo '{"name":"Ma trận sửa","max_per_year":10}' ;;
		subrev) echo '{"decision_no":"5/QĐ-UBND","decision_date":"2024-06-01","reason":"Ma trận","changes":[{"line_code":"I","year":2024,"source":"provincial","amount_vnd":1100000000}]}' ;;
		*) matrix_body_ledger "$1" ;;
		esac
	}
	curl() {
		command curl -H "Idempotency-Key: matrix-$(date +%s%N)-$RANDOM" "$@"
	}
	rows=$(cat <<-'EOF'
		anon       GET    /api/v1/admin/plans                        -         401
		buyer      GET    /api/v1/admin/plans                        -         404
		mA         GET    /api/v1/admin/plans                        -         404
		staff      GET    /api/v1/admin/plans                        -         404
		mB         GET    /api/v1/admin/plans                        -         404
		official   GET    /api/v1/admin/plans                        -         404
		admin      GET    /api/v1/admin/plans                        -         200
		admin      POST   /api/v1/admin/plans                        subempty  405
		anon       GET    /api/v1/admin/plans/{LP}/report            -         401
		buyer      GET    /api/v1/admin/plans/{LP}/report            -         404
		mA         GET    /api/v1/admin/plans/{LP}/report            -         404
		staff      GET    /api/v1/admin/plans/{LP}/report            -         404
		mB         GET    /api/v1/admin/plans/{LP}/report            -         404
		official   GET    /api/v1/admin/plans/{LP}/report            -         404
		admin      GET    /api/v1/admin/plans/{LP}/report            -         200
		admin      GET    /api/v1/admin/plans/{LX}/report            -         404
		anon       POST   /api/v1/admin/plans/{LP}/revisions         subrev    401
		buyer      POST   /api/v1/admin/plans/{LP}/revisions         subrev    404
		mA         POST   /api/v1/admin/plans/{LP}/revisions         subrev    404
		staff      POST   /api/v1/admin/plans/{LP}/revisions         subrev    404
		mB         POST   /api/v1/admin/plans/{LP}/revisions         subrev    404
		official   POST   /api/v1/admin/plans/{LP}/revisions         subrev    404
		admin      POST   /api/v1/admin/plans/{LX}/revisions         subrev    404
		admin      POST   /api/v1/admin/plans/{LP}/revisions         subrev    201
		admin      GET    /api/v1/admin/plans/{LP}/revisions         -         405
		anon       GET    /api/v1/admin/programmes                   -         401
		buyer      GET    /api/v1/admin/programmes                   -         404
		mA         GET    /api/v1/admin/programmes                   -         404
		staff      GET    /api/v1/admin/programmes                   -         404
		mB         GET    /api/v1/admin/programmes                   -         404
		official   GET    /api/v1/admin/programmes                   -         404
		admin      GET    /api/v1/admin/programmes                   -         200
		anon       POST   /api/v1/admin/programmes                   subprog   401
		buyer      POST   /api/v1/admin/programmes                   subprog   404
		mA         POST   /api/v1/admin/programmes                   subprog   404
		staff      POST   /api/v1/admin/programmes                   subprog   404
		mB         POST   /api/v1/admin/programmes                   subprog   404
		official   POST   /api/v1/admin/programmes                   subprog   404
		admin      POST   /api/v1/admin/programmes                   subprog   201
		anon       PATCH  /api/v1/admin/programmes/{LPC}              subpatch  401
		buyer      PATCH  /api/v1/admin/programmes/{LPC}              subpatch  404
		mA         PATCH  /api/v1/admin/programmes/{LPC}              subpatch  404
		staff      PATCH  /api/v1/admin/programmes/{LPC}              subpatch  404
		mB         PATCH  /api/v1/admin/programmes/{LPC}              subpatch  404
		official   PATCH  /api/v1/admin/programmes/{LPC}              subpatch  404
		admin      PATCH  /api/v1/admin/programmes/{LX}               subpatch  404
		admin      PATCH  /api/v1/admin/programmes/{LPC}              subpatch  200
		admin      GET    /api/v1/admin/programmes/{LPC}              -         405
		anon       POST   /api/v1/admin/programmes/{LPC}/close        subreason 401
		buyer      POST   /api/v1/admin/programmes/{LPC}/close        subreason 404
		mA         POST   /api/v1/admin/programmes/{LPC}/close        subreason 404
		staff      POST   /api/v1/admin/programmes/{LPC}/close        subreason 404
		mB         POST   /api/v1/admin/programmes/{LPC}/close        subreason 404
		official   POST   /api/v1/admin/programmes/{LPC}/close        subreason 404
		admin      POST   /api/v1/admin/programmes/{LX}/close         subreason 404
		admin      POST   /api/v1/admin/programmes/{LPC}/close        subreason 200
		admin      POST   /api/v1/admin/programmes/{LPC}/close        subreason 409
		admin      PATCH  /api/v1/admin/programmes/{LPC}              subpatch  409
		anon       GET    /api/v1/admin/programmes/{LG}/report       -         401
		buyer      GET    /api/v1/admin/programmes/{LG}/report       -         404
		mA         GET    /api/v1/admin/programmes/{LG}/report       -         404
		staff      GET    /api/v1/admin/programmes/{LG}/report       -         404
		mB         GET    /api/v1/admin/programmes/{LG}/report       -         404
		official   GET    /api/v1/admin/programmes/{LG}/report       -         404
		admin      GET    /api/v1/admin/programmes/{LG}/report       -         200
		admin      GET    /api/v1/admin/programmes/{LX}/report       -         404
		anon       GET    /api/v1/admin/grants                       -         401
		buyer      GET    /api/v1/admin/grants                       -         404
		mA         GET    /api/v1/admin/grants                       -         404
		staff      GET    /api/v1/admin/grants                       -         404
		mB         GET    /api/v1/admin/grants                       -         404
		official   GET    /api/v1/admin/grants                       -         404
		admin      GET    /api/v1/admin/grants                       -         200
		anon       POST   /api/v1/admin/grants                       subgrant  401
		buyer      POST   /api/v1/admin/grants                       subgrant  404
		mA         POST   /api/v1/admin/grants                       subgrant  404
		staff      POST   /api/v1/admin/grants                       subgrant  404
		mB         POST   /api/v1/admin/grants                       subgrant  404
		official   POST   /api/v1/admin/grants                       subgrant  404
		admin      POST   /api/v1/admin/grants                       subgrant  201
		anon       POST   /api/v1/admin/grants/{LGC}/cancel          subreason 401
		buyer      POST   /api/v1/admin/grants/{LGC}/cancel          subreason 404
		mA         POST   /api/v1/admin/grants/{LGC}/cancel          subreason 404
		staff      POST   /api/v1/admin/grants/{LGC}/cancel          subreason 404
		mB         POST   /api/v1/admin/grants/{LGC}/cancel          subreason 404
		official   POST   /api/v1/admin/grants/{LGC}/cancel          subreason 404
		admin      POST   /api/v1/admin/grants/{LX}/cancel           subreason 404
		admin      POST   /api/v1/admin/grants/{LGC}/cancel          subreason 200
		anon       POST   /api/v1/admin/grants/{LGR}/disbursements   subdisb   401
		buyer      POST   /api/v1/admin/grants/{LGR}/disbursements   subdisb   404
		mA         POST   /api/v1/admin/grants/{LGR}/disbursements   subdisb   404
		staff      POST   /api/v1/admin/grants/{LGR}/disbursements   subdisb   404
		mB         POST   /api/v1/admin/grants/{LGR}/disbursements   subdisb   404
		official   POST   /api/v1/admin/grants/{LGR}/disbursements   subdisb   404
		admin      POST   /api/v1/admin/grants/{LX}/disbursements    subdisb   404
		admin      POST   /api/v1/admin/grants/{LGR}/disbursements   subdisb   201
		anon       GET    /api/v1/admin/disbursements                -         401
		buyer      GET    /api/v1/admin/disbursements                -         404
		mA         GET    /api/v1/admin/disbursements                -         404
		staff      GET    /api/v1/admin/disbursements                -         404
		mB         GET    /api/v1/admin/disbursements                -         404
		official   GET    /api/v1/admin/disbursements                -         404
		admin      GET    /api/v1/admin/disbursements                -         200
		anon       POST   /api/v1/admin/disbursements/{LD}/approve   subempty  401
		buyer      POST   /api/v1/admin/disbursements/{LD}/approve   subempty  404
		mA         POST   /api/v1/admin/disbursements/{LD}/approve   subempty  404
		staff      POST   /api/v1/admin/disbursements/{LD}/approve   subempty  404
		mB         POST   /api/v1/admin/disbursements/{LD}/approve   subempty  404
		official   POST   /api/v1/admin/disbursements/{LD}/approve   subempty  404
		admin      POST   /api/v1/admin/disbursements/{LX}/approve   subempty  404
		admin      POST   /api/v1/admin/disbursements/{LD}/approve   subempty  200
		anon       POST   /api/v1/admin/disbursements/{LDJ}/reject   subreason 401
		buyer      POST   /api/v1/admin/disbursements/{LDJ}/reject   subreason 404
		mA         POST   /api/v1/admin/disbursements/{LDJ}/reject   subreason 404
		staff      POST   /api/v1/admin/disbursements/{LDJ}/reject   subreason 404
		mB         POST   /api/v1/admin/disbursements/{LDJ}/reject   subreason 404
		official   POST   /api/v1/admin/disbursements/{LDJ}/reject   subreason 404
		admin      POST   /api/v1/admin/disbursements/{LDJ}/reject   subreason 200
		anon       POST   /api/v1/admin/disbursements/{LDR}/reverse  subreason 401
		buyer      POST   /api/v1/admin/disbursements/{LDR}/reverse  subreason 404
		mA         POST   /api/v1/admin/disbursements/{LDR}/reverse  subreason 404
		staff      POST   /api/v1/admin/disbursements/{LDR}/reverse  subreason 404
		mB         POST   /api/v1/admin/disbursements/{LDR}/reverse  subreason 404
		official   POST   /api/v1/admin/disbursements/{LDR}/reverse  subreason 404
		admin      POST   /api/v1/admin/disbursements/{LDR}/reverse  subreason 200
		anon       GET    /api/v1/admin/ledger/check                 -         401
		buyer      GET    /api/v1/admin/ledger/check                 -         404
		mA         GET    /api/v1/admin/ledger/check                 -         404
		staff      GET    /api/v1/admin/ledger/check                 -         404
		mB         GET    /api/v1/admin/ledger/check                 -         404
		official   GET    /api/v1/admin/ledger/check                 -         404
		admin      GET    /api/v1/admin/ledger/check                 -         200
		anon       GET    /api/v1/businesses/{A}/support             -         401
		buyer      GET    /api/v1/businesses/{A}/support             -         404
		mA         GET    /api/v1/businesses/{A}/support             -         200
		staff      GET    /api/v1/businesses/{A}/support             -         200
		mB         GET    /api/v1/businesses/{A}/support             -         404
		official   GET    /api/v1/businesses/{A}/support             -         200
		admin      GET    /api/v1/businesses/{A}/support             -         200
		admin      GET    /api/v1/businesses/{X}/support             -         404
		mA         POST   /api/v1/businesses/{A}/support             subempty  405
		staff      POST   /api/v1/businesses/{A}/support             subempty  405
	EOF
	)
	rows=${rows//\{LP\}/$plan}
	rows=${rows//\{LG\}/$prog}
	rows=${rows//\{LPC\}/$pc}
	rows=${rows//\{LGR\}/$g}
	rows=${rows//\{LGC\}/$gc}
	rows=${rows//\{LD\}/$ld}
	rows=${rows//\{LDJ\}/$ld2}
	rows=${rows//\{LDR\}/$ld3}
	run_matrix <<<"${rows//\{LX\}/999999999999}"
	# What the successful rows did.
	[ "$(sql "SELECT status FROM san.grants WHERE id = $gc")" = cancelled ]
	[ "$(sql "SELECT status || ' ' || name || ' ' || max_per_year FROM san.programmes WHERE id = $pc")" = "closed Ma trận sửa 10" ]
	[ "$(sql "SELECT count(*) FROM san.plan_revisions WHERE plan_id = $plan")" = 1 ]
	[ "$(sql "SELECT string_agg(status, ',' ORDER BY id) FROM san.disbursements WHERE id IN ($ld, $ld2, $ld3)")" = posted,rejected,reversed ]
	[ "$(sql "SELECT count(*) FROM san.grants WHERE programme_id = $prog")" = 3 ]
	TOKEN=$ADM_TOK api GET /api/v1/admin/ledger/check
	[ "$(jq -r .ok <<<"$body")" = true ]
}

@test "matrix: monitoring (rules, cases, claims, decisions, audit check) is for officials and admins; others get 404" {
	local MR MK MK2
	TOKEN=$OFF_TOK api POST /api/v1/official/rules "$(matrix_body modrule)"
	MR=$(jq .id <<<"$body")
	TOKEN=$MA_TOK api POST "/api/v1/stores/$STORE_A/products" "$(product_body "$CAT_N" "Ma trận giám sát một" 42000 '{"status":"active"}')"
	MK=$(sql "SELECT id FROM san.mod_cases WHERE product_id = $(jq .id <<<"$body")")
	TOKEN=$MA_TOK api POST "/api/v1/stores/$STORE_A/products" "$(product_body "$CAT_N" "Ma trận giám sát hai" 42000 '{"status":"active"}')"
	MK2=$(sql "SELECT id FROM san.mod_cases WHERE product_id = $(jq .id <<<"$body")")
	[ -n "$MR" ] && [ -n "$MK" ] && [ -n "$MK2" ]
	sed "s/{MR}/$MR/g; s/{MK}/$MK/g; s/{MK2}/$MK2/g" <<-'EOF' | run_matrix
		anon       GET    /api/v1/official/rules          -        401
		buyer      GET    /api/v1/official/rules          -        404
		mA         GET    /api/v1/official/rules          -        404
		staff      GET    /api/v1/official/rules          -        404
		mB         GET    /api/v1/official/rules          -        404
		official   GET    /api/v1/official/rules          -        200
		admin      GET    /api/v1/official/rules          -        200
		anon       POST   /api/v1/official/rules          modrule  401
		buyer      POST   /api/v1/official/rules          modrule  404
		mA         POST   /api/v1/official/rules          modrule  404
		staff      POST   /api/v1/official/rules          modrule  404
		mB         POST   /api/v1/official/rules          modrule  404
		official   POST   /api/v1/official/rules          modrule  201
		admin      POST   /api/v1/official/rules          modrule  201
		anon       POST   /api/v1/official/rules/dry-run  modrule  401
		buyer      POST   /api/v1/official/rules/dry-run  modrule  404
		mA         POST   /api/v1/official/rules/dry-run  modrule  404
		staff      POST   /api/v1/official/rules/dry-run  modrule  404
		mB         POST   /api/v1/official/rules/dry-run  modrule  404
		official   POST   /api/v1/official/rules/dry-run  modrule  200
		admin      POST   /api/v1/official/rules/dry-run  modrule  200
		anon       PATCH  /api/v1/official/rules/{MR}     modruleedit 401
		buyer      PATCH  /api/v1/official/rules/{MR}     modruleedit 404
		mA         PATCH  /api/v1/official/rules/{MR}     modruleedit 404
		staff      PATCH  /api/v1/official/rules/{MR}     modruleedit 404
		mB         PATCH  /api/v1/official/rules/{MR}     modruleedit 404
		official   PATCH  /api/v1/official/rules/{PX}     modruleedit 404
		official   PATCH  /api/v1/official/rules/{MR}     modruleedit 200
		admin      PATCH  /api/v1/official/rules/{MR}     modruleedit 200
		anon       GET    /api/v1/official/cases          -        401
		buyer      GET    /api/v1/official/cases          -        404
		mA         GET    /api/v1/official/cases          -        404
		staff      GET    /api/v1/official/cases          -        404
		mB         GET    /api/v1/official/cases          -        404
		official   GET    /api/v1/official/cases          -        200
		admin      GET    /api/v1/official/cases          -        200
		anon       GET    /api/v1/official/cases/{MK}     -        401
		buyer      GET    /api/v1/official/cases/{MK}     -        404
		mA         GET    /api/v1/official/cases/{MK}     -        404
		staff      GET    /api/v1/official/cases/{MK}     -        404
		mB         GET    /api/v1/official/cases/{MK}     -        404
		official   GET    /api/v1/official/cases/{PX}     -        404
		official   GET    /api/v1/official/cases/{MK}     -        200
		admin      GET    /api/v1/official/cases/{MK}     -        200
		anon       POST   /api/v1/official/cases/{MK}/claim  -     401
		buyer      POST   /api/v1/official/cases/{MK}/claim  -     404
		mA         POST   /api/v1/official/cases/{MK}/claim  -     404
		staff      POST   /api/v1/official/cases/{MK}/claim  -     404
		mB         POST   /api/v1/official/cases/{MK}/claim  -     404
		official   POST   /api/v1/official/cases/{MK}/claim  -     200
		admin      POST   /api/v1/official/cases/{MK}/claim  -     409
		admin      POST   /api/v1/official/cases/{MK2}/claim -     200
		anon       POST   /api/v1/official/cases/{MK}/decision  moddecide 401
		buyer      POST   /api/v1/official/cases/{MK}/decision  moddecide 404
		mA         POST   /api/v1/official/cases/{MK}/decision  moddecide 404
		staff      POST   /api/v1/official/cases/{MK}/decision  moddecide 404
		mB         POST   /api/v1/official/cases/{MK}/decision  moddecide 404
		admin      POST   /api/v1/official/cases/{MK}/decision  moddecide 409
		official   POST   /api/v1/official/cases/{PX}/decision  moddecide 404
		official   POST   /api/v1/official/cases/{MK}/decision  moddecide 201
		admin      POST   /api/v1/official/cases/{MK2}/decision modwarn 201
		official   POST   /api/v1/official/cases/{MK}/decision  moddecide 409
		anon       GET    /api/v1/official/audit/verify   -        401
		buyer      GET    /api/v1/official/audit/verify   -        404
		mA         GET    /api/v1/official/audit/verify   -        404
		staff      GET    /api/v1/official/audit/verify   -        404
		mB         GET    /api/v1/official/audit/verify   -        404
		official   GET    /api/v1/official/audit/verify   -        200
		admin      GET    /api/v1/official/audit/verify   -        200
		anon       GET    /api/v1/official/transparency   -        401
		buyer      GET    /api/v1/official/transparency   -        404
		mA         GET    /api/v1/official/transparency   -        404
		staff      GET    /api/v1/official/transparency   -        404
		mB         GET    /api/v1/official/transparency   -        404
		official   GET    /api/v1/official/transparency   -        200
		admin      GET    /api/v1/official/transparency   -        200
		anon       POST   /api/v1/reports                 modreport 400
		anon       POST   /api/v1/reports                 modreportmail 201
		buyer      POST   /api/v1/reports                 modreport 201
		mA         POST   /api/v1/reports                 modreport 201
		staff      POST   /api/v1/reports                 modreport 201
		mB         POST   /api/v1/reports                 modreport 201
		official   POST   /api/v1/reports                 modreport 201
		admin      POST   /api/v1/reports                 modreport 201
		anon       POST   /api/v1/official/authority-requests  modauthority 401
		buyer      POST   /api/v1/official/authority-requests  modauthority 404
		mA         POST   /api/v1/official/authority-requests  modauthority 404
		staff      POST   /api/v1/official/authority-requests  modauthority 404
		mB         POST   /api/v1/official/authority-requests  modauthority 404
		official   POST   /api/v1/official/authority-requests  modauthority 201
		admin      POST   /api/v1/official/authority-requests  modauthority 201
	EOF
	local DW; DW=$(sql "SELECT decision_id FROM san.mod_cases WHERE id = $MK2")
	sed "s/{DW}/$DW/g" <<-'EOF' | run_matrix
		anon       GET    /api/v1/decisions               -        401
		buyer      GET    /api/v1/decisions               -        200
		mA         GET    /api/v1/decisions               -        200
		staff      GET    /api/v1/decisions               -        200
		mB         GET    /api/v1/decisions               -        200
		official   GET    /api/v1/decisions               -        200
		admin      GET    /api/v1/decisions               -        200
		anon       POST   /api/v1/decisions/{DW}/appeal   modappeal 401
		buyer      POST   /api/v1/decisions/{DW}/appeal   modappeal 404
		mB         POST   /api/v1/decisions/{DW}/appeal   modappeal 404
		official   POST   /api/v1/decisions/{DW}/appeal   modappeal 404
		admin      POST   /api/v1/decisions/{DW}/appeal   modappeal 404
		mA         POST   /api/v1/decisions/{PX}/appeal   modappeal 404
		staff      POST   /api/v1/decisions/{PX}/appeal   modappeal 404
		mA         POST   /api/v1/decisions/{DW}/appeal   modappeal 201
		staff      POST   /api/v1/decisions/{DW}/appeal   modappeal 409
		mA         POST   /api/v1/decisions/{DW}/appeal   modappeal 409
		staff      POST   /api/v1/decisions/{DW}/appeal   modappeal 409
		anon       GET    /api/v1/official/appeals        -        401
		buyer      GET    /api/v1/official/appeals        -        404
		mA         GET    /api/v1/official/appeals        -        404
		staff      GET    /api/v1/official/appeals        -        404
		mB         GET    /api/v1/official/appeals        -        404
		official   GET    /api/v1/official/appeals        -        200
		admin      GET    /api/v1/official/appeals        -        200
	EOF
	local AP; AP=$(sql "SELECT id FROM san.mod_appeals WHERE decision_id = $DW")
	sed "s/{AP}/$AP/g" <<-'EOF' | run_matrix
		anon       POST   /api/v1/official/appeals/{AP}/decision  modreverse 401
		buyer      POST   /api/v1/official/appeals/{AP}/decision  modreverse 404
		mA         POST   /api/v1/official/appeals/{AP}/decision  modreverse 404
		staff      POST   /api/v1/official/appeals/{AP}/decision  modreverse 404
		mB         POST   /api/v1/official/appeals/{AP}/decision  modreverse 404
		admin      POST   /api/v1/official/appeals/{AP}/decision  modreverse 409
		official   POST   /api/v1/official/appeals/{PX}/decision  modreverse 404
		official   POST   /api/v1/official/appeals/{AP}/decision  modreverse 200
		official   POST   /api/v1/official/appeals/{AP}/decision  modreverse 409
	EOF
}

@test "matrix: logout, then every authenticated route answers 401" {
	run_matrix <<-'EOF'
		anon       POST   /api/v1/auth/logout       -    401
		buyer      POST   /api/v1/auth/logout       -    204
		buyer      GET    /api/v1/me                -    401
		buyer      GET    /api/v1/businesses        -    401
		buyer      GET    /api/v1/businesses/{A}    -    401
		buyer      POST   /api/v1/businesses        biz  401
		buyer      POST   /api/v1/stores            storeA 401
		buyer      POST   /api/v1/auth/logout       -    401
		buyer      GET    /api/v1/stores            -    200
		mA         POST   /api/v1/auth/logout       -    204
		staff      POST   /api/v1/auth/logout       -    204
		mA         GET    /api/v1/businesses/{A}    -    401
		staff      GET    /api/v1/businesses/{A}    -    401
		mA         PATCH  /api/v1/businesses/{A}    edit 401
		staff      PATCH  /api/v1/businesses/{A}    edit 401
		mA         POST   /api/v1/stores            storeA 401
		staff      POST   /api/v1/stores            storeA 401
		mB         POST   /api/v1/auth/logout       -    204
		mB         GET    /api/v1/businesses/{B}    -    401
		official   POST   /api/v1/auth/logout       -    204
		official   GET    /api/v1/official/businesses  -  401
		official   POST   /api/v1/businesses/{P}/decision  suspend  401
		admin      POST   /api/v1/auth/logout       -    204
		admin      POST   /api/v1/admin/accounts/{U}/roles   grant  401
	EOF
}

# Rows of this file as "path actor" with parameters as {}.
matrix_rows() {
	sed -nE 's/^\t+(anon|buyer|mA|mB|staff|official|admin) +[A-Z]+ +([^ ]+) .*/\2 \1/p' "$BATS_TEST_FILENAME" |
	    sed -E 's/\{[A-Z]+\}/{}/g' | sort -u
}

@test "the matrix covers every route of the tables for every actor" {
	local conf p a missing=0
	# Routes (the test-only list of the tables) as paths with {} for
	# each parameter, as openapi.bats does.
	# The web app's files and URLs (src/web.c) are not API routes.
	conf=$(curl -sf "$SAN_URL/_test/routes" | jq -r '.[].path | select(test("^\\^?/(api/|healthz$|$)"))' |
	    sed -E 's/^\^//; s/\$$//; s/\([^)]*\)/{}/g; s/\\\././g' | sort -u)
	[ "$(wc -l <<<"$conf")" -ge 14 ]
	local rows; rows=$(matrix_rows)
	for p in $conf; do
		for a in anon buyer mA mB staff official admin; do
			grep -qxF "$p $a" <<<"$rows" || { echo "no matrix row for $a on $p"; missing=1; }
		done
	done
	[ $missing = 0 ]
}
