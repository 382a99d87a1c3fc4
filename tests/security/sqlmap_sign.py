"""tests/security/sqlmap_sign.py: signs sqlmap's requests to the payment
callbacks, so its payloads pass the signature check and reach the SQL that
looks the payment up (an unsigned callback is refused before any query).

sqlmap calls these from --eval (sqlmap.sh adds this folder to sys.path)
after it has put its payload into the request.  g is the namespace of
--eval: one variable per query argument or top-level JSON member, and
_locals, the locals of sqlmap's queryPage (auxHeaders, post).  Secrets
come from the environment the scratch server was started with; the
constructions are those of src/paysign.c and tests/providers/paysim.
"""
import hashlib
import hmac
import os
import time
import urllib.parse

# The fields of MoMo's IPN signature, in its documented order.
MOMO_FIELDS = ("amount", "extraData", "message", "orderId", "orderInfo",
               "orderType", "partnerCode", "payType", "requestId",
               "responseTime", "resultCode", "transId")


def _urlencode(text):
    """PHP's urlencode, as src/paysign.c does it: alnum and -_. kept,
    space as +, every other byte %XX."""
    return urllib.parse.quote_plus(str(text), safe="-_.").replace("~", "%7E")


def vnpay(g):
    """Sets vnp_SecureHash to VNPay's HMAC-SHA512 over the vnp_ arguments."""
    keys = sorted(k for k in g if k.startswith("vnp_")
                  and k not in ("vnp_SecureHash", "vnp_SecureHashType"))
    data = "&".join(_urlencode(k) + "=" + _urlencode(g[k]) for k in keys)
    g["vnp_SecureHash"] = hmac.new(os.environ["VNPAY_HASH_SECRET"].encode(),
                                   data.encode(), hashlib.sha512).hexdigest()


def momo(g):
    """Sets the signature member to MoMo's HMAC-SHA256 over accessKey and
    the IPN fields."""
    raw = "accessKey=" + os.environ["MOMO_ACCESS_KEY"] + "".join(
        "&%s=%s" % (k, g.get(k, "")) for k in MOMO_FIELDS)
    g["signature"] = hmac.new(os.environ["MOMO_SECRET_KEY"].encode(),
                              raw.encode(), hashlib.sha256).hexdigest()


def bank(g):
    """Sets X-Signature to t=<now>,v1=HMAC-SHA256("<now>.<body>")."""
    now = str(int(time.time()))
    body = g["_locals"]["post"]
    mac = hmac.new(os.environ["BANK_WEBHOOK_SECRET"].encode(),
                   (now + "." + body).encode(), hashlib.sha256).hexdigest()
    g["_locals"]["auxHeaders"]["X-Signature"] = "t=%s,v1=%s" % (now, mac)
