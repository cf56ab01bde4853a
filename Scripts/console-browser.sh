#!/usr/bin/env bash
# Builds a store from the shared captures plus the crafted hostile capture, runs the real
# `converge serve` on 127.0.0.1, and has headless Chromium log in and screenshot the overview, the
# asset list, an asset and the map (PNG files in the output folder, not in the repository).
#
# usage: Scripts/console-browser.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${TMPDIR:-/tmp}/converge-console-shots}"
port="${CONVERGE_BROWSER_PORT:-18081}"
mkdir -p "$out"
store="$out/browser.sqlite"
rm -f "$store" "$store-wal" "$store-shm"
swift build --product converge >/dev/null
bin="$(swift build --show-bin-path)/converge"
captures=(Tests/Fixtures/console/hostile.pcap)
for f in modbus_normal s7comm enip it_mix dnp3 bacnet mqtt; do
  [ -f "../shared/captures/generated/$f.pcap" ] && captures+=("../shared/captures/generated/$f.pcap")
done
"$bin" analyze --database "$store" "${captures[@]}" >/dev/null
password="shots-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$password" | "$bin" users add shots --role admin --database "$store" >/dev/null
"$bin" serve --database "$store" --port "$port" 2>"$out/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.2; done
asset="$(sqlite3 "$store" "SELECT id FROM assets WHERE record LIKE '%<script>%' LIMIT 1" 2>/dev/null || true)"
paths=(/ /assets /map /conversations)
[ -n "$asset" ] && paths+=("/assets/$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$asset")")
python3 Tests/Fixtures/console/browser_check.py /usr/bin/chromium "http://127.0.0.1:$port" shots "$password" \
  "${paths[@]}" --screenshots "$out" > "$out/report.json"
python3 - "$out/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print("login ->", r["login"])
for path, page in r["pages"].items():
    print(f'{path}: title={page["title"]!r} rows={page["rows"]} nodes={page["nodes"]} pwned={page["pwned"]} injected={page["injected"]}')
PY
echo "screenshots in $out"
