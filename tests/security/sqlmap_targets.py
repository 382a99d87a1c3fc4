#!/usr/bin/env python3
"""tests/security/sqlmap_targets.py: every injection point of every route.

Usage: sqlmap_targets.py OPENAPI CONTEXT OUTDIR

Reads the OpenAPI document (assets/openapi.json, which tests/api/openapi.bats
keeps equal to the route tables) and writes OUTDIR/<name>.args for each
injection point: one sqlmap argument per line, the point marked with "*".
Points: every path segment that is a template ({id}, {slug}, ...), every
query and header parameter, and every scalar member of a JSON body, nested
ones included (one array element stands for its array).

CONTEXT is a JSON object made by tests/security/sqlmap.sh:
  url      the server's base URL
  token    a Bearer token for the routes that need a signed-in account (an
           account that is a buyer, the owner of the demo store's business,
           an official and an admin, so every route reaches its SQL)
  values   "<path word>.<param>" or "<param>" -> a value that exists (a
           product id, the store's slug...); others are "1".  Query
           arguments and body members named here take these values too
           (a phone number, a tax code, a ward that pass the validators)
  queries  route -> {argument: value}: the query of a route whose
           arguments the document names by a pattern (vnp_*)
  bodies   "<method> <route>" -> a JSON body, for a body the document
           does not spell out member by member (MoMo's IPN)
  one_of   "<method> <route>" -> members of which a body needs exactly
           one: a body keeps the first unless its point is another
  evals    route -> a function of sqlmap_sign.py that signs each request
           (its signature field is then not a point of its own)

Routes without security are tested anonymously, the others with the
token.  A route whose Idempotency-Key header is required gets a fresh key
per request (sqlmap --eval) while another of its points is tested, so each
request reaches the SQL that creates instead of a stored answer.  Prints
the number of points written.
"""
import json
import os
import re
import sys
from urllib.parse import quote

MARK = "__SQLMAP_MARK__"
METHODS = ("get", "post", "put", "patch", "delete")
# Request bodies that are not JSON (image bytes) are the fuzzers' ground
# (tests/fuzz/fuzz_image.c); their path segments are still tested.
FRESH_KEY = ("import uuid; _locals['auxHeaders']['Idempotency-Key'] = "
             "'sqlmap-' + uuid.uuid4().hex")


def resolve(doc, schema):
    """The schema with $ref followed and oneOf/anyOf reduced to the first
    alternative that is not null."""
    while isinstance(schema, dict):
        if "$ref" in schema:
            node = doc
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
            continue
        for key in ("oneOf", "anyOf"):
            if key in schema:
                alts = [a for a in schema[key] if a.get("type") != "null"]
                schema = alts[0] if alts else {}
                break
        else:
            return schema
    return schema or {}


def scalar(schema):
    """A valid value for a scalar schema."""
    if "enum" in schema:
        vals = [v for v in schema["enum"] if v is not None]
        return vals[0] if vals else "a"
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "integer" or kind == "number":
        low, high = schema.get("minimum", 1), schema.get("maximum", 10**12)
        return 2026 if low <= 2026 <= high and low >= 1900 else max(low, 1)
    if kind == "boolean":
        return True
    fmt = schema.get("format", "")
    if fmt == "date":
        return "2026-01-01"
    if fmt == "date-time":
        return "2026-01-01T00:00:00+07:00"
    if fmt == "email":
        return "sqlmap@example.invalid"
    return "a" * max(schema.get("minLength", 3), 3)


def sample(doc, schema, path, leaves, values):
    """A valid instance of schema (a member named in values takes that
    value); every scalar's path goes to leaves."""
    schema = resolve(doc, schema)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {name: sample(doc, sub, path + [name], leaves, values)
                for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(doc, schema.get("items", {}), path + [0], leaves,
                       values)]
    value = scalar(schema)
    if path and "enum" not in schema:
        value = values.get(str(path[-1]), value)
    leaves.append((path, value))
    return value


def walk(value, path, leaves):
    """Every scalar of a JSON value, with its path, goes to leaves."""
    if isinstance(value, dict):
        for name, sub in value.items():
            walk(sub, path + [name], leaves)
    elif isinstance(value, list):
        for i, sub in enumerate(value[:1]):
            walk(sub, path + [i], leaves)
    else:
        leaves.append((path, value))


def prune(doc, schema, value, path, also=()):
    """value without the optional members that are not on path or in also
    (top level): the smallest body that still holds the point (optional
    members can exclude each other: a report names a product or a
    store)."""
    schema = resolve(doc, schema)
    if isinstance(value, dict) and "properties" in schema:
        keep = set(schema.get("required", [])) | set(also)
        if path:
            keep.add(path[0])
        return {k: prune(doc, schema["properties"].get(k, {}), v,
                         path[1:] if path and k == path[0] else [])
                for k, v in value.items() if k in keep}
    if isinstance(value, list) and schema.get("type") == "array":
        return [prune(doc, schema.get("items", {}), v,
                      path[1:] if path else []) for v in value]
    return value


def marked_body(body, path, value):
    """The JSON text of body with the leaf at path marked for sqlmap."""
    node = json.loads(json.dumps(body))
    parent = node
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = MARK
    text = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        mark = "true*"
    elif isinstance(value, (int, float)):
        mark = "%s*" % value
    else:
        mark = json.dumps(value + "*", ensure_ascii=False)
    return text.replace(json.dumps(MARK), mark)


def query_value(ctx, param):
    """A query argument's value: its enum's first, or values[name], or a
    sample of its schema."""
    schema = param.get("schema", {})
    if "enum" in schema:
        return scalar(schema)
    return ctx["values"].get(param["name"], scalar(schema))


