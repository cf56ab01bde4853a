#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture in this folder (<name>.dhcpv6.txt):
#   function <dhcpv6.msgtype> <count>, the outermost message type of each message (occurrence=f:
#   Converge counts a relayed message once, under its relay type).
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

for pcap in *.pcap; do
    out=${pcap%.pcap}.dhcpv6.txt
    tshark -r "$pcap" -Y "dhcpv6 && !icmpv6" -T fields -E occurrence=f -e dhcpv6.msgtype 2>/dev/null \
        | awk '{ seen[$1]++ } END { for (c in seen) print "function", c, seen[c] }' | sort -k2,2n > "$out"
    echo "wrote $out"
done
