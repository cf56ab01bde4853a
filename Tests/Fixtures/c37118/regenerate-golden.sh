#!/usr/bin/env bash
# tshark 4.0.17 golden counts of synphasor.frtype (frame type 0 data, 1 header, 2 cfg-1, 3 cfg-2,
# 4 command, 5 cfg-3) as "messages <n>" and "function <type> <n>" lines: for each capture in this
# folder (<name>.tshark.txt) and for every capture under ../shared/captures/public/iti/C37.118
# (shared-golden/<path with / as _>.tshark.txt). Read the diff before accepting it.
set -euo pipefail
cd "$(dirname "$0")"
golden() {
    types=$(tshark -r "$1" -T fields -E occurrence=a -e synphasor.frtype 2>/dev/null | tr ',' '\n' | grep -v '^$')
    echo "messages $(echo "$types" | grep -c .)"
    echo "$types" | while read -r t; do echo $((t)); done | sort -n | uniq -c | awk '{print "function", $2, $1}'
}
for pcap in *.pcap; do golden "$pcap" > "${pcap%.pcap}.tshark.txt"; done
public=../../../../shared/captures/public/iti/C37.118
if [ -d "$public" ]; then
    mkdir -p shared-golden
    (cd "$public" && find . -name '*.pcap' | sed 's|^\./||' | sort) | while read -r path; do
        golden "$public/$path" > "shared-golden/$(echo "${path%.pcap}" | tr '/' '_').tshark.txt"
    done
fi
