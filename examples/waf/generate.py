#!/usr/bin/env python3
"""Generates the Arctiq edge example: an access log (JSON lines, one request each, with
timestamps) and the verdicts rules/waf/arctiq-acl.yaml should give it.

    python3 examples/waf/generate.py            # writes access.jsonl and expected-verdicts.jsonl
    policy waf replay --acl rules/waf/arctiq-acl.yaml examples/waf/access.jsonl \
        --expected examples/waf/expected-verdicts.jsonl

The expected verdicts are reasoned out here from the web ACL's rules, not produced by running
Rampart: each request is walked through the three rules in priority order.

1. ip-reputation (priority 10): the client address is in rules/waf/arctiq-reputation.netset
   (198.51.100.0/24, 203.0.113.0/24, 192.0.2.66, 2001:db8::/32; IPv4-mapped IPv6 addresses
   count as IPv4) -> block 403. Such requests never reach the rate rule, so they are not counted.
2. orders-rate-limit (priority 20): for requests whose path starts with /api/orders, the client
   address's count is the number of its /api/orders requests in the last 300 seconds, this one
   included; over 2,000 -> block 429. Every request that reaches the rule in scope is counted,
   limited or not (as AWS WAF counts).
3. owasp-crs (priority 30): the request carries an SQL injection or XSS payload -> block 403
   (CRS 3.3.4 at paranoia level 1 scores each payload at least 5, the inbound threshold).
   Normal requests are written to stay clear of every PL1 rule (Host, User-Agent, Accept and
   Content-Length present, no odd characters).
4. Otherwise the default action: allow.

The count in step 2 is the exact sliding window. Rampart approximates it with 10 epoch-aligned
buckets of 30 s (docs/waf-acl.md); the traffic is laid out so that the two agree (each burst
spans less than 270 s, and the gap before a new burst from the same address is longer than
330 s), and this script checks that they agree on every decision.

Traffic (start 2026-11-24 16:10:00 UTC, 15 minutes):
- normal browsing and API use from 40 client addresses (10.20.0.0/24 and fd00:a:b::/64);
- 100.64.1.10 bursts 2,150 requests on /api/orders in two minutes (the last 150 are limited)
  while also fetching product pages, which the scope-down leaves alone;
- 100.64.1.11 sends 1,200 order requests, pauses, then 900 more, 260 s apart in all: the last
  100 are limited because the first batch is still in the window;
- 100.64.1.12 sends 1,100, then 1,100 more 400 s later: the first batch has left the window,
  so none is limited;
- requests from listed addresses, IPv4, IPv6 and IPv4-mapped;
- a few attacks (SQL injection and XSS in the query string), one of them from a rate-limited
  address (the rate rule decides first).
"""

import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
START = 1795536600  # 2026-11-24 16:10:00 UTC, a multiple of 30 (bucket-aligned)
LIMIT = 2000
WINDOW = 300
BUCKETS = 10

LISTED_V4 = [("198.51.100.0", 24), ("203.0.113.0", 24), ("192.0.2.66", 32)]

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
APP_UA = "ArctiqShop/4.2 (Android 14)"


def ipv4_int(text):
    parts = [int(p) for p in text.split(".")]
    return (parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]


