#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture in this folder:
#   <name>.nbns.txt   function <nbns.flags.response * 16 + nbns.flags.opcode> <count>
#   <name>.nbdgm.txt  function <nbdgm.type> <count>, and browser <browser.command> <count>
# (a file only when tshark finds messages; NetBIOS quoted inside ICMP errors left out).
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

for pcap in *.pcap; do
    base=${pcap%.pcap}
    text=$(tshark -r "$pcap" -Y "nbns && !icmp" -T fields -E occurrence=f -e nbns.flags.response \
        -e nbns.flags.opcode 2>/dev/null \
        | awk -F'\t' '{ seen[($1 * 16) + $2]++ } END { for (c in seen) print "function", c, seen[c] }' | sort -k2,2n)
    if [ -n "$text" ]; then echo "$text" > "$base.nbns.txt"; echo "wrote $base.nbns.txt"; fi
    text=$(tshark -r "$pcap" -Y "nbdgm && !icmp" -T fields -E occurrence=f -e nbdgm.type -e browser.command \
        2>/dev/null \
        | awk -F'\t' '
            function hex(s,    n, i, d) { n = 0; s = tolower(s); sub(/^0x/, "", s)
                for (i = 1; i <= length(s); i++) { d = index("0123456789abcdef", substr(s, i, 1)) - 1; n = n * 16 + d }
                return n }
            { seen["function " $1]++; if ($2 != "") seen["browser " hex($2)]++ }
            END { for (k in seen) print k, seen[k] }' | sort -k1,1 -k2,2n)
    if [ -n "$text" ]; then echo "$text" > "$base.nbdgm.txt"; echo "wrote $base.nbdgm.txt"; fi
done
