#!/usr/bin/env bats
# Product images: upload (raw body or multipart) by store members, accepted
# only when the bytes really are JPEG, PNG or WebP and at most 2 MiB, at
# most 8 a product; served from PostgreSQL at /api/v1/images/{id} with
# ETag, Cache-Control and 304 on revalidation; visible to the public only
# while the product is listed.  Every refused upload stores nothing.
load helpers

setup_file() {
	local id tok biz slug
	read -r id tok biz slug < <(new_merchant "Hợp tác xã Ảnh Đẹp")
	export A_ID=$id A_TOK=$tok A_BIZ=$biz A_STORE=$slug
	read -r id tok biz slug < <(new_merchant "Hộ kinh doanh Khác")
	export B_ID=$id B_TOK=$tok B_STORE=$slug
	read -r id tok < <(new_account "$(uniq_email buyer)")
	export BUYER_TOK=$tok
	export CAT; CAT=$(category_id ca-phe)
	local v
	for v in A_TOK A_STORE B_TOK BUYER_TOK CAT; do
		[ -n "${!v}" ] || { echo "set-up failed: $v" >&2; return 1; }
	done
}

setup() {
	D=$BATS_TEST_TMPDIR
	png_bytes >"$D/a.png"
	jpeg_bytes >"$D/a.jpg"
	webp_bytes >"$D/a.webp"
	printf 'Đây là văn bản, không phải ảnh.\n' >"$D/x.png"
}

# product [STATUS]: a new product of A's store (default active); prints its id.
product() {
	new_product "$A_TOK" "$A_STORE" "$(product_body "$CAT" "Cà phê có ảnh" 100000 \
	    "$(jq -nc --arg s "${1:-active}" '{status:$s}')")"
}

# upload PRODUCT FILE MODE: as A; asserts 201 and prints the image id.
upload() {
	TOKEN=$A_TOK api_upload "/api/v1/products/$1/images" "$2" "$3"
	[ "$code" = 201 ] || { echo "upload $2 $3: $code $body" >&2; return 1; }
	jq -r .id <<<"$body"
}

# image_ids PRODUCT: the ids of the product's images as its members see
# them, in position order, comma-separated.
image_ids() {
	TOKEN=$A_TOK api GET "/api/v1/products/$1"
	[ "$code" = 200 ] || return 1
	jq -r '[.images[].id] | join(",")' <<<"$body"
}

sha() {
	sha256sum "$1" | cut -c1-64
}

@test "PNG, JPEG and WebP upload as a raw body or multipart (201) and are stored as sent" {
	local p i f mode n=0 id
	p=$(product)
	for f in a.png a.jpg a.webp; do
		for mode in raw multipart; do
			case $f:$mode in
			a.png:raw) mode=image/png ;;
			a.jpg:raw) mode=image/jpeg ;;
			a.webp:raw) mode=image/webp ;;
			esac
			TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/$f" "$mode"
			[ "$code" = 201 ] || { echo "$f $mode: $code $body"; return 1; }
			id=$(jq -r .id <<<"$body")
			[ "$(jq -r '.position, .url' <<<"$body" | paste -sd' ')" = "$n /api/v1/images/$id" ] || { echo "$body"; return 1; }
			[ "$(sql "SELECT product_id || ' ' || position || ' ' || mime || ' ' || size || ' ' || etag || ' ' || (bytes = decode('$(od -An -v -tx1 "$D/$f" | tr -d ' \n')', 'hex'))
			          FROM san.product_images WHERE id = $id")" = \
			    "$p $n $(case $f in *.png) echo image/png ;; *.jpg) echo image/jpeg ;; *) echo image/webp ;; esac) $(wc -c <"$D/$f") $(sha "$D/$f") true" ] ||
			    { echo "stored wrong: $f $mode"; return 1; }
			n=$((n + 1))
		done
	done
	[ "$(sql "SELECT count(*) FROM san.product_images WHERE product_id = $p")" = 6 ]
	# The product shows them in order; the first is the cover.
	TOKEN= api GET "/api/v1/products/$p"
	[ "$(jq -r '[.images[].position] | join(",")' <<<"$body")" = 0,1,2,3,4,5 ]
	local first; first=$(jq -r '.images[0].id' <<<"$body")
	[ "$(sql "SELECT cover_image_id FROM san.products WHERE id = $p")" = "$first" ]
	TOKEN= api GET "/api/v1/products?store=$A_STORE&limit=1"
	[ "$(jq -r '.items[0].image_url' <<<"$body")" = "/api/v1/images/$first" ]
	# application/octet-stream and a multipart file without a type work too.
	id=$(upload "$p" "$D/a.png" application/octet-stream)
	[ "$(sql "SELECT mime FROM san.product_images WHERE id = $id")" = image/png ]
}