def listed(address):
    """Whether the reputation list contains the address (the list file, read by hand)."""
    if address.lower().startswith("::ffff:") and "." in address:
        address = address[7:]
    if ":" in address:
        return address.lower().startswith("2001:db8:")
    value = ipv4_int(address)
    for network, length in LISTED_V4:
        mask = (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF
        if value & mask == ipv4_int(network) & mask:
            return True
    return False


def headers(ua=BROWSER_UA, accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", extra=()):
    result = [
        ["Host", "shop.arctiq.example"],
        ["User-Agent", ua],
        ["Accept", accept],
        ["Accept-Language", "en-GB,en;q=0.7"],
        ["Accept-Encoding", "gzip, deflate, br"],
    ]
    result.extend(extra)
    return result


def get(time, ip, uri, ua=BROWSER_UA, accept=None, kind="normal"):
    h = headers(ua, accept) if accept else headers(ua)
    return {"timestamp": round(time, 3), "client_ip": ip, "method": "GET", "uri": uri, "headers": h, "_kind": kind}


def post_order(time, ip, sku, qty):
    body = json.dumps({"sku": sku, "quantity": qty}, separators=(",", ":"))
    h = headers(APP_UA, "application/json", [["Content-Type", "application/json"], ["Content-Length", str(len(body))]])
    return {"timestamp": round(time, 3), "client_ip": ip, "method": "POST", "uri": "/api/orders", "headers": h,
            "body": body, "_kind": "normal"}


def main():
    rng = random.Random(20261118)
    requests = []

    # Normal traffic: 40 clients, 15 requests each on average, spread over 15 minutes.
    clients = [f"10.20.0.{n}" for n in range(2, 32)] + [f"fd00:a:b::{n:x}" for n in range(1, 11)]
    pages = ["/", "/products", "/products/1041", "/products/2207", "/products?category=boots&page=2",
             "/search?q=winter+boots", "/static/app.3f9c.js", "/static/site.css", "/account", "/cart"]
    for _ in range(600):
        ip = rng.choice(clients)
        time = START + rng.uniform(0, 900)
        roll = rng.random()
        if roll < 0.55:
            requests.append(get(time, ip, rng.choice(pages)))
        elif roll < 0.80:
            requests.append(get(time, ip, f"/api/orders?page={rng.randint(1, 5)}", APP_UA, "application/json"))
        elif roll < 0.90:
            requests.append(get(time, ip, f"/api/orders/{rng.randint(100000, 999999)}", APP_UA, "application/json"))
        else:
            requests.append(post_order(time, ip, f"SKU-{rng.randint(1000, 9999)}", rng.randint(1, 4)))

    # Burst A: 2,150 order requests in [START+60, START+180), plus 30 product pages meanwhile.
    a = "100.64.1.10"
    for n in range(2150):
        requests.append(get(START + 60 + n * 120 / 2150, a, f"/api/orders?page={n % 50 + 1}", APP_UA, "application/json"))
    for n in range(30):
        requests.append(get(START + 61.5 + n * 4, a, f"/products/{3000 + n}"))

    # Burst B: 1,200 in [START+300, START+360), 900 in [START+500, START+560).
    b = "100.64.1.11"
    for n in range(1200):
        requests.append(get(START + 300 + n * 60 / 1200, b, "/api/orders", APP_UA, "application/json"))
    for n in range(900):
        requests.append(get(START + 500 + n * 60 / 900, b, "/api/orders?status=open", APP_UA, "application/json"))

    # C: 1,100 in [START, START+30), 1,100 in [START+400, START+430): never over the limit.
    c = "100.64.1.12"
    for n in range(1100):
        requests.append(get(START + n * 30 / 1100, c, "/api/orders?page=1", APP_UA, "application/json"))
    for n in range(1100):
        requests.append(get(START + 400 + n * 30 / 1100, c, "/api/orders?page=2", APP_UA, "application/json"))

    # Listed addresses.
    for n, ip in enumerate(["198.51.100.23"] * 8 + ["203.0.113.9"] * 4 + ["2001:db8:1::5"] * 4
                           + ["::ffff:203.0.113.77"] * 3 + ["192.0.2.66"] * 2):
        uri = "/api/orders?page=1" if n % 3 == 0 else rng.choice(pages)
        requests.append(get(START + 20 + n * 37.3, ip, uri))

    # Attacks (SQL injection and XSS in the query string).
    attacks = [
        (START + 250.5, "10.20.0.99", "/search?q=1%27%20OR%20%271%27%3D%271"),
        (START + 410.25, "10.20.0.99", "/products?id=1%20UNION%20SELECT%20username%2Cpassword%20FROM%20users"),
        (START + 612.0, "10.20.0.98", "/search?q=%3Cscript%3Ealert%28document.cookie%29%3C%2Fscript%3E"),
        (START + 700.75, "10.20.0.98", "/products?ref=%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"),
        (START + 720.0, "fd00:a:b::99", "/api/orders?sort=id%3B%20DROP%20TABLE%20orders--"),
        # From burst address A while it is limited: the rate rule answers first.
        (START + 175.0, a, "/api/orders?page=1%27%20OR%20%271%27%3D%271"),
        # From a listed address: the reputation rule answers first.
        (START + 800.0, "203.0.113.9", "/search?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E"),
    ]
    for time, ip, uri in attacks:
        requests.append(get(time, ip, uri, kind="attack"))

    requests.sort(key=lambda r: r["timestamp"])

    # Expected verdicts, walking the rules in priority order.
    exact = {}      # address -> timestamps of counted /api/orders requests
    bucketed = {}   # address -> {bucket: count}, Rampart's approximation
    verdicts = []
    for line, request in enumerate(requests, start=1):
        ip, time = request["client_ip"], request["timestamp"]
        path = request["uri"].split("?", 1)[0]
        if listed(ip):
            verdicts.append({"line": line, "action": "block", "status": 403, "rule": "ip-reputation"})
            continue
        if path.startswith("/api/orders"):
            stamps = exact.setdefault(ip, [])
            stamps.append(time)
            count = sum(1 for s in stamps if s > time - WINDOW)
            bucket = int(time * BUCKETS // WINDOW)
            counts = bucketed.setdefault(ip, {})
            counts[bucket] = counts.get(bucket, 0) + 1
            approx = sum(v for k, v in counts.items() if bucket - BUCKETS < k <= bucket)
            assert (count > LIMIT) == (approx > LIMIT), (line, ip, count, approx)
            if count > LIMIT:
                verdicts.append({"line": line, "action": "block", "status": 429, "rule": "orders-rate-limit"})
                continue
        if request["_kind"] == "attack":
            verdicts.append({"line": line, "action": "block", "status": 403, "rule": "owasp-crs"})
            continue
        verdicts.append({"line": line, "action": "allow", "rule": None})

    with open(os.path.join(HERE, "access.jsonl"), "w") as out:
        for request in requests:
            request = {k: v for k, v in request.items() if not k.startswith("_")}
            out.write(json.dumps(request, separators=(",", ":")) + "\n")
    with open(os.path.join(HERE, "expected-verdicts.jsonl"), "w") as out:
        for verdict in verdicts:
            out.write(json.dumps(verdict, separators=(",", ":")) + "\n")

    summary = {}
    for verdict in verdicts:
        key = (verdict["action"], verdict["rule"] or "default")
        summary[key] = summary.get(key, 0) + 1
    print(f"{len(requests)} requests")
    for (action, rule), count in sorted(summary.items()):
        print(f"  {action:6} {rule:18} {count}")


if __name__ == "__main__":
    main()
