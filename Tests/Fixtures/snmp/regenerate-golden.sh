#!/usr/bin/env bash
# Regenerates the tshark golden counts for the SNMP tests (read the diff before committing):
#   messages <frames tshark dissects as SNMP>
#   function <snmp.data> <count>          (the PDU choice; Converge's SNMP.Packet.functionCode)
# Local copies: <name>.tshark.txt next to <name>.pcap. Shared captures (../shared/captures, found
# relative to the package root): shared-golden/<path with / as __>.tshark.txt.
set -euo pipefail
cd "$(dirname "$0")"
shared="../../../../shared/captures"

golden() {
    local frames
    frames=$(tshark -r "$1" -Y snmp -T fields -e frame.number 2>/dev/null | wc -l)
    echo "messages $frames"
    tshark -r "$1" -Y snmp -T fields -E occurrence=a -e snmp.data 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{ print "function", $2, $1 }'
}

for pcap in *.pcap; do
    golden "$pcap" > "${pcap%.pcap}.tshark.txt"
    echo "wrote ${pcap%.pcap}.tshark.txt"
done

mkdir -p shared-golden
for path in public/iti/IEC61850/Sample_File_MMS_and_GOOSE.pcap generated/it_mix.pcap; do
    out="shared-golden/$(echo "${path%.pcap}" | sed 's#/#__#g').tshark.txt"
    golden "$shared/$path" > "$out"
    echo "wrote $out"
done
