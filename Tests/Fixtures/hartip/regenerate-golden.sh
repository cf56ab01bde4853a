#!/usr/bin/env bash
# tshark 4.0.17 golden: "messages <n>" and "function <hart_ip.message_id> <n>" for hart_ip.pcap.
set -euo pipefail
cd "$(dirname "$0")"
ids=$(tshark -r hart_ip.pcap -T fields -E occurrence=a -e hart_ip.message_id 2>/dev/null | tr ',' '\n' | grep -v '^$')
{ echo "messages $(echo "$ids" | grep -c .)"; echo "$ids" | sort -n | uniq -c | awk '{print "function", $2, $1}'; } \
    > hart_ip.tshark.txt