@test "the type comes from the bytes, not the name or the Content-Type" {
	local p id
	p=$(product)
	# JPEG bytes announced as PNG, and named .png.
	id=$(upload "$p" "$D/a.jpg" image/png)
	[ "$(sql "SELECT mime FROM san.product_images WHERE id = $id")" = image/jpeg ]
	cp "$D/a.webp" "$D/photo.png"
	id=$(upload "$p" "$D/photo.png" "multipart:photo.png;type=image/png")
	[ "$(sql "SELECT mime FROM san.product_images WHERE id = $id")" = image/webp ]
	TOKEN= api_fetch "/api/v1/images/$id" "$D/out"
	[ "$code" = 200 ]
	[ "$(header content-type)" = image/webp ]
}

@test "bytes that are not JPEG/PNG/WebP are 415 unsupported_image_type whatever the name; nothing stored" {
	local p before f
	p=$(product)
	upload "$p" "$D/a.png" image/png >/dev/null
	before=$(snapshot)
	# Text named x.png, raw and multipart.
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/x.png" image/png
	assert_error 415 unsupported_image_type
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/x.png" multipart
	assert_error 415 unsupported_image_type
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/x.png" "multipart:x.png;type=image/png"
	assert_error 415 unsupported_image_type
	# Other formats and near misses.
	printf 'GIF89a\001\000\001\000\000\000\000;' >"$D/g.png"
	printf '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$D/s.png"
	printf 'RIFF\044\000\000\000WAVEfmt \020\000\000\000' >"$D/w.webp"
	head -c 8 "$D/a.png" >"$D/sig-only.png"
	{ head -c 12 "$D/a.png"; printf 'JUNKJUNKJUNK'; } >"$D/no-ihdr.png"
	printf '\377\330' >"$D/short.jpg"
	printf 'BM\066\000\000\000\000\000\000\000' >"$D/b.png"
	: >"$D/empty.png"
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/empty.png" image/png
	assert_error 415 unsupported_image_type
	# An empty file part is no file at all.
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/empty.png" multipart
	assert_error 400 required image
	for f in g.png s.png w.webp sig-only.png no-ihdr.png short.jpg b.png; do
		TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/$f" image/png
		assert_error 415 unsupported_image_type || { echo "raw $f"; return 1; }
		TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/$f" "multipart:$f;type=image/png"
		assert_error 415 unsupported_image_type || { echo "multipart $f"; return 1; }
	done
	# A real PNG under a Content-Type that is neither an image nor a form.
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/a.png" text/plain
	assert_error 415 unsupported_image_type
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/a.png" application/json
	[ "$code" = 415 ]
	assert_unchanged "$before"
	[ "$(sql "SELECT count(*) FROM san.product_images WHERE product_id = $p")" = 1 ]
}

