#!/usr/bin/env bash
# Regenerates the tshark golden counts for S7comm: one "<decimal code> <count>" line per value of
# s7comm.param.func (the function byte of job and ack-data parameters; tshark shows none for
# userdata, for an ack without parameter, or for COTP connection TPDUs), for every capture of
# ../shared/captures that tshark or the catalogue's 0x72 heuristic finds S7 in:
#   golden/<path under captures/, "/" written as "__">.tshark.txt
# tshark 4.0 has no S7comm-plus dissector: those files hold no counts (see DIFFERENCES.txt).
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"
captures=../../../../shared/captures
mkdir -p golden

golden() {
    echo "# tshark $(tshark --version 2>/dev/null | head -1 | awk '{print $3}'): s7comm.param.func of $1"
    tshark -r "$captures/$1" -T fields -E occurrence=a -e s7comm.param.func 2>/dev/null \
        | tr ',' '\n' | { grep -v '^$' || true; } | while read -r hex; do echo $((hex)); done \
        | sort -n | uniq -c | awk '{print $2, $1}'
}

{
    echo generated/s7comm.pcap
    awk -F'\t' 'NR > 1 && $5 ~ /s7comm/ {print "public/" $1}' "$captures/public/CATALOGUE.tsv"
} | while read -r path; do
    out="golden/${path//\//__}"
    golden "$path" > "$out.tshark.txt"
    echo "wrote $out.tshark.txt"
done
