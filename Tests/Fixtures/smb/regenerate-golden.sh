#!/usr/bin/env bash
# Regenerates the tshark golden counts for the SMB captures of ../shared/captures (not copied here):
# shared-golden/<path under captures/ with / as __>.tshark.txt, one "<code> <count>" line per
# command (smb_golden.py says how codes are numbered). Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"
captures=../../../../shared/captures
mkdir -p shared-golden
awk -F'\t' '$6 ~ /(^|,)(nbss|smb2)(,|$)/ {print "public/" $1}' "$captures/public/CATALOGUE.tsv" \
    | while read -r path; do
        out="shared-golden/${path//\//__}"
        python3 smb_golden.py "$captures/$path" > "${out%.pcap*}.tshark.txt"
        echo "wrote ${out%.pcap*}.tshark.txt"
    done
