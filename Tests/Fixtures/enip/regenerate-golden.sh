#!/usr/bin/env bash
# Regenerates the tshark golden counts of EtherNet/IP and CIP: one "enip <command> <count>" line per
# enip.command value and one "cip <service> <count>" line per cip.sc value (decimal; a frame may
# carry several encapsulation messages and many CIP services, all counted: -E occurrence=a).
# cip.sc is the service code without the response bit, so a request and its reply count the
# same code twice. "io <connection id> <count>" lines count implicit I/O datagrams per connection.
#  - next to each capture in this folder: <name>.tshark.txt
#  - for the EtherNet/IP captures of ../shared/captures (too large to copy):
#    shared-golden/<path with / as __>.tshark.txt
# Deliberate differences from tshark live in shared-golden/DIFFERENCES.txt (not rewritten here).
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

counts() {  # $1 capture, $2 field, $3 label
    tshark -r "$1" -T fields -E occurrence=a -e "$2" 2>/dev/null \
        | tr ',' '\n' | { grep -v '^$' || true; } | while read -r v; do printf '%d\n' "$v"; done \
        | sort -n | uniq -c | awk -v label="$3" '{print label, $2, $1}'
}

golden() {
    counts "$1" enip.command enip
    counts "$1" cip.sc cip
    counts "$1" enip.cpf.sai.connid io  # implicit I/O datagrams per connection id (UDP 2222)
}

for pcap in *.pcap; do
    golden "$pcap" > "${pcap%.pcap}.tshark.txt"
    echo "wrote ${pcap%.pcap}.tshark.txt"
done

shared=../../../../shared/captures
if [ -d "$shared" ]; then
    mkdir -p shared-golden
    for path in public/iti/EthernetIP/EthernetIP-CIP.pcap public/iti/CIP/cip_only.pcap \
        public/suricata-verify/enip-keywords/enip_cip_example.pcap public/iti/ModbusTCP/mb2.pcap \
        $(cd "$shared" && ls public/iti/openics/EIP-*.pcap); do
        out="shared-golden/${path//\//__}"
        golden "$shared/$path" > "${out%.pcap}.tshark.txt"
        echo "wrote ${out%.pcap}.tshark.txt"
    done
fi
