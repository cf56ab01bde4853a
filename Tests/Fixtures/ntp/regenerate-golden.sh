#!/usr/bin/env bash
# Regenerates the tshark golden counts for the NTP tests (read the diff before committing):
#   messages <frames tshark dissects as NTP>
#   function <ntp.flags.mode> <count>     (Converge's NTP.Packet.functionCode)
# The captures are read from ../shared/captures (found relative to the package root), not copied.
set -euo pipefail
cd "$(dirname "$0")"
shared="../../../../shared/captures"
for path in public/iti/IEC61850/Sample_File_MMS_and_GOOSE.pcap public/iti/IEC60870-5-104/JavaRMI_and_IEC_Misc.pcap; do
    out="$(echo "${path%.pcap}" | sed 's#/#__#g').tshark.txt"
    {
        echo "messages $(tshark -r "$shared/$path" -Y ntp -T fields -e frame.number 2>/dev/null | wc -l)"
        tshark -r "$shared/$path" -Y ntp -T fields -E occurrence=a -e ntp.flags.mode 2>/dev/null \
            | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{ print "function", $2, $1 }'
    } > "$out"
    echo "wrote $out"
done
