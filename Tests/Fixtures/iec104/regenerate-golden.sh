#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture in this folder (<name>.tshark.txt):
#  - one "<type id> <count>" line per iec60870_asdu.typeid value (a frame may carry several APDUs),
#  - then "i_frames", "s_frames", "u_frames": APDUs of each APCI format (iec60870_104.type).
# Deliberate differences from tshark are listed in DIFFERENCES.txt, not edited into these files.
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

golden() {
    tshark -r "$1" -T fields -E occurrence=a -e iec60870_asdu.typeid 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{print $2, $1}'
    types=$(tshark -r "$1" -Y iec60870_104 -T fields -E occurrence=a -e iec60870_104.type 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' || true)
    echo "i_frames $(grep -c '^0x00000000$' <<<"$types" || true)"
    echo "s_frames $(grep -c '^0x00000001$' <<<"$types" || true)"
    echo "u_frames $(grep -c '^0x00000003$' <<<"$types" || true)"
}

for pcap in *.pcap; do
    golden "$pcap" > "${pcap%.pcap}.tshark.txt"
    echo "wrote ${pcap%.pcap}.tshark.txt"
done
