#!/usr/bin/env bash
# Regenerates ldap.tshark.txt from ldap.pcap (LDAP over TCP 389) and cldap.pcap (CLDAP over UDP
# 389) with tshark (4.0.17 here). Read the diff before committing it. Lines:
#   <capture> function <ldap.protocolOp> <count>   every occurrence (several messages per frame count each)
#   <capture> name <ldap.name> <count>             BindRequest names, non-empty
#   <capture> base <ldap.baseObject> <count>       SearchRequest bases, non-empty
# After the StartTLS in ldap.pcap the flow is TLS: tshark shows TLS there and counts no LDAP, as here.
set -euo pipefail
cd "$(dirname "$0")"
{
    echo "# tshark $(tshark --version | head -1 | awk '{print $3}') on ldap.pcap and cldap.pcap; see regenerate-golden.sh"
    for capture in ldap cldap; do
        tshark -r "$capture.pcap" -Y "ldap || cldap" -T fields -E occurrence=a -E aggregator='|' \
            -e ldap.protocolOp -e ldap.name -e ldap.baseObject 2>/dev/null \
        | python3 -c '
import sys, collections
capture = sys.argv[1]
counts = collections.Counter()
for line in sys.stdin:
    ops, names, bases = (line.rstrip("\n").split("\t") + ["", "", ""])[:3]
    for kind, values in (("function", ops), ("name", names), ("base", bases)):
        for value in filter(None, values.split("|")):
            counts[(kind, value)] += 1
for (kind, value), n in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1].zfill(4))):
    print(capture, kind, value, n)
' "$capture"
    done
} > ldap.tshark.txt
echo "wrote ldap.tshark.txt"