@test "an image over 2 MiB is 413 (nothing stored); exactly 2 MiB is accepted" {
	local p before id
	p=$(product)
	{ cat "$D/a.png"; head -c $((2 * 1024 * 1024 - $(wc -c <"$D/a.png") + 1)) /dev/zero; } >"$D/big.png"
	[ "$(wc -c <"$D/big.png")" = 2097153 ]
	{ cat "$D/a.jpg"; head -c $((5 * 1024 * 1024)) /dev/zero; } >"$D/huge.jpg"
	before=$(snapshot)
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/big.png" image/png
	assert_error 413 image_too_large
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/big.png" multipart
	assert_error 413 image_too_large
	# Over 4 MiB (spooled to disk by Kore): the same answer.
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/huge.jpg" image/jpeg
	assert_error 413 image_too_large
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/huge.jpg" multipart
	assert_error 413 image_too_large
	assert_unchanged "$before"
	# 2 MiB exactly.
	head -c 2097152 "$D/big.png" >"$D/max.png"
	id=$(upload "$p" "$D/max.png" image/png)
	[ "$(sql "SELECT size || ' ' || octet_length(bytes) || ' ' || etag FROM san.product_images WHERE id = $id")" = "2097152 2097152 $(sha "$D/max.png")" ]
	TOKEN= api_fetch "/api/v1/images/$id" "$D/back.png"
	[ "$code" = 200 ]
	cmp "$D/max.png" "$D/back.png"
	id=$(upload "$p" "$D/max.png" multipart)
	[ "$(sql "SELECT size FROM san.product_images WHERE id = $id")" = 2097152 ]
	# Keep the database light for the tests that digest it.
	TOKEN=$A_TOK api DELETE "/api/v1/products/$p"
	[ "$code" = 204 ]
}

@test "at most 8 images a product: the 9th is 409 too_many_images" {
	local p i before first id
	p=$(product)
	for i in 1 2 3 4 5 6 7 8; do
		case $((i % 3)) in
		0) upload "$p" "$D/a.png" image/png ;;
		1) upload "$p" "$D/a.jpg" multipart ;;
		2) upload "$p" "$D/a.webp" image/webp ;;
		esac
	done >"$D/ids"
	[ "$(wc -l <"$D/ids")" = 8 ]
	[ "$(sql "SELECT string_agg(position::text, ',' ORDER BY position) FROM san.product_images WHERE product_id = $p")" = 0,1,2,3,4,5,6,7 ]
	before=$(snapshot)
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/a.png" image/png
	assert_error 409 too_many_images
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/a.webp" multipart
	assert_error 409 too_many_images
	assert_unchanged "$before"
	# One out, one in: it takes the last place.
	first=$(head -1 "$D/ids")
	TOKEN=$A_TOK api DELETE "/api/v1/images/$first"
	[ "$code" = 204 ]
	id=$(upload "$p" "$D/a.png" image/png)
	[ "$(sql "SELECT position FROM san.product_images WHERE id = $id")" = 7 ]
	[ "$(sql "SELECT count(*) FROM san.product_images WHERE product_id = $p")" = 8 ]
	before=$(snapshot)
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/a.png" image/png
	assert_error 409 too_many_images
	assert_unchanged "$before"
}

