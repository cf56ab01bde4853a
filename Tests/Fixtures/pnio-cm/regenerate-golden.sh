#!/usr/bin/env bash
# tshark 4.0.17 goldens, one per capture: "messages <n>" and "function <dcerpc.opnum> <n>" over
# DCE/RPC connectionless packets (dcerpc.ver == 4) on UDP 34964.
set -euo pipefail
cd "$(dirname "$0")"
for capture in profinet handmade; do
    ops=$(tshark -r "$capture.pcap" -Y 'udp.port == 34964 && dcerpc.ver == 4' -T fields -E occurrence=a \
        -e dcerpc.opnum 2>/dev/null | tr ',' '\n' | grep -v '^$')
    {
        echo "messages $(echo "$ops" | grep -c .)"
        echo "$ops" | sort -n | uniq -c | awk '{print "function", $2, $1}'
    } > "$capture.tshark.txt"
done
