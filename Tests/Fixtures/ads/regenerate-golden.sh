#!/usr/bin/env bash
# Regenerates the tshark golden counts for ADS (tshark 4.0.17): "<ams.cmdid> <count>" lines for
# each capture in this folder (<name>.tshark.txt) and for every Beckhoff capture of
# ../shared/captures/public/iti/beckoff (shared-golden/<name>.tshark.txt). Read the diff first.
set -euo pipefail
cd "$(dirname "$0")"

golden() {
    tshark -r "$1" -T fields -E occurrence=a -e ams.cmdid 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{print $2, $1}'
}

for pcap in *.pcapng; do golden "$pcap" > "${pcap%.pcapng}.tshark.txt"; done

public=../../../../shared/captures/public/iti/beckoff
if [ -d "$public" ]; then
    mkdir -p shared-golden
    for pcap in "$public"/*.pcapng; do
        name=$(basename "$pcap")
        golden "$pcap" > "shared-golden/${name%.pcapng}.tshark.txt"
    done
fi

# ADS over UDP 48899 (tshark shows it as data): "messages <n>" and "function <service id & 0x7fffffff> <n>".
for pcap in addroute.pcapng; do
    tshark -r "$pcap" -Y 'udp.port==48899' -T fields -e data.data 2>/dev/null > /tmp/ads_udp.$$
    {
        echo "messages $(grep -c . /tmp/ads_udp.$$)"
        while read -r hex; do s=${hex:16:8}; echo $(( 0x${s:6:2}${s:4:2}${s:2:2}${s:0:2} & 0x7fffffff )); done < /tmp/ads_udp.$$ \
            | sort -n | uniq -c | awk '{print "function", $2, $1}'
    } > "${pcap%.pcapng}.udp.tshark.txt"
    rm -f /tmp/ads_udp.$$
done
