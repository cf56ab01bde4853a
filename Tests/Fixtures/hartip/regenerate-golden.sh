#!/usr/bin/env bash
# tshark 4.0.17 golden for hart_ip.pcap, one file per transport: "messages <n>" and
# "function <hart_ip.message_id> <n>". The UDP count leaves out frame 27, an ICMP port-unreachable
# that quotes a HART-IP datagram (tshark dissects the quote; it is not a message on the wire).
set -euo pipefail
cd "$(dirname "$0")"
golden() {
    ids=$(tshark -r hart_ip.pcap -Y "$1" -T fields -E occurrence=a -e hart_ip.message_id 2>/dev/null \
        | tr ',' '\n' | grep -v '^$')
    echo "messages $(echo "$ids" | grep -c .)"
    echo "$ids" | sort -n | uniq -c | awk '{print "function", $2, $1}'
}
golden 'hart_ip && udp && !icmp' > hart_ip.udp.tshark.txt
golden 'hart_ip && tcp' > hart_ip.tcp.tshark.txt
