#!/usr/bin/env python3
"""A bounded loopback load on a running Hamlet: N clients, each a kept-alive connection, sending
a mix of the requests the field sends most (people searches, plan dashboards, report totals and
single-value saves) for a fixed time, then requests/s and p50/p95/p99 per kind, as a Markdown
table for docs/BENCHMARKS.md.

    scripts/load-test.py --url http://127.0.0.1:8080 --user admin --password … [--clients 200] [--seconds 30]

Several instances: `--url http://127.0.0.1:8081,http://127.0.0.1:8082` spreads the clients over them
in turn, as a balancer without sticky sessions would.

What it asks for is found through the API first (plans, values already reported, the names in
the register), so it runs on the demo database and on generated national data alike. Saves
write back a value already there, plus one: real writes through the same path as DHIS2 clients,
audited. It refuses a URL that is not on this machine.
"""
import argparse, http.client, json, random, statistics, sys, threading, time, urllib.parse

MIX = [("people search", 35), ("plan dashboard", 25), ("report totals", 10), ("value save", 30)]


def call(conn, method, path, token, body=None):
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    res = conn.getresponse()
    return res.status, res.read()


def discover(host, port, token):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    status, body = call(conn, "GET", "/api/v1/plans?per=100", token)
    plans = [p["id"] for p in json.loads(body)["items"]] if status == 200 else []
    status, body = call(conn, "GET", "/api/v1/people?per=100", token)
    people = json.loads(body)["items"] if status == 200 else []
    words = sorted({w for p in people for w in p["fullName"].split()[-1:]})
    status, body = call(conn, "GET", "/api/v1/data-sets", token)
    sets = [s["code"] for s in json.loads(body)["items"]] if status == 200 else []
    status, body = call(conn, "GET", "/api/v1/units?level=province&per=100", token)
    provinces = [u["code"] for u in json.loads(body)["items"]] if status == 200 else []
    values = []
    for code in sets:
        for province in provinces:
            q = urllib.parse.urlencode({"dataSet": code, "orgUnit": province, "children": "true", "startDate": "2020-01-01", "endDate": "2029-12-31"})
            status, body = call(conn, "GET", "/api/dataValueSets?" + q, token)
            if status == 200:
                values += [dict(v, province=province) for v in json.loads(body).get("dataValues", []) if str(v.get("value", "")).isdigit()]
            if len(values) > 5000:
                break
    random.shuffle(values)
    # Values that may be saved now (a report not yet approved or locked): tried once each.
    saves = []
    for v in values[:400]:
        q = urllib.parse.urlencode({"de": v["dataElement"], "pe": v["period"], "ou": v["orgUnit"], "co": v["categoryOptionCombo"], "value": v["value"]})
        status, _ = call(conn, "POST", "/api/dataValues?" + q, token)
        if status in (200, 201):
            saves.append(v)
        if len(saves) >= 100:
            break
    totals = [(v["dataElement"], v["province"], v["period"]) for v in values[:200]]
    return plans, words, totals, saves


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", required=True)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--label", default="")
    ap.add_argument("--only", default="", help="one kind of the mix alone (e.g. 'value save'), to see what each costs")
    a = ap.parse_args()
    servers = []
    for raw in a.url.split(","):
        url = urllib.parse.urlparse(raw.strip())
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("load-test: only a server on this machine (loopback) may be loaded")
        servers.append((url.hostname, url.port or 80))
    host, port = servers[0]
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("POST", "/api/v1/auth/token", body=json.dumps({"username": a.user, "password": a.password}),
                 headers={"Content-Type": "application/json"})
    res = conn.getresponse()
    if res.status not in (200, 201):
        sys.exit(f"load-test: sign-in answered {res.status}: {res.read()[:200]}")
    token = json.loads(res.read())["token"]
    plans, words, totals, saves = discover(host, port, token)
    wanted = [(k, w) for k, w in MIX if not a.only or k == a.only]
    if not wanted:
        sys.exit("load-test: --only takes one of: " + ", ".join(k for k, _ in MIX))
    mix = [(k, w) for k, w in wanted if {"plan dashboard": plans, "people search": words, "report totals": totals, "value save": saves}[k]]
    missing = [k for k, _ in wanted if k not in dict(mix)]
    if missing:
        sys.exit("load-test: nothing found for " + ", ".join(missing) + " (run it on the demo or generated data)")
    kinds = [k for k, w in mix for _ in range(w)]

    def request(kind, rnd):
        if kind == "people search":
            return "GET", "/api/v1/people?" + urllib.parse.urlencode({"q": rnd.choice(words)})
        if kind == "plan dashboard":
            return "GET", f"/api/v1/plans/{rnd.choice(plans)}/dashboard"
        if kind == "report totals":
            e, unit, period = rnd.choice(totals)
            return "GET", "/api/v1/data-values/totals?" + urllib.parse.urlencode({"element": e, "unit": unit, "from": period, "to": period})
        v = rnd.choice(saves)
        value = str(int(v["value"]) + rnd.randint(0, 1))
        return "POST", "/api/dataValues?" + urllib.parse.urlencode({"de": v["dataElement"], "pe": v["period"], "ou": v["orgUnit"],
                                                                     "co": v["categoryOptionCombo"], "value": value})

    lock = threading.Lock()
    results = {k: [] for k, _ in mix}
    errors = {k: [] for k, _ in mix}
    began = time.monotonic()
    measure_from, stop_at = began + a.warmup, began + a.warmup + a.seconds

    def client(n):
        rnd = random.Random(n)
        host, port = servers[n % len(servers)]
        c = http.client.HTTPConnection(host, port, timeout=120)
        while True:
            now = time.monotonic()
            if now >= stop_at:
                return
            kind = rnd.choice(kinds)
            method, path = request(kind, rnd)
            t0 = time.monotonic()
            try:
                status, _ = call(c, method, path, token)
            except Exception as e:
                status = repr(e)
                c = http.client.HTTPConnection(host, port, timeout=120)
            t1 = time.monotonic()
            if t0 < measure_from or t1 > stop_at:
                continue
            with lock:
                if isinstance(status, int) and status < 400:
                    results[kind].append(t1 - t0)
                else:
                    errors[kind].append(status)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    def pct(xs, p):
        return sorted(xs)[min(len(xs) - 1, int(len(xs) * p))] * 1000 if xs else 0

    every = [x for xs in results.values() for x in xs]
    failed = sum(len(e) for e in errors.values())
    print(f"{a.label} {a.clients} clients over {len(servers)} instance(s), {a.seconds:.0f} s measured after {a.warmup:.0f} s warm-up")
    print("| kind | requests | requests/s | p50 | p95 | p99 | errors |")
    print("|---|---|---|---|---|---|---|")
    for kind, _ in mix + [("all", 0)]:
        xs = every if kind == "all" else results[kind]
        err = failed if kind == "all" else len(errors[kind])
        print(f"| {kind} | {len(xs)} | {len(xs) / a.seconds:.1f} | {pct(xs, .5):.0f} ms | {pct(xs, .95):.0f} ms | {pct(xs, .99):.0f} ms | {err} |")
    for kind, es in errors.items():
        if es:
            print(f"errors of {kind}: " + ", ".join(sorted({str(e) for e in es}))[:300], file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
