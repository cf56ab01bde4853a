#!/bin/sh
# Writes tacacs-exchange.tshark.txt: tshark's tacplus.type counts (the dissector's function code).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
{
    echo "# tshark $(tshark --version 2>/dev/null | head -1 | awk '{print $3}'): tacplus.type as '<type> <count>'"
    tshark -r "$here/tacacs-exchange.pcap" -T fields -E occurrence=a -e tacplus.type 2>/dev/null |
        tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{print $2, $1}'
} > "$here/tacacs-exchange.tshark.txt"
