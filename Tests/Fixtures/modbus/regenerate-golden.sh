#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture: one "<function code> <count>" line per
# modbus.func_code value (a frame may carry several ADUs; exceptions count under their function
# code without the exception bit, as Wireshark does), then "exceptions <count>".
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"
for pcap in *.pcap; do
    out="${pcap%.pcap}.tshark.txt"
    {
        tshark -r "$pcap" -Y modbus -T fields -e modbus.func_code 2>/dev/null \
            | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{print $2, $1}'
        echo "exceptions $(tshark -r "$pcap" -Y modbus.exception_code -T fields -e modbus.exception_code 2>/dev/null \
            | tr ',' '\n' | grep -vc '^$' || true)"
    } > "$out"
    echo "wrote $out"
done
