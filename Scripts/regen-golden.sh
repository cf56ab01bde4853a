#!/usr/bin/env bash
# Regenerates the golden files of Tests/Fixtures/golden from tshark/capinfos (Wireshark 4.0.17, Debian).
#
#   Scripts/regen-golden.sh            # all of ../shared/captures/{public,generated} and the bundled sample
#   SHARED=/path/to/shared Scripts/regen-golden.sh
#
# One JSON file per capture, mirroring its path: golden/public/<relative path>.json,
# golden/generated/<name>.json, golden/sample/plant.pcap.json. Fields and how tshark counts them:
# docs/golden-notes.md. Idempotent: a file is rewritten only when a value changes; stale files are removed.
# Needs bash, python3 (standard library) and tshark + capinfos; two tshark processes run at a time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED:-$root/../shared}"
jobs="${JOBS:-2}"

if [[ ! -d "$shared/captures" ]]; then
    echo "regen-golden: no captures at $shared/captures (set SHARED=...)" >&2
    exit 1
fi
for tool in tshark capinfos python3; do
    command -v "$tool" >/dev/null || { echo "regen-golden: $tool not found (apt-get install tshark)" >&2; exit 1; }
done
version="$(tshark --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9.]*\).*/\1/p')"
if [[ "$version" != "4.0.17" ]]; then
    echo "regen-golden: warning: tshark $version, the committed golden files come from 4.0.17" >&2
fi

extra=()
sample="$root/Tests/Fixtures/sample/plant.pcap"
if [[ -f "$sample" ]]; then
    extra+=(--extra "sample/plant.pcap=$sample")
fi

start=$SECONDS
python3 "$root/Scripts/tshark_golden.py" --shared "$shared" --out "$root/Tests/Fixtures/golden" \
    --jobs "$jobs" "${extra[@]}"
echo "golden: done in $((SECONDS - start)) s"
