#!/usr/bin/env python3
"""A second, independent generator of Event Kit-style telemetry, written the way a Python
service would write it: `json.dumps` of each record, one per line.

It differs from `gen_telemetry` on purpose (other actions, error messages, failure rate and
number formatting), so that a benchmark or a check is not tuned to one generator's output:

    python3 benches/gen_python.py round 1024 > /tmp/python-1g.jsonl      # 1 GiB, rounded numbers
    python3 benches/gen_python.py raw 256 > /tmp/python-raw-256m.jsonl    # every digit of the floats
    python3 benches/gen_python.py compact 256 > /tmp/compact.jsonl        # no spaces, raw numbers
    python3 benches/gen_python.py iso 256 > /tmp/iso.jsonl                # ISO 8601 `ts` strings

Arguments: MODE (round, raw, compact, cround = compact and rounded, iso), SIZE in MiB, and an
optional failure rate (default 0.03). Deterministic for a given Python version (seed 7).
"""
import datetime
import json
import random
import sys

mode = sys.argv[1]
size = int(sys.argv[2]) << 20
fail = float(sys.argv[3]) if len(sys.argv) > 3 else 0.03
random.seed(7)
actions = [("recommend", 3.0, .5), ("explain", 2.2, .4), ("export", 3.5, .6),
           ("track_event", 1.0, .3), ("get_manifest", 1.8, .5), ("search", 2.8, .7)]
errors = ["timeout after 5000ms", "manifest not found: evt-{}", "upstream 503 from graph-{}",
          "invalid payload at field {}"]
t = 1732540000.0
written = 0
separators = (',', ':') if mode in ('compact', 'cround') else (', ', ': ')
buf = []
while written < size:
    action, mu, sigma = random.choice(actions)
    t += random.random() * 0.02
    latency = random.lognormvariate(mu, sigma)
    ok = random.random() > fail
    if mode in ('raw', 'compact'):
        ts, lat = t, latency
    elif mode == 'iso':
        ts = datetime.datetime.fromtimestamp(t, datetime.timezone.utc) \
            .isoformat(timespec='milliseconds').replace('+00:00', 'Z')
        lat = round(latency, 2)
    else:
        ts, lat = round(t, 3), round(latency, 2)
    record = {"ts": ts, "action": action, "success": ok, "latency_ms": lat,
              "payload": {"interests_count": random.randint(0, 9), "top": random.randint(1, 20),
                          "source": random.choice(["graph", "cache", "manifest"]),
                          "conflicts": random.randint(0, 3)},
              "error": None if ok else random.choice(errors).format(random.randint(1, 99999))}
    line = json.dumps(record, separators=separators) + "\n"
    buf.append(line)
    written += len(line)
    if len(buf) > 10000:
        sys.stdout.write(''.join(buf))
        buf = []
sys.stdout.write(''.join(buf))