@test "concurrent uploads never exceed 8 images; concurrent deletes leave the positions whole" {
	local p n
	p=$(product)
	upload "$p" "$D/a.png" image/png >/dev/null
	# 12 uploads at once onto a product that has 1.
	seq 12 | xargs -P 12 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST \
	    -H "Authorization: Bearer $A_TOK" -H 'Content-Type: image/webp' \
	    --data-binary "@$D/a.webp" "$SAN_URL/api/v1/products/$p/images" >"$D/codes"
	[ "$(sort "$D/codes" | uniq -c | awk '{print $2 ":" $1}' | paste -sd' ')" = "201:7 409:5" ] ||
	    { echo "codes: $(sort "$D/codes" | uniq -c | paste -sd' ')"; return 1; }
	[ "$(sql "SELECT string_agg(position::text, ',' ORDER BY position) FROM san.product_images WHERE product_id = $p")" = 0,1,2,3,4,5,6,7 ]
	# Delete 5 of them at once: the rest close up to 0..2, the cover is the first.
	sql "SELECT id FROM san.product_images WHERE product_id = $p AND position IN (0, 2, 3, 5, 7)" |
	    xargs -P 5 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X DELETE -H 'Content-Length: 0' \
	    -H "Authorization: Bearer $A_TOK" "$SAN_URL/api/v1/images/{}" >"$D/codes"
	[ "$(sort -u "$D/codes")" = 204 ] && [ "$(wc -l <"$D/codes")" = 5 ]
	[ "$(sql "SELECT string_agg(position::text, ',' ORDER BY position) FROM san.product_images WHERE product_id = $p")" = 0,1,2 ]
	[ "$(sql "SELECT p.cover_image_id = i.id FROM san.products p JOIN san.product_images i ON i.product_id = p.id AND i.position = 0 WHERE p.id = $p")" = t ]
}

@test "GET /api/v1/images/{id}: the same bytes with ETag and Cache-Control; If-None-Match gives 304 without a body" {
	local p f id etag mime
	p=$(product)
	for f in a.png a.jpg a.webp; do
		id=$(upload "$p" "$D/$f" multipart)
		case $f in *.png) mime=image/png ;; *.jpg) mime=image/jpeg ;; *) mime=image/webp ;; esac
		TOKEN= api_fetch "/api/v1/images/$id" "$D/got"
		[ "$code" = 200 ]
		cmp "$D/$f" "$D/got"
		[ "$(header content-type)" = "$mime" ]
		[ "$(header content-length)" = "$(wc -c <"$D/$f")" ]
		etag=$(header etag)
		[ "$etag" = "\"$(sha "$D/$f")\"" ]
		[[ "$(header cache-control)" =~ max-age=[1-9][0-9]* ]]
		[ "$(header x-content-type-options)" = nosniff ]
		# Revalidation.
		TOKEN= api_fetch "/api/v1/images/$id" "$D/got" -H "If-None-Match: $etag"
		[ "$code" = 304 ] || { echo "If-None-Match $etag: $code"; return 1; }
		[ ! -s "$D/got" ]
		[ "$(header etag)" = "$etag" ]
		[ -n "$(header cache-control)" ]
		# RFC 9110: a list, a weak tag and "*" match too.
		local inm
		for inm in "\"0000\", $etag" "W/$etag" '*' " \"1\" ,W/$etag"; do
			TOKEN= api_fetch "/api/v1/images/$id" "$D/got" -H "If-None-Match: $inm"
			[ "$code" = 304 ] || { echo "If-None-Match $inm: $code"; return 1; }
			[ ! -s "$D/got" ]
		done
		# Other tags, or a malformed list: the whole image again.
		for inm in '"0000"' "\"0000\" junk, $etag" "${etag%?}"; do
			TOKEN= api_fetch "/api/v1/images/$id" "$D/got" -H "If-None-Match: $inm"
			[ "$code" = 200 ] || { echo "If-None-Match $inm: $code"; return 1; }
			cmp "$D/$f" "$D/got"
		done
	done
	# The same bytes twice have the same tag.
	local id2; id2=$(upload "$p" "$D/a.webp" image/webp)
	TOKEN= api_fetch "/api/v1/images/$id2" "$D/got"
	[ "$(header etag)" = "$etag" ]
	# Unknown images.
	local before; before=$(snapshot)
	TOKEN= api GET /api/v1/images/999999999999
	assert_error 404 image_not_found
	assert_unchanged "$before"
	TOKEN= api PUT "/api/v1/images/$id"
	[ "$code" = 405 ]
}

