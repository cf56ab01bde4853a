#!/usr/bin/env bash
# tshark 4.0.17 golden for profinet.pcap: "messages <n>" and "function <dcerpc.opnum> <n>" over
# DCE/RPC connectionless packets (dcerpc.ver == 4) on UDP 34964.
set -euo pipefail
cd "$(dirname "$0")"
ops=$(tshark -r profinet.pcap -Y 'udp.port == 34964 && dcerpc.ver == 4' -T fields -E occurrence=a \
    -e dcerpc.opnum 2>/dev/null | tr ',' '\n' | grep -v '^$')
{
    echo "messages $(echo "$ops" | grep -c .)"
    echo "$ops" | sort -n | uniq -c | awk '{print "function", $2, $1}'
} > profinet.tshark.txt
