#!/usr/bin/env bash
# Benchmark of the console's asset list: a generated 10,000-asset store, `converge serve` (release)
# on 127.0.0.1, 50 concurrent clients with wrk on /api/assets (plain, sorted deep page, filtered
# search), p50/p99 reported. Traffic stays on loopback; every run is bounded in time.
#
# usage: Scripts/console-bench.sh [SECONDS_PER_RUN]   (needs wrk: apt-get install wrk)
# CONVERGE_BENCH_STORE_FILE=FILE benchmarks a copy of that store instead of generating one (e.g. to
# compare two builds on the same data); CONVERGE_BENCH_SKIP_BUILD=1 uses the release binary as built;
# CONVERGE_BENCH_BIN=PATH runs that converge binary instead (an earlier build, for a before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
port="${CONVERGE_BENCH_PORT:-18080}"
out="${TMPDIR:-/tmp}/converge-console-bench"
mkdir -p "$out"
store="$out/bench.sqlite"
command -v wrk >/dev/null || { echo "console-bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

if [ -z "${CONVERGE_BENCH_SKIP_BUILD:-}" ]; then
  echo "== building (release)"
  swift build -c release --product converge >/dev/null
fi
bin="${CONVERGE_BENCH_BIN:-$(swift build -c release --show-bin-path)/converge}"

if [ -n "${CONVERGE_BENCH_STORE_FILE:-}" ]; then
  echo "== copying $CONVERGE_BENCH_STORE_FILE to $store"
  rm -f "$store" "$store-wal" "$store-shm"
  cp "$CONVERGE_BENCH_STORE_FILE" "$store"
else
  echo "== generating a 10,000-asset store at $store"
  CONVERGE_BENCH_STORE="$store" swift test --filter BenchStoreTests >/dev/null
fi
password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" | "$bin" users add bench --role viewer --database "$store" >/dev/null

"$bin" serve --database "$store" --port "$port" 2>"$out/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.2; done

cookie="$(curl -s -o /dev/null -D - -X POST --data-urlencode "username=bench" --data-urlencode "password=$password" \
  "http://127.0.0.1:$port/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')"
[ -n "$cookie" ] || { echo "console-bench: login failed" >&2; exit 1; }
total="$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/assets?per_page=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')"
echo "== store holds $total assets"

run() {
  local name="$1" path="$2"
  echo "== $name: GET $path, 50 connections, ${duration}s"
  wrk -t2 -c50 -d"${duration}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path" > "$out/$name.txt"
  grep -E "Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors" "$out/$name.txt" | sed 's/^/   /'
}
run first-page "/api/assets"
run deep-sorted "/api/assets?page=150&sort=-last_seen"
run filtered "/api/assets?vendor=Siemens&q=host-99&sort=vendor"
run page-html "/assets?page=40&sort=-vendor"
echo "== full wrk output in $out"
