#!/usr/bin/env bash
# Test data for the browser tests (tests/web/run.mjs), made through the API
# with the bats helpers: two merchants' stores (one flat-fee shipping
# method each), "Bánh tráng phơi sương" with an image in the first, a
# second product in the other, a fresh buyer account; for the back-office
# tests the first merchant's e-mail, an account without a business (the
# new merchant) with a valid tax code for it, an official and an admin
# (all with the same password).  Needs SAN_URL
# and DATABASE_URL (scripts/test.sh exports both).  Prints one JSON object.
set -eu
BATS_TEST_DIRNAME=$(cd "$(dirname "$0")/../api" && pwd)
# shellcheck source=../api/helpers.bash
. "$BATS_TEST_DIRNAME/helpers.bash"

cat_id=$(category_id dac-san)
read -r m1 tok1 _ slug1 < <(new_merchant "Hợp tác xã Bánh tráng Trảng Bàng")
shipping_flat "$tok1" "$slug1" 25000 >/dev/null
p1=$(new_product "$tok1" "$slug1" "$(product_body "$cat_id" \
    "Bánh tráng phơi sương Trảng Bàng" 85000 \
    '{"status":"active","ocop_stars":4,"ocop_certificate":"OCOP-TN-2024-017","origin_province":"Tây Ninh"}')")
img=$(mktemp)
png_bytes >"$img"
TOKEN=$tok1 api_upload "/api/v1/products/$p1/images" "$img" image/png
rm -f "$img"
read -r _ tok2 _ slug2 < <(new_merchant "Cơ sở Muối tôm Tây Ninh")
shipping_flat "$tok2" "$slug2" 20000 >/dev/null
p2=$(new_product "$tok2" "$slug2" "$(product_body "$cat_id" \
    "Muối tôm Tây Ninh" 45000 '{"status":"active"}')")
buyer=$(uniq_email buyer)
read -r buyer_id _ < <(new_account "$buyer")
email_of() { sql "SELECT email FROM san.accounts WHERE id = $1"; }
m1_email=$(email_of "$m1")
newm=$(uniq_email newmerchant)
new_account "$newm" >/dev/null
read -r off_id _ < <(new_role_account official)
read -r adm_id _ < <(new_role_account admin)
# --- monitoring screens (issue 10): a third merchant whose two listings
# the seeded "Hàng giả, hàng nhái" hold rule holds for review (one case
# each), and a second official (an appeal is decided by another official).
read -r m3 tok3 _ slug3 < <(new_merchant "Cơ sở Túi xách Giám Sát")
h1=$(new_product "$tok3" "$slug3" "$(product_body "$cat_id" \
    "Túi xách hàng nhái thương hiệu" 350000 '{"status":"active"}')")
h2=$(new_product "$tok3" "$slug3" "$(product_body "$cat_id" \
    "Đồng hồ replica dây da" 490000 '{"status":"active"}')")
read -r off2_id _ < <(new_role_account official)
mon=$(jq -nc --arg e "$(email_of "$m3")" --arg s "$slug3" --argjson h1 "$h1" \
    --argjson h2 "$h2" --arg o2 "$(email_of "$off2_id")" \
    '{merchant:{email:$e}, store:$s, held1:$h1, held2:$h2, official2:{email:$o2}}')
# --- end monitoring screens
jq -nc --arg s1 "$slug1" --arg s2 "$slug2" --argjson p1 "$p1" \
    --argjson p2 "$p2" --arg e "$buyer" --arg pw "$PASSWORD" \
    --argjson b "$buyer_id" --arg m1 "$m1_email" --arg nm "$newm" \
    --arg tc "$(tax_code $RANDOM)" --arg off "$(email_of "$off_id")" \
    --arg adm "$(email_of "$adm_id")" --argjson cat "$cat_id" --argjson mon "$mon" \
    '{store1:$s1, store2:$s2, product1:$p1,
    product2:$p2, buyer:{id:$b, email:$e, password:$pw},
    merchant1:{email:$m1}, newMerchant:{email:$nm, tax_code:$tc},
    official:{email:$off}, admin:{email:$adm}, category:$cat, monitor:$mon}'
