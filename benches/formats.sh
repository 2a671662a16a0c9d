#!/usr/bin/env bash
# MB/s of `tlm summarize` for each input format, on the same generated records.
# Usage: benches/formats.sh [SIZE] [RUNS]   (default 256MiB, best of 3)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-256MiB}
runs=${2:-3}
dir=${TLM_BENCH_DIR:-/tmp/tlm-formats}
mkdir -p "$dir"
cargo build --release --quiet
cargo build --release --quiet --example gen_telemetry
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf '| format | file | MB | best wall (s) | MB/s | peak RSS (MiB) |\n| --- | --- | ---: | ---: | ---: | ---: |\n'
for format in json logfmt access python; do
    file="$dir/telemetry.$format"
    [ -s "$file" ] || ./target/release/examples/gen_telemetry --size "$size" --format "$format" --out "$file"
    best=""
    rss=0
    for _ in $(seq "$runs"); do
        out=$( { /usr/bin/time -f '%e %M' ./target/release/tlm summarize -q --format json "$file" >/dev/null; } 2>&1 | tail -1)
        wall=${out% *}
        kib=${out#* }
        if [ -z "$best" ] || awk "BEGIN {exit !($wall < $best)}"; then best=$wall; fi
        [ "$kib" -gt "$rss" ] && rss=$kib
    done
    bytes=$(stat -c %s "$file")
    awk -v f="$format" -v b="$bytes" -v w="$best" -v r="$rss" -v n="$(basename "$file")" \
        'BEGIN {printf "| %s | %s | %.0f | %.3f | %.0f | %.0f |\n", f, n, b/1e6, w, b/1e6/w, r/1024}'
done
