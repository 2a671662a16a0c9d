#!/usr/bin/env python3
"""Time `tlm summarize` against the tools people use for the same job, and check their figures.

The job: group JSONL telemetry by `action`; per group the count, the failures (success == false),
latency p50/p95/p99/max and the time span (first/last `ts`).

    cargo build --release
    cargo run --release --example gen_telemetry -- --size 1GiB --seed 42 > /tmp/telemetry.jsonl
    python3 benches/compare.py /tmp/telemetry.jsonl --runs 3 --slow-tools-max-mb 200

Tools (each skipped, with the reason printed, when it is not installed):

  tlm          target/release/tlm summarize --format json FILE
  duckdb       python duckdb: read_ndjson (explicit columns) + GROUP BY + quantile_disc
  duckdb-auto  the same with read_json_auto (schema inferred), as the issue measured it
  polars       python polars: scan_ndjson (explicit schema) + group_by, nearest-rank by sort+get
  miller       mlr --ijson --ojson put '$failed=...' then stats1 -a count,sum,min,max,p50,p95,p99
  jq-filter    jq -c 'select(.latency_ms > 1000)'   (the one-liner people run; not a summary)
  jq-groupby   jq -n: collect [action, latency, success, ts], group_by, sort, nearest-rank
  python       json.loads per line, dict of lists, sort, nearest-rank (the seed's way)

Runs alternate (round 1: A B C ..., round 2: B C ... A, ...), each in its own process; the table
shows the median wall time, MB/s (1 MB = 10^6 bytes of input), peak RSS of the process (os.wait4
as GNU time's %M) and the ratio of wall time to tlm's. The python-based tools include interpreter start
and import time, as a user running them pays it. Inputs are read once before timing (warm page
cache), so this measures parsing and aggregation, not the disk.

Slow tools (miller, jq-*, python) run on a prefix of at most --slow-tools-max-mb MB of the file
(cut at a line boundary) when the file is bigger; their MB/s is measured on that prefix and their
full-file time is extrapolated linearly from it (marked "est."). Their peak RSS is the prefix
run's, and for tools that hold all latencies it grows with the input.

Agreement: every tool is compared with tlm on the same input file (tlm is run untimed on the
prefix for that). Count and failures must be equal; p50/p95/p99/max within 0.1% (+0.001 ms, the
histogram's 1 us resolution), since tlm reads percentiles from an HdrHistogram with 3 significant
digits; throughput (count / span) within 1e-6 relative. Percentiles are nearest-rank: the smallest
v with at least ceil(q*N) values <= v; the exact tools compute the rank with integer arithmetic.
Without a working tlm, the reference on each input is the first of python, duckdb, polars that
ran on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUANTILES = (("p50", 50), ("p95", 95), ("p99", 99))
REL_TOL = 1e-3
ABS_TOL_MS = 1e-3
SPAN_REL_TOL = 1e-6

# --------------------------------------------------------------------------------------------
# The jobs run by the python-based tools, each printing one JSON object:
#   {"groups": {action: {count, failures, p50, p95, p99, max, first, last}}, ...}

DUCKDB_JOB = r"""
import duckdb, json, sys, time
con = duckdb.connect()
con.execute('SET enable_progress_bar = false')
started = time.perf_counter()
rows = con.sql('''
    SELECT action,
           count(*) AS count,
           count(*) FILTER (WHERE NOT success) AS failures,
           quantile_disc(latency_ms, [0.5, 0.95, 0.99]) AS q,
           max(latency_ms) AS max,
           min(ts) AS first,
           max(ts) AS last
    FROM read_ndjson($path, columns = {ts: 'DOUBLE', action: 'VARCHAR', success: 'BOOLEAN',
                                       latency_ms: 'DOUBLE'})
    GROUP BY action
''', params={'path': sys.argv[1]}).fetchall()
query_s = time.perf_counter() - started
groups = {a: {'count': c, 'failures': f, 'p50': q[0], 'p95': q[1], 'p99': q[2], 'max': m,
              'first': t0, 'last': t1} for a, c, f, q, m, t0, t1 in rows}
