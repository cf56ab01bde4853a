#!/bin/sh
# Regenerates omron_test.golden: omron.command counts per transport, as tshark 4.0.17 counts them
# (`-E occurrence=a`, one line per field occurrence), as decimal function codes.
set -e
cd "$(dirname "$0")"
count() {
    tshark -r omron_test.pcap -Y "$1" -T fields -E occurrence=a -e omron.command 2>/dev/null |
        tr ',' '\n' | grep . | sort | uniq -c | while read -r n code; do
            echo "$2 function $(printf '%d' "$code") $n"
        done
}
{
    echo "# tshark -r omron_test.pcap -T fields -E occurrence=a -e omron.command, split by transport"
    echo "udp messages $(tshark -r omron_test.pcap -Y 'omron && udp' 2>/dev/null | wc -l)"
    count "omron && udp" udp
    echo "tcp messages $(tshark -r omron_test.pcap -Y 'omron && tcp' 2>/dev/null | wc -l)"
    count "omron && tcp" tcp
} > omron_test.golden
