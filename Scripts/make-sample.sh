#!/usr/bin/env bash
# Rebuilds the bundled sample capture Tests/Fixtures/sample/plant.pcap: every capture of
# ../shared/captures/generated merged in time order (mergecap, classic pcap). See Tests/Fixtures/sample/README.md.
# Then run Scripts/regen-golden.sh to refresh its golden file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED:-$root/../shared}"
out="$root/Tests/Fixtures/sample/plant.pcap"
mkdir -p "$(dirname "$out")"
shopt -s nullglob
inputs=("$shared"/captures/generated/*.pcap)
(( ${#inputs[@]} > 0 )) || { echo "make-sample: no captures in $shared/captures/generated" >&2; exit 1; }
# mergecap merges chronologically by default; -F pcap keeps the classic format (microsecond, Ethernet)
mergecap -F pcap -w "$out.tmp" "${inputs[@]}"
mv "$out.tmp" "$out"
size=$(stat -c %s "$out")
(( size < 1048576 )) || echo "make-sample: warning: $out is $size bytes (keep it under 1 MB)" >&2
echo "make-sample: ${#inputs[@]} captures -> $out ($size bytes)"
capinfos -c -u -a -e "$out" 2>/dev/null | tail -n +2
