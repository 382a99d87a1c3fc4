#!/usr/bin/env python3
"""Abusive clients against a running San server (issue 13, "Under attack").

    abuse.py URL [--idle N] [--slow-headers N] [--slow-bodies N]
                 [--seconds S] [--path PATH] [--p99-ms MS]

While a normal client (a separate process: its own interpreter, a new
connection per request, like a new visitor) reads PATH over and over,
this process opens at once:
  * N idle keep-alive connections: one complete GET /healthz each, then
    silence (nothing more sent, the connection kept open);
  * slowloris headers: a request line and then one header line every 2 s,
    never the blank line that ends the headers;
  * slow bodies: a POST announcing 64 KiB whose body comes 16 bytes every
    2 s;
  (each of these reconnects when the server cuts it, so the attack lasts);
  * every 0.5 s one request with 100 header lines (Kore 4.1 parses 23,
    README fact 11), one with a 3,000- and one with a 70,000-byte path,
    one with a 10,000-byte query string.
It measures the normal client before (5 s) and during the attack, and
checks: every normal request answered 2xx; its p99 during the attack
within max(--p99-ms, 5 x its p99 before); each odd request answered with
a status below 500 or the connection closed without an answer (Kore
closes a request line over 2000 bytes) -- never a 5xx, never a hang; how
many idle connections the server still holds at the end (reported).
Prints "abuse: ..." lines; exit status 0 when every check holds.
Standard library only (Debian's python3).
"""
import argparse
import asyncio
import http.client
import json
import os
import resource
import subprocess
import sys
import time
import urllib.parse


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


# --- the normal client (run as a child process) ---------------------------
def measure(host, port, path, seconds, out):
    """GET path on a fresh connection each time for seconds; writes JSON
    {"ms": [...], "errors": [...]} to out."""
    ms, errors = [], []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        try:
            c = http.client.HTTPConnection(host, port, timeout=10)
            c.request("GET", path, headers={"Connection": "close"})
            r = c.getresponse()
            r.read()
            c.close()
            if r.status // 100 != 2:
                errors.append(str(r.status))
        except Exception as e:  # a refused, reset or timed-out request
            errors.append(type(e).__name__)
            time.sleep(0.05)
            continue
        ms.append((time.monotonic() - t0) * 1000.0)
        time.sleep(0.01)
    with open(out, "w") as f:
        json.dump({"ms": ms, "errors": errors}, f)


def spawn_measure(url, path, seconds, out):
    return subprocess.Popen([sys.executable, __file__, url, "--measure",
                             str(seconds), "--path", path, "--out", out])


# --- the attackers (asyncio, one process) ---------------------------------
class Stats:
    def __init__(self):
        self.idle_open = 0
        self.idle_failed = 0
        self.idle_closed_by_server = 0
        self.idle_now = 0
        self.idle_samples = []
        self.slow_open = 0
        self.slow_closed = 0
        self.slow_statuses = {}
        self.odd = {}  # kind -> {status or "closed"/"hang": count}


async def read_status(reader, timeout):
    """The status of the next response (its body is skipped when it has a
    Content-Length), "closed" when the server closes first."""
    line = await asyncio.wait_for(reader.readline(), timeout)
    if not line:
        return "closed"
    status = line.split(b" ")[1].decode() if b" " in line else "garbage"
    length = 0
    while True:
        h = await asyncio.wait_for(reader.readline(), timeout)
        if h in (b"\r\n", b"\n", b""):
            break
        k, _, v = h.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    if length:
        await asyncio.wait_for(reader.readexactly(length), timeout)
    return status


async def idle_conn(host, port, stats, stop):
    """Until stop: connect, one GET /healthz, then silence.  Kore closes
    an idle keep-alive connection after http_header_timeout (10 s: the
    wait for the next request's headers); the client then comes back, as
    an abuser would, so the count held stays near N."""
    while not stop.is_set():
        try:
            r, w = await asyncio.open_connection(host, port)
            w.write(b"GET /healthz HTTP/1.1\r\nHost: abuse\r\n\r\n")
            await w.drain()
            st = await read_status(r, 30)
            if st != "200":
                stats.idle_failed += 1
                w.close()
                await asyncio.sleep(1)
                continue
        except Exception:
            stats.idle_failed += 1
            await asyncio.sleep(1)
            continue
        stats.idle_open += 1
        stats.idle_now += 1
        try:
            # Silence; a read returning means the server closed it.
            await asyncio.wait(
                [asyncio.ensure_future(r.read(1)),
                 asyncio.ensure_future(stop.wait())],
                return_when=asyncio.FIRST_COMPLETED)
            if not stop.is_set():
                stats.idle_closed_by_server += 1
        finally:
            stats.idle_now -= 1
            w.close()