print(json.dumps({'groups': groups, 'query_s': query_s}))
"""

# The DuckDB figure: schema inference instead of explicit columns.
DUCKDB_AUTO_JOB = DUCKDB_JOB.replace(
    """read_ndjson($path, columns = {ts: 'DOUBLE', action: 'VARCHAR', success: 'BOOLEAN',
                                       latency_ms: 'DOUBLE'})""",
    "read_json_auto($path)")
assert DUCKDB_AUTO_JOB != DUCKDB_JOB

POLARS_JOB = r"""
import json, sys, time
import polars as pl
started = time.perf_counter()
schema = {'ts': pl.Float64, 'action': pl.String, 'success': pl.Boolean, 'latency_ms': pl.Float64}
def nearest_rank(num):
    # smallest v with at least ceil(num/100 * N) values <= v; integer ceil, 0-based index
    rank = (pl.len().cast(pl.Int64) * num + 99) // 100
    return pl.col('latency_ms').sort().get(rank - 1)
df = (pl.scan_ndjson(sys.argv[1], schema=schema)
        .group_by('action')
        .agg(count=pl.len(), failures=(~pl.col('success')).sum(),
             p50=nearest_rank(50), p95=nearest_rank(95), p99=nearest_rank(99),
             max=pl.col('latency_ms').max(), first=pl.col('ts').min(), last=pl.col('ts').max())
        .collect())
query_s = time.perf_counter() - started
groups = {r.pop('action'): r for r in df.to_dicts()}
print(json.dumps({'groups': groups, 'query_s': query_s}))
"""

PYTHON_JOB = r"""
import json, sys
groups = {}
over_1000 = 0
with open(sys.argv[1], 'rb') as f:
    for line in f:
        if not line.strip():
            continue
        r = json.loads(line)
        g = groups.get(r['action'])
        if g is None:
            g = groups[r['action']] = {'failures': 0, 'lat': [], 'first': r['ts'], 'last': r['ts']}
        if r['success'] is False:
            g['failures'] += 1
        lat = r['latency_ms']
        g['lat'].append(lat)
        if lat > 1000:
            over_1000 += 1
        ts = r['ts']
        if ts < g['first']:
            g['first'] = ts
        if ts > g['last']:
            g['last'] = ts
