#!/usr/bin/env bash
# Regenerates the tshark golden counts: one "<mqtt.msgtype> <count>" line per packet type
# (a frame may carry several MQTT packets; -E occurrence=a lists them all).
#  - next to each capture in this folder: <name>.tshark.txt
#  - for the MQTT captures of ../shared/captures (not copied here):
#    shared-golden/<path under captures/ with / as __>.tshark.txt
# Deliberate differences from tshark are declared in shared-golden/DIFFERENCES.txt, not here.
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

golden() {
    tshark -r "$1" -Y mqtt -T fields -E occurrence=a -e mqtt.msgtype 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{print $2, $1}'
}

for pcap in *.pcap; do
    golden "$pcap" > "${pcap%.pcap}.tshark.txt"
    echo "wrote ${pcap%.pcap}.tshark.txt"
done

captures=../../../../shared/captures
if [ -d "$captures/public" ]; then
    mkdir -p shared-golden
    { awk -F'\t' '$5 ~ /mqtt/ {print "public/" $1}' "$captures/public/CATALOGUE.tsv"; echo generated/mqtt.pcap; } \
        | while read -r path; do
            out="shared-golden/${path//\//__}"
            golden "$captures/$path" > "${out%.pcap}.tshark.txt"
            echo "wrote ${out%.pcap}.tshark.txt"
        done
fi
