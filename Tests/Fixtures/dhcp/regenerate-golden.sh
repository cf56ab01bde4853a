#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture in this folder (<name>.dhcp.txt):
#   function <dhcp.option.dhcp> <count>   DHCP messages by message type (option 53)
#   messages all <count>                  every BOOTP/DHCP message, with or without option 53
# DHCP quoted inside ICMP errors is left out. Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

for pcap in *.pcap; do
    out=${pcap%.pcap}.dhcp.txt
    tshark -r "$pcap" -Y "dhcp && !icmp" -T fields -E occurrence=f -e dhcp.option.dhcp 2>/dev/null \
        | awk '{ all++; if ($1 != "") seen[$1]++ }
               END { for (code in seen) print "function", code, seen[code]; print "messages all", all + 0 }' \
        | sort -k1,1 -k2,2n > "$out"
    echo "wrote $out"
done
