#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture in this folder (<name>.ssdp.txt):
#   function <code> <count>, code 1 for http.request.method NOTIFY, 2 for M-SEARCH, 3 for any other
#   method, and http.response.code for responses (Converge's SSDP numbering).
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

for pcap in *.pcap; do
    out=${pcap%.pcap}.ssdp.txt
    tshark -r "$pcap" -Y "ssdp && !icmp" -T fields -E separator=/t -e http.request.method -e http.response.code \
        2>/dev/null \
        | awk -F'\t' '{ if ($1 == "NOTIFY") c = 1; else if ($1 == "M-SEARCH") c = 2; else if ($1 != "") c = 3; else c = $2
                       seen[c]++ }
                     END { for (c in seen) print "function", c, seen[c] }' | sort -k2,2n > "$out"
    echo "wrote $out"
done