@test "another merchant cannot upload to or delete someone else's images (404); anonymous 401" {
	local p img before
	p=$(product)
	img=$(upload "$p" "$D/a.png" image/png)
	before=$(snapshot)
	for tok in "$B_TOK" "$BUYER_TOK"; do
		TOKEN=$tok api_upload "/api/v1/products/$p/images" "$D/a.png" image/png
		assert_error 404 product_not_found || return 1
		TOKEN=$tok api_upload "/api/v1/products/$p/images" "$D/a.jpg" multipart
		assert_error 404 product_not_found || return 1
		TOKEN=$tok api DELETE "/api/v1/images/$img"
		assert_error 404 image_not_found || return 1
	done
	TOKEN= api_upload "/api/v1/products/$p/images" "$D/a.png" image/png
	assert_error 401 unauthenticated
	TOKEN= api DELETE "/api/v1/images/$img"
	assert_error 401 unauthenticated
	# Nonexistent product and image: the same answers.
	TOKEN=$A_TOK api_upload /api/v1/products/999999999999/images "$D/a.png" image/png
	assert_error 404 product_not_found
	TOKEN=$A_TOK api DELETE /api/v1/images/999999999999
	assert_error 404 image_not_found
	assert_unchanged "$before"
	# B's own product works for B.
	local bp; bp=$(new_product "$B_TOK" "$B_STORE" "$(product_body "$CAT" "Cà phê của B" 1000)")
	TOKEN=$B_TOK api_upload "/api/v1/products/$bp/images" "$D/a.png" image/png
	[ "$code" = 201 ]
	# A staff member of A's business may add and delete.
	local sid stok
	read -r sid stok < <(new_account "$(uniq_email staff)")
	sql "INSERT INTO san.business_members (business_id, account_id, role) VALUES ($A_BIZ, $sid, 'staff')"
	TOKEN=$stok api_upload "/api/v1/products/$p/images" "$D/a.webp" image/webp
	[ "$code" = 201 ]
	TOKEN=$stok api DELETE "/api/v1/images/$img"
	[ "$code" = 204 ]
}

@test "images of a draft product are 404 for the public but visible to the members" {
	local p img before
	p=$(product draft)
	img=$(upload "$p" "$D/a.jpg" image/jpeg)
	before=$(snapshot)
	for tok in "" "$B_TOK" "$BUYER_TOK"; do
		TOKEN=$tok api GET "/api/v1/images/$img"
		assert_error 404 image_not_found || return 1
		# Revalidating with the right tag does not reveal it either.
		TOKEN=$tok api GET "/api/v1/images/$img" "" -H "If-None-Match: \"$(sha "$D/a.jpg")\""
		assert_error 404 image_not_found || return 1
	done
	assert_unchanged "$before"
	TOKEN=$A_TOK api_fetch "/api/v1/images/$img" "$D/got"
	[ "$code" = 200 ]
	cmp "$D/a.jpg" "$D/got"
	TOKEN=$A_TOK api GET "/api/v1/products/$p"
	[ "$(jq -r '[.images[].id] | join(",")' <<<"$body")" = "$img" ]
	# Listed: public.  Hidden again: members only.
	TOKEN=$A_TOK api PATCH "/api/v1/products/$p" '{"status":"active"}'
	TOKEN= api_fetch "/api/v1/images/$img" "$D/got"
	[ "$code" = 200 ]
	cmp "$D/a.jpg" "$D/got"
	TOKEN=$A_TOK api PATCH "/api/v1/products/$p" '{"status":"hidden"}'
	TOKEN= api GET "/api/v1/images/$img"
	assert_error 404 image_not_found
	TOKEN=$A_TOK api_fetch "/api/v1/images/$img" "$D/got"
	[ "$code" = 200 ]
}

@test "an image only the members may see is not marked publicly cacheable" {
	local p img cc
	p=$(product draft)
	img=$(upload "$p" "$D/a.png" image/png)
	TOKEN=$A_TOK api_fetch "/api/v1/images/$img" "$D/got"
	[ "$code" = 200 ]
	cc=$(header cache-control)
	# A shared cache would store an Authorization-bearing response marked
	# "public" and hand a draft's image to anyone (RFC 9111 §3.5).
	[[ "$cc" =~ (private|no-store) ]] && [[ ! "$cc" =~ public ]] ||
	    { echo "members-only image served with Cache-Control: $cc"; return 1; }
}

