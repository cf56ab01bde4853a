#!/usr/bin/env bash
# Regenerates tshark-counts.txt: tshark 4.0.17's counts on the PROFINET fixture captures.
#
#   regenerate-golden.sh            golden file from the committed fixture captures
#   regenerate-golden.sh --fixtures also re-extracts mb2-dcp.pcap (every frame tshark calls
#                                   pn_rt in ../shared/captures/public/iti/ModbusTCP/mb2.pcap)
#
# Lines are tab-separated: <capture> <key> <value> <count>, keys:
#   function <pn_dcp.service_id>    (DCP frames; the dissector's function code)
#   frame_id <pn_rt.frame_id>       (every PROFINET frame, decimal)
#   messages all <frames tshark calls pn_rt>
# Read the diff before committing it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
package=$(cd "$here/../../.." && pwd)
shared="$package/../shared/captures/public"

if [[ "${1:-}" == "--fixtures" ]]; then
    tshark -r "$shared/iti/ModbusTCP/mb2.pcap" -Y pn_rt -F pcap -w "$here/mb2-dcp.pcap" 2>/dev/null
fi

out="$here/tshark-counts.txt"
: > "$out"
for capture in dcp-change-ip.pcap dcp-identify-requests.pcap dcp-set-name-vlan.pcap mb2-dcp.pcap; do
    file="$here/$capture"
    tshark -r "$file" -Y pn_rt -T fields -E occurrence=a -e pn_dcp.service_id 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c \
        | awk -v c="$capture" '{ printf "%s\tfunction\t%s\t%s\n", c, $2, $1 }' >> "$out"
    tshark -r "$file" -Y pn_rt -T fields -E occurrence=a -e pn_rt.frame_id 2>/dev/null \
        | sort -n | uniq -c \
        | awk -v c="$capture" '{ printf "%s\tframe_id\t%s\t%s\n", c, $2, $1 }' >> "$out"
    n=$(tshark -r "$file" -Y pn_rt 2>/dev/null | wc -l)
    printf '%s\tmessages\tall\t%s\n' "$capture" "$n" >> "$out"
done
echo "wrote $out"
