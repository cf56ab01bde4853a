#!/usr/bin/env bash
# Regenerates the tshark golden counts: one "<function code> <count>" line per modbus.func_code
# value (a frame may carry several ADUs; exceptions count under their function code without the
# exception bit, as Wireshark does), then "exceptions <count>".
#  - next to each capture in this folder: <name>.tshark.txt
#  - for the Modbus captures of ../shared/captures/public (not copied here, too large):
#    shared-golden/<path with / as __>.tshark.txt
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

golden() {
    tshark -r "$1" -Y modbus -T fields -e modbus.func_code 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{print $2, $1}'
    echo "exceptions $(tshark -r "$1" -Y modbus.exception_code -T fields -e modbus.exception_code 2>/dev/null \
        | tr ',' '\n' | grep -vc '^$' || true)"
}

for pcap in *.pcap; do
    golden "$pcap" > "${pcap%.pcap}.tshark.txt"
    echo "wrote ${pcap%.pcap}.tshark.txt"
done

public=../../../../shared/captures/public
if [ -d "$public" ]; then
    mkdir -p shared-golden
    awk -F'\t' '$5 ~ /modbus/ {print $1}' "$public/CATALOGUE.tsv" | while read -r path; do
        out="shared-golden/${path//\//__}"
        golden "$public/$path" > "${out%.pcap}.tshark.txt"
        echo "wrote ${out%.pcap}.tshark.txt"
    done
fi
