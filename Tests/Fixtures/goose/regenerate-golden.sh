#!/usr/bin/env bash
# Regenerates the GOOSE fixture capture and its tshark 4.0.17 golden file.
#
#   regenerate-golden.sh            golden file from the committed iti-goose.pcap
#   regenerate-golden.sh --fixtures also rebuilds iti-goose.pcap from ../shared/captures/public
#                                   (every frame tshark calls goose in the ITI IEC 61850 captures)
#
# Golden lines are tab-separated: <key> <value> <count>.
#   function 1 <goose.goosePdu_element count>   messages all <frames>
#   stnum <goose.stNum>   sqnum <goose.sqNum>   gocbref <goose.gocbRef>
#   entries <goose.numDatSetEntries>   ttl <goose.timeAllowedtoLive>
#   datset <goose.datSet>   goid <goose.goID>   confrev <goose.confRev>
#   simulation <goose.simulation>   ndscom <goose.ndsCom>
#   data <goose.Data: the Data CHOICE number>   boolean <goose.boolean>   bitstring <goose.bit_string>
#   (goose.Data also counts structure members; these captures hold no structure or array)
# Read the diff before committing it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
package=$(cd "$here/../../.." && pwd)
shared="$package/../shared/captures/public/iti/IEC61850"

if [[ "${1:-}" == "--fixtures" ]]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    n=0
    parts=()
    for f in GOOSE/GOOSE.pcap GOOSE/GOOSE_DEMO.pcap GOOSE/Sample_File_GOOSE.pcap Sample_File_MMS_and_GOOSE.pcap; do
        n=$((n + 1))
        tshark -r "$shared/$f" -Y goose -F pcap -w "$tmp/$n.pcap" 2>/dev/null
        parts+=("$tmp/$n.pcap")
    done
    mergecap -a -F pcap -w "$here/iti-goose.pcap" "${parts[@]}"
fi

cap="$here/iti-goose.pcap"
fields() { tshark -r "$cap" -Y goose -T fields -E occurrence=a -E separator=, -e "$1" 2>/dev/null; }
{
    printf 'messages\tall\t%s\n' "$(tshark -r "$cap" -Y goose 2>/dev/null | wc -l)"
    printf 'function\t1\t%s\n' "$(fields goose.goosePdu_element | grep -c .)"
    fields goose.stNum | awk '{c[$0]++} END {for (k in c) printf "stnum\t%s\t%d\n", k, c[k]}'
    fields goose.sqNum | awk '{c[$0]++} END {for (k in c) printf "sqnum\t%s\t%d\n", k, c[k]}'
    fields goose.gocbRef | awk '{c[$0]++} END {for (k in c) printf "gocbref\t%s\t%d\n", k, c[k]}'
    fields goose.numDatSetEntries | awk '{c[$0]++} END {for (k in c) printf "entries\t%s\t%d\n", k, c[k]}'
    fields goose.timeAllowedtoLive | awk '{c[$0]++} END {for (k in c) printf "ttl\t%s\t%d\n", k, c[k]}'
    each() { fields "$1" | tr , '\n' | grep . | awk -v key="$2" '{c[$0]++} END {for (k in c) printf "%s\t%s\t%d\n", key, k, c[k]}'; }
    each goose.datSet datset
    each goose.goID goid
    each goose.confRev confrev
    each goose.simulation simulation
    each goose.ndsCom ndscom
    each goose.Data data
    each goose.boolean boolean
    each goose.bit_string bitstring
} | LC_ALL=C sort >"$here/iti-goose.goose.txt"
echo "wrote $here/iti-goose.goose.txt"

# Sampled Values: no public capture holds SV, so sv-handmade.pcap is built by make-sv-capture.py
# (--fixtures rebuilds it) and tshark's sv.* fields are the cross-check. One line per value:
#   messages all <frames>   function 1 <sv.savPdu_element>   asdu all <sv.ASDU_element>
#   noasdu <sv.noASDU>   svid <sv.svID>   smpcnt <sv.smpCnt>   confrev <sv.confRev>
if [[ "${1:-}" == "--fixtures" ]]; then
    python3 "$here/make-sv-capture.py" "$here/sv-handmade.pcap"
fi
sv="$here/sv-handmade.pcap"
svfields() { tshark -r "$sv" -Y sv -T fields -E occurrence=a -E separator=, -e "$1" 2>/dev/null; }
count() { awk -v key="$1" '{c[$0]++} END {for (k in c) printf "%s\t%s\t%d\n", key, k, c[k]}'; }
{
    printf 'messages\tall\t%s\n' "$(tshark -r "$sv" -Y sv 2>/dev/null | wc -l)"
    printf 'function\t1\t%s\n' "$(svfields sv.savPdu_element | tr , '\n' | grep -c .)"
    printf 'asdu\tall\t%s\n' "$(svfields sv.ASDU_element | tr , '\n' | grep -c .)"
    svfields sv.noASDU | tr , '\n' | count noasdu
    svfields sv.svID | tr , '\n' | count svid
    svfields sv.smpCnt | tr , '\n' | count smpcnt
    svfields sv.confRev | tr , '\n' | count confrev
} | LC_ALL=C sort >"$here/sv-handmade.sv.txt"
echo "wrote $here/sv-handmade.sv.txt"