@test "DELETE an image: 204, the product's images shrink, positions close up, the cover moves" {
	local p i1 i2 i3 before
	p=$(product)
	i1=$(upload "$p" "$D/a.png" image/png)
	i2=$(upload "$p" "$D/a.jpg" image/jpeg)
	i3=$(upload "$p" "$D/a.webp" image/webp)
	[ "$(image_ids "$p")" = "$i1,$i2,$i3" ]
	[ "$(sql "SELECT cover_image_id FROM san.products WHERE id = $p")" = "$i1" ]
	TOKEN=$A_TOK api DELETE "/api/v1/images/$i1"
	[ "$code" = 204 ]
	[ -z "$body" ]
	TOKEN=$A_TOK api GET "/api/v1/products/$p"
	[ "$(jq -r '[.images[] | "\(.id):\(.position)"] | join(",")' <<<"$body")" = "$i2:0,$i3:1" ]
	[ "$(sql "SELECT string_agg(id || ':' || position, ',' ORDER BY position) FROM san.product_images WHERE product_id = $p")" = "$i2:0,$i3:1" ]
	[ "$(sql "SELECT cover_image_id FROM san.products WHERE id = $p")" = "$i2" ]
	TOKEN= api GET "/api/v1/products?store=$A_STORE&limit=1"
	[ "$(jq -r '.items[0].image_url' <<<"$body")" = "/api/v1/images/$i2" ]
	TOKEN= api GET "/api/v1/images/$i1"
	assert_error 404 image_not_found
	before=$(snapshot)
	TOKEN=$A_TOK api DELETE "/api/v1/images/$i1"
	assert_error 404 image_not_found
	assert_unchanged "$before"
	# The middle one of two, then the last: no cover.
	TOKEN=$A_TOK api DELETE "/api/v1/images/$i3"
	[ "$code" = 204 ]
	[ "$(image_ids "$p")" = "$i2" ]
	TOKEN=$A_TOK api DELETE "/api/v1/images/$i2"
	[ "$code" = 204 ]
	[ "$(image_ids "$p")" = "" ]
	[ "$(sql "SELECT cover_image_id IS NULL FROM san.products WHERE id = $p")" = t ]
	TOKEN= api GET "/api/v1/products?store=$A_STORE&limit=1"
	[ "$(jq -r '.items[0].image_url' <<<"$body")" = null ]
}