out = {}
for action, g in groups.items():
    lat = sorted(g['lat'])
    n = len(lat)
    rank = lambda num: lat[(n * num + 99) // 100 - 1]
    out[action] = {'count': n, 'failures': g['failures'], 'p50': rank(50), 'p95': rank(95),
                   'p99': rank(99), 'max': lat[-1], 'first': g['first'], 'last': g['last']}
print(json.dumps({'groups': out, 'over_1000': over_1000}))
"""

JQ_GROUPBY = r"""
def rank($n; $num): (($n * $num + 99) / 100 | floor) - 1;
[inputs | [.action, .latency_ms, .success, .ts]]
| group_by(.[0])
| map((map(.[1]) | sort) as $s | ($s | length) as $n | (map(.[3])) as $t
    | {key: .[0][0], count: $n, failures: (map(select(.[2] == false)) | length),
       first: ($t | min), last: ($t | max), max: $s[-1],
       p50: $s[rank($n; 50)], p95: $s[rank($n; 95)], p99: $s[rank($n; 99)]})
"""

MILLER_ARGS = [
    "--ijson", "--ojson",
    "put", "$failed = ($success == false) ? 1 : 0",
    "then", "stats1", "-a", "count,sum,min,max,p50,p95,p99", "-f", "latency_ms,failed,ts",
    "-g", "action",
]


# --------------------------------------------------------------------------------------------
# Parsers: tool stdout -> {"groups": {...}} or {"filter_count": n}

def parse_tlm(text: str) -> dict:
    doc = json.loads(text)
    groups = {}
    for g in doc["groups"]:
        lat = g.get("latency_ms") or {}
        groups[g["key"]] = {
            "count": g["count"], "failures": g["failures"],
            "p50": lat.get("p50"), "p95": lat.get("p95"), "p99": lat.get("p99"),
            "max": lat.get("max"), "throughput": g.get("throughput_per_second"),
        }
    return {"groups": groups, "span": (doc.get("span") or {}).get("seconds")}


def parse_json_groups(text: str) -> dict:
    # the last line: a library's stray progress output before it must not break the parse
    return json.loads(text.strip().splitlines()[-1])


def query_seconds(out: Path) -> float | None:
    """The in-process query time a python-based job printed with its result, if any."""
    try:
        value = parse_json_groups(out.read_text()).get("query_s")
    except (ValueError, IndexError, AttributeError, OSError):
        return None
    return value if isinstance(value, (int, float)) else None


def parse_miller(text: str) -> dict:
    rows = json.loads(text)
    if isinstance(rows, dict):
        rows = [rows]
    groups = {}
    for r in rows:
        groups[r["action"]] = {
            "count": r["latency_ms_count"], "failures": r["failed_sum"],
            "p50": r["latency_ms_p50"], "p95": r["latency_ms_p95"], "p99": r["latency_ms_p99"],
            "max": r["latency_ms_max"], "first": r["ts_min"], "last": r["ts_max"],
        }
    return {"groups": groups}


def parse_jq_groupby(text: str) -> dict:
    return {"groups": {g.pop("key"): g for g in json.loads(text)}}


def parse_line_count(text: str) -> dict:
    return {"filter_count": sum(1 for line in text.splitlines() if line.strip())}


# --------------------------------------------------------------------------------------------

class Tool:
    def __init__(self, name, argv_fn, parse, slow, describe, available):
        self.name = name
        self.argv_fn = argv_fn
        self.parse = parse
        self.slow = slow
        self.describe = describe
        self.available = available  # (ok: bool, why: str, version: str)
        self.input: Path | None = None
        self.runs: list[Run] = []
        self.contended = 0
        self.result: dict | None = None
        self.error: str | None = None


def py_module(name):
    try:
        return True, "", importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False, f"python module {name!r} not installed (pip install {name})", ""


def command_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""
    except (OSError, subprocess.TimeoutExpired):
        return ""


def binary(name, install_hint):
    path = shutil.which(name)
    if not path:
        return False, f"{name} not found on PATH ({install_hint})", ""
    return True, "", command_version([path, "--version"])


def probe_tlm(tlm: Path, sample: Path):
    """tlm is in the race only when `summarize --format json` works and gives groups."""
    if not tlm.exists():
        return False, f"{tlm} does not exist (run `cargo build --release`)", ""
    try:
        out = subprocess.run([str(tlm), "summarize", "--format", "json", str(sample)],
                             capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"{tlm} summarize failed to run: {e}", ""
    if out.returncode != 0:
        msg = (out.stderr.strip() or out.stdout.strip() or "no output").splitlines()[0][:200]
        return False, f"`tlm summarize --format json` exited {out.returncode}: {msg}", ""
    try:
        parsed = parse_tlm(out.stdout)
        if not parsed["groups"]:
            raise ValueError("no groups")
    except (ValueError, KeyError, TypeError) as e:
        return False, f"`tlm summarize --format json` output is not the documented JSON ({e!r})", ""
    return True, "", command_version([str(tlm), "--version"])


def make_tools(tlm: Path, sample: Path) -> list[Tool]:
    py = sys.executable
    tools = [
        Tool("tlm", lambda f: [str(tlm), "summarize", "--format", "json", str(f)], parse_tlm,
             False, "`target/release/tlm summarize --format json FILE`", probe_tlm(tlm, sample)),
        Tool("duckdb", lambda f: [py, "-c", DUCKDB_JOB, str(f)], parse_json_groups, False,
             "python + duckdb: `read_ndjson(FILE, columns={ts DOUBLE, action VARCHAR, success "
             "BOOLEAN, latency_ms DOUBLE})`, GROUP BY action, count(*) FILTER (WHERE NOT "
             "success), quantile_disc(latency_ms, [0.5, 0.95, 0.99]), max, min/max(ts)", py_module("duckdb")),
        Tool("duckdb-auto", lambda f: [py, "-c", DUCKDB_AUTO_JOB, str(f)], parse_json_groups, False,
             "python + duckdb: as `duckdb` but `read_json_auto(FILE)` (schema inferred), as in "
             "the issue's table", py_module("duckdb")),
        Tool("polars", lambda f: [py, "-c", POLARS_JOB, str(f)], parse_json_groups, False,
             "python + polars: `scan_ndjson(FILE, schema=...)`, group_by('action'), "
             "nearest-rank as `sort().get(ceil(q*N) - 1)`, default engine", py_module("polars")),
        Tool("miller", lambda f: ["mlr", *MILLER_ARGS, str(f)], parse_miller, True,
             "`mlr --ijson --ojson put '$failed = ($success == false) ? 1 : 0' then stats1 "
             "-a count,sum,min,max,p50,p95,p99 -f latency_ms,failed,ts -g action FILE`",
             binary("mlr", "apt-get install -y miller")),
        Tool("jq-filter", lambda f: ["jq", "-c", "select(.latency_ms > 1000)", str(f)],
             parse_line_count, True, "`jq -c 'select(.latency_ms > 1000)' FILE` (a filter, not a summary)",
             binary("jq", "apt-get install -y jq")),
        Tool("jq-groupby", lambda f: ["jq", "-n", "-c", JQ_GROUPBY, str(f)], parse_jq_groupby,
             True, "`jq -n -c '[inputs | [.action, .latency_ms, .success, .ts]] | group_by(.[0]) "
             "| map(...)' FILE`, nearest-rank on the sorted latencies",
             binary("jq", "apt-get install -y jq")),
        Tool("python", lambda f: [py, "-c", PYTHON_JOB, str(f)], parse_json_groups, True,
             "json.loads per line, dict of lists, sorted(), nearest-rank",
             (True, "", f"Python {platform.python_version()}")),
    ]
    return tools


GNU_TIME = "/usr/bin/time"


def busy_jiffies() -> int | None:
    """System-wide busy CPU time (all cores) in clock ticks, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal


def wait_idle(max_wait: float) -> bool:
    """Wait until other processes used less than 10% of a core over one second, at most max_wait s."""
    deadline = time.monotonic() + max_wait
    ticks = os.sysconf("SC_CLK_TCK")
    while True:
        b0 = busy_jiffies()
        time.sleep(1.0)
        b1 = busy_jiffies()
        if b0 is None or b1 is None or (b1 - b0) / ticks < 0.1:
            return True
        if time.monotonic() >= deadline:
            return False


class Run:
    def __init__(self, wall, rss_kib, cpu_s, foreign_cpu_s, rc):
        self.wall = wall
        self.rss_kib = rss_kib
        self.cpu_s = cpu_s  # the tool's user + sys seconds (None without GNU time)
        self.foreign_cpu_s = foreign_cpu_s  # CPU seconds other processes used meanwhile
        self.rc = rc
        self.query_s = None  # the query alone, timed inside a python-based tool's process


def run_once(argv: list[str], stdout_path: Path) -> Run:
    """Wall time, peak RSS, CPU time and exit code of one process.

    The process runs under GNU time (`-f "%M %U %S"`) when it is installed: os.wait4's ru_maxrss
    of a direct child would also count the pages this Python process had when it forked, which
    hides small tools' RSS. Wall time is taken here with perf_counter (GNU time's %e has 10 ms
    steps). The machine's busy time from /proc/stat over the run, less the tool's own CPU time,
    tells whether something else was running at the same time.
    """
    stats_file = Path(str(stdout_path) + ".time")
    use_time = os.access(GNU_TIME, os.X_OK)
    full_argv = [GNU_TIME, "-f", "%M %U %S", "-o", str(stats_file), *argv] if use_time else argv
    with open(stdout_path, "wb") as out, open(str(stdout_path) + ".err", "wb") as err:
        busy0 = busy_jiffies()
        start = time.perf_counter()
        proc = subprocess.Popen(full_argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        busy1 = busy_jiffies()
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    if use_time:
        try:
            # on failure GNU time first writes "Command exited with non-zero status N"
            m, u, sy = stats_file.read_text().strip().splitlines()[-1].split()
            rss, cpu = int(m), float(u) + float(sy)
        except (OSError, ValueError, IndexError):
            pass
    foreign = None
    if busy0 is not None and busy1 is not None:
        foreign = max(0.0, (busy1 - busy0) / os.sysconf("SC_CLK_TCK") - cpu)
    return Run(wall, rss, cpu, foreign, proc.returncode)


def warm(path: Path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def set_page_cache(path: Path, how: str):
    """Drops `path` from the page cache and reads it back so that the kernel holds it in large
    folios ("large": readahead allocates them, up to 2 MiB, which a memory map maps with one
    entry each) or in 4 KiB pages ("small": reads with readahead off). A file just written in
    small pieces sits in small folios, one written in big blocks or read back from disk in large
    ones; tlm maps the file, so its kernel time depends on this, while tools that copy with
    read() hardly notice. "as-is" leaves the cache as it is."""
    if how == "as-is":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        if how == "small":
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
        piece = (64 << 10) if how == "small" else (8 << 20)
        while os.read(fd, piece):
            pass
    finally:
        os.close(fd)


def make_prefix(src: Path, max_bytes: int, workdir: Path) -> Path:
    """The first max_bytes of src, cut back to the last complete line."""
    dst = workdir / f"{src.stem}.prefix-{max_bytes // 1_000_000}MB.jsonl"
    with open(src, "rb") as f:
        data = f.read(max_bytes)
    cut = data.rfind(b"\n")
    with open(dst, "wb") as f:
        f.write(data[: cut + 1] if cut >= 0 else data)
    return dst


def machine_facts() -> list[tuple[str, str]]:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [("cpu", cpu), ("cores (nproc)", str(nproc)), ("ram", ram),
            ("os", f"{platform.system()} {platform.release()}"),
            ("date", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))]


# --------------------------------------------------------------------------------------------
# Agreement

def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= REL_TOL * abs(float(b)) + ABS_TOL_MS


def num(x) -> str:
    return "null" if x is None else f"{float(x):.7g}"


def rel_diff(a, b) -> str:
    if a is None or b is None or not float(b):
        return "n/a"
    return f"{(float(a) - float(b)) / abs(float(b)) * 100:+.3f}%"


def compare(tool: dict, ref: dict, ref_name: str) -> tuple[bool, list[str]]:
    """Problems found comparing a tool's groups with the reference's on the same input."""
    problems = []
    tg, rg = tool["groups"], ref["groups"]
    if set(tg) != set(rg):
        problems.append(f"groups differ: only in tool {sorted(set(tg) - set(rg))}, "
                        f"only in {ref_name} {sorted(set(rg) - set(tg))}")
    worst = 0.0
    for key in sorted(set(tg) & set(rg)):
        t, r = tg[key], rg[key]
        for field in ("count", "failures"):
            if int(t[field]) != int(r[field]):
                problems.append(f"{key}.{field}: {t[field]} vs {ref_name} {r[field]}")
        for field in ("p50", "p95", "p99", "max"):
            if not close(t[field], r[field]):
                problems.append(f"{key}.{field}: {num(t[field])} vs {ref_name} {num(r[field])} "
                                f"({rel_diff(t[field], r[field])})")
            elif r[field]:
                worst = max(worst, abs(float(t[field]) - float(r[field])) / abs(float(r[field])))
        # time span: compare throughput = count / (last - first) when the reference has it
        tput = None
        if "first" in t and t["first"] is not None and t["last"] != t["first"]:
            tput = t["count"] / (float(t["last"]) - float(t["first"]))
        rput = r.get("throughput")
        if rput is None and "first" in r and r["first"] is not None and r["last"] != r["first"]:
            rput = r["count"] / (float(r["last"]) - float(r["first"]))
        if tput is not None and rput is not None and abs(tput - rput) > SPAN_REL_TOL * rput:
            problems.append(f"{key}.throughput: {tput:.6f}/s vs {ref_name} {rput:.6f}/s")
    return not problems, problems + ([f"max percentile deviation {worst * 100:.3f}%"] if not problems else [])


# --------------------------------------------------------------------------------------------

def fmt_ratio(r: float) -> str:
    return f"{r:.0f}x" if r >= 10 else f"{r:.1f}x"


def fmt_mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("file", type=Path, help="JSONL telemetry (see benches/gen_telemetry.rs)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool (default 3)")
    ap.add_argument("--slow-tools-max-mb", type=float, default=None, metavar="N",
                    help="run miller, jq and python on a prefix of at most N MB (10^6 bytes) "
                         "when the file is bigger, and extrapolate their full-file time")
    ap.add_argument("--tlm", type=Path, default=REPO / "target" / "release" / "tlm",
                    help="tlm binary (default target/release/tlm)")
    ap.add_argument("--tools", default=None,
                    help="comma-separated subset: tlm,duckdb,duckdb-auto,polars,miller,jq-filter,"
                         "jq-groupby,python")
    ap.add_argument("--generate", metavar="SIZE", default=None,
                    help="first write FILE with the gen_telemetry example (e.g. 1GiB), seed --seed")
    ap.add_argument("--seed", type=int, default=42, help="seed for --generate (default 42)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where to put the prefix file and tool outputs (default: a temp dir)")
    ap.add_argument("--retry-contended", type=int, default=0, metavar="N",
                    help="rerun a run up to N times when other processes used more than 10%% "
                         "of a core meanwhile (default 0: keep it, and say so)")
    ap.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS",
                    help="before each run, wait up to SECONDS for a second in which other "
                         "processes use less than 10%% of a core (default 0: do not wait)")
    ap.add_argument("--json-out", type=Path, default=None, help="also write raw results as JSON")
    ap.add_argument("--page-cache", choices=["as-is", "large", "small"], default="as-is",
                    help="before the runs, drop the file from the page cache and read it back "
                         "into large folios (as after a read from disk) or small ones (as after "
                         "a write in small pieces); default as-is. See BENCHMARKS.md")
    args = ap.parse_args()

    if args.generate:
        print(f"generating {args.file} ({args.generate}, seed {args.seed}) ...", file=sys.stderr)
        subprocess.run(["cargo", "run", "--quiet", "--release", "--example", "gen_telemetry", "--",
                        "--size", args.generate, "--seed", str(args.seed), "--out", str(args.file)],
                       cwd=REPO, check=True)
    if not args.file.is_file():
        print(f"compare.py: {args.file} is not a file", file=sys.stderr)
        return 2

    own_workdir = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="tlm-bench-")) if own_workdir else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        return bench(args, workdir)
    finally:
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def bench(args, workdir: Path) -> int:
    full = args.file.resolve()
    full_bytes = full.stat().st_size
    sample = make_prefix(full, 1_000_000, workdir)  # for probing tlm quickly
    sample = sample.rename(workdir / "probe-sample.jsonl")

    prefix = full
    if args.slow_tools_max_mb is not None and full_bytes > args.slow_tools_max_mb * 1e6:
        prefix = make_prefix(full, int(args.slow_tools_max_mb * 1e6), workdir)
    prefix_bytes = prefix.stat().st_size

    # Snapshot the tlm binary: a rebuild during the runs must not change what is measured.
    tlm_path, tlm_note = args.tlm, ""
    if args.tlm.is_file():
        tlm_path = workdir / "tlm"
        shutil.copy2(args.tlm, tlm_path)
        digest = hashlib.sha256(tlm_path.read_bytes()).hexdigest()[:16]
        built = dt.datetime.fromtimestamp(args.tlm.stat().st_mtime, dt.timezone.utc)
        tlm_note = f"{args.tlm} (sha256 {digest}…, built {built:%Y-%m-%d %H:%M} UTC)"
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3]) \
        if Path("/proc/loadavg").exists() else "unknown"

    tools = make_tools(tlm_path, sample)
    if args.tools:
        wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
        unknown = set(wanted) - {t.name for t in tools}
        if unknown:
            print(f"compare.py: unknown tools {sorted(unknown)}", file=sys.stderr)
            return 2
        tools = [t for t in tools if t.name in wanted]

    notes = []
    running = []
    for t in tools:
        ok, why, _ = t.available
        if ok:
            t.input = prefix if t.slow else full
            running.append(t)
        else:
            notes.append(f"SKIPPED {t.name}: {why}")
            print(f"skipping {t.name}: {why}", file=sys.stderr)

    for path in {full, prefix}:
        set_page_cache(path, args.page_cache)
        warm(path)

    # alternate: each round runs every tool once, the starting tool rotating
    for rnd in range(args.runs):
        order = running[rnd % len(running):] + running[: rnd % len(running)] if running else []
        for t in order:
            if t.error:
                continue
            out = workdir / f"{t.name}.out"
            for attempt in range(1 + args.retry_contended):
                # Every run starts on a warm page cache (`warm` below): this VM evicts pages not
                # read for a few seconds (a `kdamond` thread), and after a slow tool (Miller,
                # 17 s) the next run would otherwise read part of the file from disk.
                if args.wait_idle > 0 and not wait_idle(args.wait_idle):
                    print(f"machine still busy after waiting {args.wait_idle:.0f} s; running anyway",
                          file=sys.stderr)
                warm(t.input)
                run = run_once(t.argv_fn(t.input), out)
                # contended: other processes used more than 10% of one core meanwhile (and more
                # than 5 clock ticks, the noise floor of /proc/stat and of this script)
                contended = (run.foreign_cpu_s is not None
                             and run.foreign_cpu_s > max(0.1 * run.wall, 0.05))
                print(f"round {rnd + 1}/{args.runs} {t.name:<11} {run.wall:8.3f} s  "
                      f"cpu {run.cpu_s:7.2f} s  {run.rss_kib / 1024:7.0f} MiB  rc={run.rc}"
                      + (f"  CONTENDED: others used {run.foreign_cpu_s:.2f} CPU s"
                         if contended else ""), file=sys.stderr)
                if not contended or run.rc != 0:
                    break
            if run.rc != 0:
                err = Path(str(out) + ".err").read_text(errors="replace").strip()
                t.error = f"exit code {run.rc}: {err.splitlines()[-1][:200] if err else 'no stderr'}"
                continue
            t.runs.append(run)
            t.contended += contended
            run.query_s = query_seconds(out)
            if t.result is None:
                try:
                    t.result = t.parse(out.read_text())
                except (ValueError, KeyError, TypeError, IndexError) as e:
                    t.error = f"could not parse its output: {e!r}"

    # ---------------------------------------------------------------- agreement
    refs: dict[Path, tuple[str, dict]] = {}
    tlm = next((t for t in running if t.name == "tlm" and t.result and not t.error), None)
    if tlm:
        refs[full] = ("tlm", tlm.result)
        if prefix != full:
            out = workdir / "tlm-prefix.out"
            if run_once(tlm.argv_fn(prefix), out).rc == 0:
                refs[prefix] = ("tlm", parse_tlm(out.read_text()))
    for path in (full, prefix):
        if path in refs:
            continue
        for name in ("python", "duckdb", "polars"):
            t = next((t for t in running if t.name == name and t.input == path and t.result), None)
            if t:
                refs[path] = (name, t.result)
                break

    agreement = {}
    for t in running:
        if t.error or not t.result:
            agreement[t.name] = ("error", [t.error or "no result"])
            continue
        ref = refs.get(t.input)
        if "filter_count" in t.result:
            py = next((p for p in running if p.name == "python" and p.input == t.input
                       and p.result), None)
            if py:
                ok = t.result["filter_count"] == py.result["over_1000"]
                agreement[t.name] = ("agree" if ok else "DISAGREE",
                                     [f"{t.result['filter_count']} lines with latency_ms > 1000 "
                                      f"vs python {py.result['over_1000']}"])
            else:
                agreement[t.name] = ("unchecked", [f"{t.result['filter_count']} lines selected; "
                                                   "filter only, no summary to compare"])
            continue
        if ref is None:
            agreement[t.name] = ("unchecked", ["no reference on this input"])
            continue
        ref_name, ref_result = ref
        if t.name == ref_name:
            agreement[t.name] = ("reference", [])
            continue
        ok, problems = compare(t.result, ref_result, ref_name)
        agreement[t.name] = ("agree" if ok else "DISAGREE", problems)

    # ---------------------------------------------------------------- report
    tlm_time = statistics.median(r.wall for r in tlm.runs) if tlm and tlm.runs else None
    tlm_cpu = statistics.median(r.cpu_s for r in tlm.runs) if tlm and tlm.runs else None
    print()
    print("## Machine")
    print()
    for k, v in machine_facts():
        print(f"- {k}: {v}")
    print(f"- load average before the runs: {load_before}")
    print(f"- page cache: {args.page_cache} (`--page-cache`)")
    versions = [f"{t.name}: {t.available[2]}" for t in running if t.available[2]]
    if versions:
        print("- versions: " + "; ".join(versions))
    if tlm_note:
        print(f"- tlm binary: {tlm_note}")
    print()
    print(f"## Results: {full.name}, {full_bytes / 1e6:.1f} MB, median of {args.runs} "
          f"alternating runs, warm page cache")
    print()
    if prefix != full:
        print(f"Slow tools (miller, jq, python) ran on the first {prefix_bytes / 1e6:.1f} MB "
              f"(a line-aligned prefix); their MB/s is measured there and their full-file time "
              f"is extrapolated linearly (\"est.\"). Their CPU time and peak RSS are the prefix "
              f"run's.")
        print()
    print("| tool | input | median wall (s) | MB/s | CPU (s) | peak RSS (MiB) | time vs tlm "
          "| CPU vs tlm | agreement |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    rows = []
    for t in tools:
        if t not in running:
            if t.name == "tlm":
                print(f"| tlm | {full_bytes / 1e6:.0f} MB | pending | pending | pending | pending "
                      f"| – | – | not run: {t.available[1]} |")
            else:
                print(f"| {t.name} | – | skipped | | | | | | {t.available[1]} |")
            continue
        if not t.runs:
            print(f"| {t.name} | | failed | | | | | | {t.error} |")
            continue
        med = statistics.median(r.wall for r in t.runs)
        cpu = statistics.median(r.cpu_s for r in t.runs)
        rss = max(r.rss_kib for r in t.runs)
        in_bytes = t.input.stat().st_size
        mbps = in_bytes / 1e6 / med
        full_time = full_bytes / 1e6 / mbps
        on_prefix = t.input != full
        wall = f"{med:.3f}" + (f" (est. {full_time:.1f} full)" if on_prefix else "")
        scale = full_bytes / in_bytes
        ratio = fmt_ratio(full_time / tlm_time) if tlm_time else "pending"
        cpu_ratio = fmt_ratio(cpu * scale / tlm_cpu) if tlm_cpu else "pending"
        if t.name == "tlm":
            ratio = cpu_ratio = "1.0x"
        verdict, problems = agreement.get(t.name, ("?", []))
        if verdict == "DISAGREE":
            detail = f"DISAGREE ({len(problems)} differences, see below)"
        elif verdict == "agree" and t.name != "jq-filter":
            detail = "agree" + (f" ({problems[0].replace('max percentile deviation', 'max dev')})"
                                if problems else "")
        else:
            detail = verdict + (f" ({problems[0]})" if problems else "")
        print(f"| {t.name} | {'prefix ' if on_prefix else ''}{in_bytes / 1e6:.0f} MB | {wall} | "
              f"{mbps:.0f} | {cpu:.2f} | {rss / 1024:.0f} | {ratio} | {cpu_ratio} | {detail} |")
        rows.append({"tool": t.name, "input": str(t.input), "input_bytes": in_bytes,
                     "walls_s": [r.wall for r in t.runs], "cpu_s": [r.cpu_s for r in t.runs],
                     "foreign_cpu_s": [r.foreign_cpu_s for r in t.runs],
                     "median_s": med, "mb_per_s": mbps, "est_full_time_s": full_time,
                     "peak_rss_kib": rss, "agreement": verdict, "problems": problems,
                     "version": t.available[2], "contended_runs": t.contended})
    print()
    print("MB = 10^6 bytes of input. CPU = median user+sys seconds (above the wall time when a tool "
          "uses both cores). Time vs tlm and CPU vs tlm = the tool's full-file (or extrapolated) "
          "wall time and CPU time over tlm's; CPU time is the steadier figure on a shared machine. Python-based tools include interpreter start-up and imports.")
    timed = [t for t in running if t.runs and all(r.query_s is not None for r in t.runs)]
    if timed and tlm_time:
        print()
        print("The query alone, timed inside the python process (without the interpreter's start, "
              "the import and the exit, about 0.2 s; what DuckDB's own CLI would take), against "
              "tlm's whole process:")
        print()
        print("| tool | median query (s) | MB/s | time vs tlm |")
        print("| --- | ---: | ---: | ---: |")
        for t in timed:
            q = statistics.median(r.query_s for r in t.runs)
            print(f"| {t.name} | {q:.3f} | {t.input.stat().st_size / 1e6 / q:.0f} | "
                  f"{fmt_ratio(q * full_bytes / t.input.stat().st_size / tlm_time)} |")
            rows_by_tool = next((r for r in rows if r["tool"] == t.name), None)
            if rows_by_tool is not None:
                rows_by_tool["query_s"] = [r.query_s for r in t.runs]
    contended = [f"{t.name} {t.contended}/{len(t.runs)}" for t in running if t.contended]
    if contended:
        print()
        print("Noise: in some runs other processes used more than 10% of a core meanwhile "
              f"(runs affected: {', '.join(contended)}); rerun on an idle machine or with "
              "--retry-contended N.")
    print()
    print("Tool commands (FILE is the input):")
    print()
    for t in running:
        print(f"- {t.name}: {t.describe}")
    print()
    print("## Agreement")
    print()
    for t in running:
        verdict, problems = agreement.get(t.name, ("?", []))
        ref = refs.get(t.input, ("none", None))[0]
        ref_note = "" if verdict in ("reference",) else f" (reference: {ref} on the same input)"
        if t.name == "jq-filter":
            ref_note = " (reference: python's count on the same input)"
        print(f"- {t.name}: {verdict}{ref_note}" + (": " + "; ".join(problems[:8]) if problems else "")
              + (f"; … {len(problems) - 8} more" if len(problems) > 8 else ""))
    for n in notes:
        print(f"- {n}")
    if not tlm:
        print("- tlm is not in the race: its rows are pending; the other tools were checked "
              "against the first of python, duckdb, polars on the same input.")

    if args.json_out:
        args.json_out.write_text(json.dumps({
            "file": str(full), "bytes": full_bytes, "runs": args.runs,
            "slow_tools_input_bytes": prefix_bytes, "machine": dict(machine_facts()),
            "rows": rows, "skipped": notes}, indent=2))
    return 0 if all(v[0] not in ("DISAGREE", "error") for v in agreement.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