async def slow_once(host, port, stats, stop, body):
    try:
        r, w = await asyncio.open_connection(host, port)
    except Exception:
        await asyncio.sleep(1)
        return
    stats.slow_open += 1
    reply = None
    try:
        if body:
            w.write(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: abuse\r\n"
                    b"Content-Type: application/json\r\n"
                    b"Content-Length: 65536\r\n\r\n{\"email\":\"")
        else:
            w.write(b"GET /api/v1/products HTTP/1.1\r\nHost: abuse\r\n")
        await w.drain()
        reply = asyncio.ensure_future(read_status(r, 3600))
        n = 0
        while not stop.is_set() and not reply.done():
            n += 1
            w.write(b"aaaaaaaaaaaaaaaa" if body else b"X-Slow-%d: 1\r\n" % n)
            await w.drain()
            await asyncio.wait([reply, asyncio.ensure_future(stop.wait())],
                               timeout=2, return_when=asyncio.FIRST_COMPLETED)
        if reply.done():
            stats.slow_closed += 1
            try:
                st = reply.result()
            except Exception:
                st = "reset"
            stats.slow_statuses[st] = stats.slow_statuses.get(st, 0) + 1
        else:
            reply.cancel()
    except Exception:
        stats.slow_closed += 1
        stats.slow_statuses["reset"] = stats.slow_statuses.get("reset", 0) + 1
    finally:
        # The reader may have failed too (broken pipe): mark it seen.
        if reply is not None and reply.done() and not reply.cancelled():
            reply.exception()
        elif reply is not None:
            reply.cancel()
        w.close()


async def slow_conn(host, port, stats, stop, body):
    """slow_once again and again until stop: cut after Kore's timeout,
    the slow client comes back."""
    while not stop.is_set():
        await slow_once(host, port, stats, stop, body)
        await asyncio.sleep(0.1)


def odd_requests():
    many = b"".join(b"X-H%03d: v\r\n" % i for i in range(100))
    return {
        "100-headers": b"GET /api/v1/categories HTTP/1.1\r\nHost: abuse\r\n"
                       + many + b"\r\n",
        "path-3000": b"GET /api/v1/" + b"a" * 3000
                     + b" HTTP/1.1\r\nHost: abuse\r\n\r\n",
        "path-70000": b"GET /" + b"p" * 70000
                      + b" HTTP/1.1\r\nHost: abuse\r\n\r\n",
        "query-10000": b"GET /api/v1/products?q=" + b"q" * 10000
                       + b" HTTP/1.1\r\nHost: abuse\r\n\r\n",
        "query-1900": b"GET /api/v1/products?q=" + b"q" * 1900
                      + b" HTTP/1.1\r\nHost: abuse\r\n\r\n",
    }


async def odd_loop(host, port, stats, stop):
    reqs = odd_requests()
    while not stop.is_set():
        for kind, raw in reqs.items():
            st = "error"
            try:
                r, w = await asyncio.open_connection(host, port)
                w.write(raw)
                await w.drain()
                st = await read_status(r, 15)
                w.close()
            except asyncio.TimeoutError:
                st = "hang"
            except (ConnectionResetError, BrokenPipeError):
                st = "closed"
            except Exception as e:
                st = type(e).__name__
            d = stats.odd.setdefault(kind, {})
            d[st] = d.get(st, 0) + 1
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def attack(host, port, args, stats, stop):
    tasks = [asyncio.ensure_future(odd_loop(host, port, stats, stop))]
    # Open in batches: the listen queue is finite and so is the loop.
    for i in range(args.idle):
        tasks.append(asyncio.ensure_future(idle_conn(host, port, stats, stop)))
        if i % 200 == 199:
            await asyncio.sleep(0.05)
    for i in range(args.slow_headers):
        tasks.append(asyncio.ensure_future(slow_conn(host, port, stats, stop, False)))
    for i in range(args.slow_bodies):
        tasks.append(asyncio.ensure_future(slow_conn(host, port, stats, stop, True)))
    return tasks