@test "PATCH an image's position: the members reorder, the first is the cover everywhere; others 404, anonymous 401, past the last 422" {
	local p i1 i2 i3 before
	p=$(product)
	i1=$(upload "$p" "$D/a.png" image/png)
	i2=$(upload "$p" "$D/a.jpg" image/jpeg)
	i3=$(upload "$p" "$D/a.webp" image/webp)
	TOKEN=$A_TOK api PATCH "/api/v1/images/$i3" '{"position":0}'
	[ "$code" = 200 ]
	[ "$(jq -r '[.items[] | "\(.id):\(.position)"] | join(",")' <<<"$body")" = "$i3:0,$i1:1,$i2:2" ]
	[ "$(jq -r '.items[0].thumb_url' <<<"$body")" = "/api/v1/images/$i3/thumb" ]
	[ "$(image_ids "$p")" = "$i3,$i1,$i2" ]
	[ "$(sql "SELECT cover_image_id FROM san.products WHERE id = $p")" = "$i3" ]
	# The cover of the grids, cards and search is the first image.
	TOKEN= api GET "/api/v1/products?store=$A_STORE&limit=1"
	[ "$(jq -r '.items[0] | "\(.id) \(.image_url) \(.thumb_url)"' <<<"$body")" = "$p /api/v1/images/$i3 /api/v1/images/$i3/thumb" ]
	TOKEN= api GET "/api/v1/products/$p"
	[ "$(jq -r '.images[0].id' <<<"$body")" = "$i3" ]
	# Back to the end, then the first into the middle.
	TOKEN=$A_TOK api PATCH "/api/v1/images/$i3" '{"position":2}'
	[ "$code" = 200 ]
	[ "$(image_ids "$p")" = "$i1,$i2,$i3" ]
	TOKEN=$A_TOK api PATCH "/api/v1/images/$i1" '{"position":1}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT string_agg(id || ':' || position, ',' ORDER BY position) FROM san.product_images WHERE product_id = $p")" = "$i2:0,$i1:1,$i3:2" ]
	[ "$(sql "SELECT cover_image_id FROM san.products WHERE id = $p")" = "$i2" ]
	# Nobody else, nothing out of range; nothing changes.
	before=$(snapshot)
	TOKEN=$B_TOK api PATCH "/api/v1/images/$i1" '{"position":0}'
	assert_error 404 image_not_found
	TOKEN=$BUYER_TOK api PATCH "/api/v1/images/$i1" '{"position":0}'
	assert_error 404 image_not_found
	TOKEN= api PATCH "/api/v1/images/$i1" '{"position":0}'
	assert_error 401 unauthenticated
	TOKEN=$A_TOK api PATCH "/api/v1/images/$i1" '{"position":3}'
	assert_error 422 image_position_invalid position
	TOKEN=$A_TOK api PATCH "/api/v1/images/$i1" '{"position":8}'
	assert_error 400 out_of_range position
	TOKEN=$A_TOK api PATCH "/api/v1/images/$i1" '{"position":"x"}'
	assert_error 400 not_an_integer position
	TOKEN=$A_TOK api PATCH /api/v1/images/999999999999 '{"position":0}'
	assert_error 404 image_not_found
	assert_unchanged "$before"
	# Another merchant's own image still moves for them: B's product.
	local bp bi1 bi2
	bp=$(new_product "$B_TOK" "$B_STORE" "$(product_body "$CAT" "Cà phê của B" 90000 '{"status":"active"}')")
	TOKEN=$B_TOK api_upload "/api/v1/products/$bp/images" "$D/a.png" image/png
	bi1=$(jq -r .id <<<"$body")
	TOKEN=$B_TOK api_upload "/api/v1/products/$bp/images" "$D/a.jpg" image/jpeg
	bi2=$(jq -r .id <<<"$body")
	TOKEN=$A_TOK api PATCH "/api/v1/images/$bi2" '{"position":0}'
	assert_error 404 image_not_found
	TOKEN=$B_TOK api PATCH "/api/v1/images/$bi2" '{"position":0}'
	[ "$code" = 200 ]
	[ "$(sql "SELECT cover_image_id FROM san.products WHERE id = $bp")" = "$bi2" ]
}

@test "a removed product's images cannot be added or deleted (409 product_removed)" {
	local p img before
	p=$(product)
	img=$(upload "$p" "$D/a.png" image/png)
	sql "UPDATE san.products SET status = 'removed', removed_reason = 'Ảnh sai sự thật' WHERE id = $p"
	before=$(snapshot)
	TOKEN=$A_TOK api_upload "/api/v1/products/$p/images" "$D/a.jpg" image/jpeg
	assert_error 409 product_removed
	TOKEN=$A_TOK api DELETE "/api/v1/images/$img"
	assert_error 409 product_removed
	TOKEN=$B_TOK api DELETE "/api/v1/images/$img"
	assert_error 404 image_not_found
	assert_unchanged "$before"
	TOKEN= api GET "/api/v1/images/$img"
	assert_error 404 image_not_found
}

