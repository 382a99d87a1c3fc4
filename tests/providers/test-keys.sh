# tests/providers/test-keys.sh: sourced (sh or bash) by scripts/test.sh,
# tests/cluster/run.sh and tests/security/sqlmap.sh.  The payment
# providers' test-only keys, never real ones, exported unless already
# set: the servers these scripts start and the stand-in
# (tests/providers/paysim) sign and check with the same ones.
export VNPAY_TMN_CODE="${VNPAY_TMN_CODE:-SANTEST1}"
export VNPAY_HASH_SECRET="${VNPAY_HASH_SECRET:-TESTVNPAYHASHSECRET0123456789ABC}"
export MOMO_PARTNER_CODE="${MOMO_PARTNER_CODE:-MOMOSANTEST01}"
export MOMO_ACCESS_KEY="${MOMO_ACCESS_KEY:-testaccesskey01}"
export MOMO_SECRET_KEY="${MOMO_SECRET_KEY:-test-momo-secret-key-0123456789}"
export BANK_WEBHOOK_SECRET="${BANK_WEBHOOK_SECRET:-test-bank-webhook-secret-0123456789}"
export VIETQR_BANK_BIN="${VIETQR_BANK_BIN:-970436}"
export VIETQR_ACCOUNT="${VIETQR_ACCOUNT:-0011002233445}"