async def run(args):
    u = urllib.parse.urlsplit(args.url)
    host, port = u.hostname, u.port or 80
    tmp = args.out or "/tmp"
    before_out = os.path.join(tmp, "abuse-before.json")
    during_out = os.path.join(tmp, "abuse-during.json")

    p = spawn_measure(args.url, args.path, 5, before_out)
    while p.poll() is None:
        await asyncio.sleep(0.1)

    stats, stop = Stats(), asyncio.Event()
    t0 = time.monotonic()
    tasks = await attack(host, port, args, stats, stop)
    ramp = time.monotonic() - t0
    # Let the connections settle, then measure the normal client.
    await asyncio.sleep(2)
    p = spawn_measure(args.url, args.path, args.seconds, during_out)
    while p.poll() is None:
        stats.idle_samples.append(stats.idle_now)
        await asyncio.sleep(0.2)
    stop.set()
    await asyncio.wait(tasks, timeout=20)

    with open(before_out) as f:
        before = json.load(f)
    with open(during_out) as f:
        during = json.load(f)
    b99, d99 = pct(before["ms"], 99), pct(during["ms"], 99)
    bound = max(args.p99_ms, 5 * b99)
    problems = []
    print("abuse: attack: %d idle keep-alive (connections made %d, failed %d, "
          "closed by the server when idle %d; held open while measuring: "
          "min %d, median %d, max %d), %d slowloris headers, "
          "%d slow bodies (opened %d, answered or closed by the server %d: %s), "
          "ramp %.1f s" % (args.idle, stats.idle_open, stats.idle_failed,
                           stats.idle_closed_by_server,
                           min(stats.idle_samples or [0]),
                           pct(stats.idle_samples, 50),
                           max(stats.idle_samples or [0]),
                           args.slow_headers, args.slow_bodies,
                           stats.slow_open, stats.slow_closed,
                           json.dumps(stats.slow_statuses, sort_keys=True),
                           ramp))
    for name, m in (("before", before), ("during", during)):
        print("abuse: normal client %s: %d requests, p50 %.1f ms, p99 %.1f ms, "
              "max %.1f ms, errors %d %s" % (
                  name, len(m["ms"]), pct(m["ms"], 50), pct(m["ms"], 99),
                  max(m["ms"] or [0]), len(m["errors"]),
                  json.dumps(sorted(set(m["errors"])))))
    for kind, d in sorted(stats.odd.items()):
        print("abuse: %s: %s" % (kind, json.dumps(d, sort_keys=True)))
        bad = {k: v for k, v in d.items()
               if not (k == "closed" or (k.isdigit() and int(k) < 500))}
        if bad:
            problems.append("%s answered %s" % (kind, bad))
    if before["errors"] or during["errors"]:
        problems.append("normal client errors: before %d, during %d" % (
            len(before["errors"]), len(during["errors"])))
    if len(during["ms"]) < 10:
        problems.append("normal client: only %d requests during the attack"
                        % len(during["ms"]))
    if not d99 <= bound:
        problems.append("normal client p99 %.1f ms during the attack, bound "
                        "%.1f ms" % (d99, bound))
    if stats.idle_failed > args.idle // 100:
        problems.append("%d of %d idle connections not served"
                        % (stats.idle_failed, args.idle))
    for pr in problems:
        print("abuse: PROBLEM " + pr)
    print("abuse: %s" % ("ok" if not problems else "failed"))
    return 0 if not problems else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--slow-headers", type=int, default=200)
    ap.add_argument("--slow-bodies", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--path", default="/api/v1/categories")
    ap.add_argument("--p99-ms", type=float, default=500)
    ap.add_argument("--measure", type=float)
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.measure is not None:
        u = urllib.parse.urlsplit(args.url)
        measure(u.hostname, u.port or 80, args.path, args.measure, args.out)
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.idle + args.slow_headers + args.slow_bodies + 100
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
