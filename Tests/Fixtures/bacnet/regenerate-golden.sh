#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture in this folder (<name>.tshark.txt):
#   confirmed <bacapp.confirmed_service> <count>
#   unconfirmed <bacapp.unconfirmed_service> <count>
#   type <bacapp.type> <count>
# Converge counts a confirmed service under its number and an unconfirmed one under 256 + its
# number (BACnetIP.unconfirmedServiceBase); the test maps the two back. Read the diff before
# committing it.
set -euo pipefail
cd "$(dirname "$0")"

golden() {
    tshark -r "$1" -T fields -E occurrence=a -E separator=/t \
        -e bacapp.confirmed_service -e bacapp.unconfirmed_service -e bacapp.type 2>/dev/null \
        | awk -F'\t' '
            function count(kind, field,    n, parts, i) {
                n = split(field, parts, ",")
                for (i = 1; i <= n; i++) if (parts[i] != "") seen[kind " " parts[i]]++
            }
            { count("confirmed", $1); count("unconfirmed", $2); count("type", $3) }
            END { for (key in seen) print key, seen[key] }' \
        | sort -k1,1 -k2,2n
}

for pcap in *.pcap; do
    golden "$pcap" > "${pcap%.pcap}.tshark.txt"
    echo "wrote ${pcap%.pcap}.tshark.txt"
done