def path_value(ctx, route, param):
    """The value of path template {param}: values["<word before it>.
    <param>"], else values["<param>"], else "1"."""
    segs = route.split("/")
    word = segs[segs.index("{%s}" % param) - 1]
    key = "%s.%s" % (word, param)
    return str(ctx["values"].get(key, ctx["values"].get(param, "1")))


def safe(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


def targets(doc, ctx):
    """Yields (name, [sqlmap arguments]) for every injection point."""
    for route, ops in doc["paths"].items():
        for method in METHODS:
            op = ops.get(method)
            if op is None:
                continue
            yield from op_targets(doc, ctx, route, method, op)


def op_targets(doc, ctx, route, method, op):
    params = [resolve(doc, p) for p in op.get("parameters", [])]
    pvals = {p: path_value(ctx, route, p)
             for p in re.findall(r"{([^}]+)}", route)}
    query = {p["name"]: str(query_value(ctx, resolve(doc, p)))
             for p in params if p.get("in") == "query"
             and "*" not in p["name"]}
    required = {p["name"] for p in params if p.get("required")}
    headers = {p["name"]: "sqlmap-key" if p["name"] == "Idempotency-Key"
               else "a" * 64
               for p in params if p.get("in") == "header"}
    body_schema = (op.get("requestBody", {}).get("content", {})
                   .get("application/json", {}).get("schema"))
    leaves = []
    body = (sample(doc, body_schema, [], leaves, ctx["values"])
            if body_schema else None)
    signed = bool(op.get("security"))
    fresh = any(p.get("in") == "header" and p["name"] == "Idempotency-Key"
                and p.get("required") for p in params)
    words = [w.strip("{}") for w in route.replace("/api/v1", "").split("/")]
    base = "%s.%s" % (method, ".".join(safe(w) for w in words if w) or "root")
    if route in ctx.get("queries", {}):
        query = dict(ctx["queries"][route])
        required = set(query)
    key = "%s %s" % (method, route)
    if key in ctx.get("bodies", {}):
        body, leaves = ctx["bodies"][key], []
        walk(body, [], leaves)
    one_of = ctx.get("one_of", {}).get(key, [])
    evals = [FRESH_KEY] if fresh else []
    signer = ctx.get("evals", {}).get(route)
    if signer:
        evals.append("import sqlmap_sign; sqlmap_sign.%s(globals())" % signer)
    signed_by = {"vnpay": "vnp_SecureHash", "momo": "signature",
                 "bank": "X-Signature"}.get(signer)

    def request(mark_path=None, mark_query=None, mark_header=None,
                mark_leaf=None):
        url = ctx["url"] + route
        for p, v in pvals.items():
            url = url.replace("{%s}" % p, quote(v) +
                              ("*" if p == mark_path else ""))
        # Only the marked argument and the required ones: an optional
        # argument's sample value could be refused (400) before any SQL.
        # Values percent-encoded: sqlmap copies the URL into a Referer
        # header (level 3 and up), where Kore refuses raw UTF-8 (400).
        qs = "&".join("%s=%s%s" % (k, quote(v), "*" if k == mark_query else "")
                      for k, v in query.items()
                      if k == mark_query or k in required)
        args = ["-u", url + ("?" + qs if qs else ""),
                "--method=" + method.upper()]
        # 404 is a lookup's answer (the SQL ran), and a public route's
        # 401 too (a wrong password): sqlmap compares them, not stops.
        if signed:
            args += ["-H", "Authorization: Bearer " + ctx["token"],
                     "--ignore-code=404"]
        else:
            args += ["--ignore-code=401,404"]
        for k, v in headers.items():
            args += ["-H", "%s: %s%s" % (k, v, "*" if k == mark_header else "")]
        if body is not None:
            args += ["-H", "Content-Type: application/json", "--data",
                     marked_body(prune(doc, body_schema, body, mark_leaf[0],
                                       one_of[:1] if mark_leaf[0][0] not in
                                       one_of else ()), *mark_leaf)
                     if mark_leaf
                     else json.dumps(body, ensure_ascii=False)]
        if mark_header:
            # A marked header does not make sqlmap test only the mark:
            # from level 3 it also probes User-Agent, Referer and Host,
            # thousands of requests per point.  sqlmap.sh's auth.bearer
            # point keeps them, once.
            args += ["--skip=User-Agent,Referer,Host"]
        code = [e for e in evals
                if not (e == FRESH_KEY and mark_header == "Idempotency-Key")]
        if code:
            args += ["--eval", "; ".join(code)]
        return args

    for p in pvals:
        yield "%s:path.%s" % (base, p), request(mark_path=p)
    for q in query:
        if q != signed_by:
            yield "%s:query.%s" % (base, safe(q)), request(mark_query=q)
    for h in headers:
        if h != signed_by:
            yield "%s:header.%s" % (base, safe(h)), request(mark_header=h)
    for path, value in leaves:
        name = ".".join(str(s) for s in path)
        if name == signed_by:
            continue
        yield "%s:body.%s" % (base, safe(name)), request(mark_leaf=(path, value))


def main():
    doc = json.load(open(sys.argv[1], encoding="utf-8"))
    ctx = json.load(open(sys.argv[2], encoding="utf-8"))
    out = sys.argv[3]
    os.makedirs(out, exist_ok=True)
    n = 0
    for name, args in targets(doc, ctx):
        with open(os.path.join(out, name + ".args"), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(args) + "\n")
        n += 1
    print(n)


if __name__ == "__main__":
    main()