@test "a thumbnail (WebP, at most 400 px) is made at upload; /thumb serves it with its own ETag, else the original" {
	local p id etag
	p=$(product)
	id=$(upload "$p" "$D/a.jpg" image/jpeg)
	[ "$(sql "SELECT thumb_mime || ' ' || (octet_length(thumb) > 0) FROM san.product_images WHERE id = $id")" = "image/webp true" ]
	TOKEN= api_fetch "/api/v1/images/$id/thumb" "$D/t.webp"
	[ "$code" = 200 ]
	[ "$(header content-type)" = image/webp ]
	[ "$(head -c 4 "$D/t.webp")" = RIFF ]
	[ "$(dd if="$D/t.webp" bs=1 skip=8 count=4 2>/dev/null)" = WEBP ]
	etag=$(header etag)
	[ "$etag" = "\"$(sha "$D/a.jpg")-t\"" ]
	TOKEN= api_fetch "/api/v1/images/$id/thumb" "$D/t2" -H "If-None-Match: $etag"
	[ "$code" = 304 ]
	# Grids get the thumbnail's URL; the product page keeps the original.
	TOKEN= api GET "/api/v1/stores/$A_STORE/products?limit=100"
	[ "$(jq -r --argjson p "$p" '.items[] | select(.id == $p) | .thumb_url' <<<"$body")" = "/api/v1/images/$id/thumb" ]
	TOKEN= api GET "/api/v1/products/$p"
	[ "$(jq -r '.images[0].url' <<<"$body")" = "/api/v1/images/$id" ]
	# No thumbnail (an older image): /thumb answers the original.
	# (Marked as tried just now, so the backfill leaves it for a day.)
	sql "UPDATE san.product_images SET thumb = NULL, thumb_mime = NULL, thumb_tried_at = now() WHERE id = $id" >/dev/null
	TOKEN= api_fetch "/api/v1/images/$id/thumb" "$D/o.jpg"
	[ "$code" = 200 ]
	[ "$(header content-type)" = image/jpeg ]
	cmp "$D/a.jpg" "$D/o.jpg"
	TOKEN= api GET /api/v1/images/999999999999/thumb
	assert_error 404 image_not_found
	TOKEN=$A_TOK api DELETE "/api/v1/products/$p"
	[ "$code" = 204 ]
}

@test "an image stored without a thumbnail gets one from the backfill within 20 s, made once" {
	local p id i got=
	p=$(product)
	id=$(upload "$p" "$D/a.jpg" image/jpeg)
	# As an image from before thumbnails, or from a busy worker.
	sql "UPDATE san.product_images SET thumb = NULL, thumb_mime = NULL, thumb_tried_at = NULL WHERE id = $id" >/dev/null
	for i in $(seq 1 40); do
		got=$(sql "SELECT thumb_mime FROM san.product_images WHERE id = $id AND thumb IS NOT NULL")
		[ -n "$got" ] && break
		sleep 0.5
	done
	[ "$got" = image/webp ]
	# Claimed once (the claim is the guard between workers and nodes).
	[ "$(sql "SELECT thumb_tried_at IS NOT NULL FROM san.product_images WHERE id = $id")" = t ]
	TOKEN= api_fetch "/api/v1/images/$id/thumb" "$D/t.webp"
	[ "$code" = 200 ]
	[ "$(header content-type)" = image/webp ]
	[ "$(dd if="$D/t.webp" bs=1 skip=8 count=4 2>/dev/null)" = WEBP ]
	# One claimed by someone else a minute ago is not taken again.
	sql "UPDATE san.product_images SET thumb = NULL, thumb_mime = NULL, thumb_tried_at = now() - interval '1 minute' WHERE id = $id" >/dev/null
	sleep 7
	[ "$(sql "SELECT thumb IS NULL FROM san.product_images WHERE id = $id")" = t ]
	TOKEN=$A_TOK api DELETE "/api/v1/products/$p"
	[ "$code" = 204 ]
}
