#!/usr/bin/env bash
# Regenerates kerberos.tshark.txt from kerberos.pcap with tshark (4.0.17 here). Read the diff
# before committing it. Per transport (udp = port 88 datagrams, tcp = port 88 records):
#   function <kerberos.msg_type> <count>   the outer message's type: tshark's first occurrence.
#       tshark also lists the AP-REQ carried inside a TGS-REQ's PA-TGS-REQ as a second
#       kerberos.msg_type (14); here it is part of its TGS-REQ, which is counted once, as 12.
#   realm <kerberos.realm> <count>         messages whose first kerberos.realm is this.
#   cname <kerberos.CNameString> <count>   messages whose CNameString occurrences, joined by
#       "/", are this (tshark prints a principal's components as separate occurrences).
# Each frame of this capture holds one Kerberos message.
set -euo pipefail
cd "$(dirname "$0")"
{
    echo "# tshark $(tshark --version | head -1 | awk '{print $3}') on kerberos.pcap; see regenerate-golden.sh"
    for transport in udp tcp; do
        tshark -r kerberos.pcap -Y "kerberos && $transport" -T fields -E occurrence=a -E aggregator='|' \
            -e kerberos.msg_type -e kerberos.realm -e kerberos.CNameString 2>/dev/null \
        | python3 -c '
import sys, collections
transport = sys.argv[1]
counts = collections.Counter()
for line in sys.stdin:
    fields = line.rstrip("\n").split("\t")
    types, realms, cnames = (fields + ["", "", ""])[:3]
    if not types:
        continue
    counts[("function", types.split("|")[0])] += 1
    if realms:
        counts[("realm", realms.split("|")[0])] += 1
    if cnames:
        counts[("cname", "/".join(cnames.split("|")))] += 1
for (kind, value), n in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1].zfill(4))):
    print(transport, kind, value, n)
' "$transport"
    done
} > kerberos.tshark.txt
echo "wrote kerberos.tshark.txt"
