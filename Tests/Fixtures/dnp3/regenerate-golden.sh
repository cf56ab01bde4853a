#!/usr/bin/env bash
# Regenerates tshark-golden.txt: for every DNP3 capture, the count of each dnp3.al.func value as
# tshark 4.0 reports it (one per reassembled application fragment), as "<path>\t<code>:<count> …".
#  - local fixtures: fixtures/<name>.pcap (this folder)
#  - shared captures: ../shared/captures/generated/dnp3.pcap and every file of
#    ../shared/captures/public/CATALOGUE.tsv whose protocol column names dnp3 (read in place)
# Deliberate differences are listed in DIFFERENCES.txt, not here. Read the diff before committing.
set -euo pipefail
cd "$(dirname "$0")"

counts() {
    local extra=()
    # The catalogue notes this file carries DNP3 on port 20001.
    case "$1" in *p20001*) extra=(-d tcp.port==20001,dnp3) ;; esac
    tshark -r "$1" "${extra[@]}" -T fields -E occurrence=a -e dnp3.al.func 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{printf "%s:%s ", $2, $1}' | sed 's/ $//' || true
}

shared=../../../../shared/captures
{
    for pcap in *.pcap; do
        printf 'fixtures/%s\t%s\n' "$pcap" "$(counts "$pcap")"
    done
    if [ -d "$shared" ]; then
        printf 'generated/dnp3.pcap\t%s\n' "$(counts "$shared/generated/dnp3.pcap")"
        awk -F'\t' '$5 ~ /dnp3/ {print $1}' "$shared/public/CATALOGUE.tsv" | while read -r path; do
            printf 'public/%s\t%s\n' "$path" "$(counts "$shared/public/$path")"
        done
    fi
} > tshark-golden.txt
echo "wrote tshark-golden.txt ($(wc -l < tshark-golden.txt) captures)"
