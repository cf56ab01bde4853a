#!/bin/sh
# Writes vnc-session.tshark.txt: tshark's per-message-type counts for vnc-session.pcap, client
# types under their number, server types as 256 + number (VNC.serverCodeBase), as the dissector
# counts them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
{
    echo "# tshark $(tshark --version | head -1 | awk '{print $3}'): vnc.client_message_type as <type> <count>,"
    echo "# vnc.server_message_type as <256 + type> <count>"
    tshark -r "$here/vnc-session.pcap" -d tcp.port==5901,vnc -T fields -E occurrence=a \
        -e vnc.client_message_type 2>/dev/null | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c |
        awk '{print $2, $1}'
    tshark -r "$here/vnc-session.pcap" -d tcp.port==5901,vnc -T fields -E occurrence=a \
        -e vnc.server_message_type 2>/dev/null | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c |
        awk '{print 256 + $2, $1}'
} > "$here/vnc-session.tshark.txt"
