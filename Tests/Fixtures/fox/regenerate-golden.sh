#!/usr/bin/env bash
# Regenerates fox_info.golden with tshark 4.0.17. tshark has no Niagara Fox dissector, so the
# golden holds what it can say: each port-1911 TCP payload's direction and length, and the
# first line of each ("fox a 1 -1 fox hello"). Each segment here is one whole Fox message.
# Read the diff before accepting it.
set -euo pipefail
cd "$(dirname "$0")"
tshark -r fox_info.pcap -Y 'tcp.port==1911 && tcp.len>0' -T fields -e tcp.dstport -e tcp.len -e tcp.payload \
    2>/dev/null | while IFS=$'\t' read -r port length payload; do
        first=$(echo "$payload" | xxd -r -p | head -n 1)
        direction=$([ "$port" = 1911 ] && echo to_server || echo to_client)
        echo "$direction $length $first"
    done > fox_info.golden
