#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture: one "<service id> <count>" line per
# value of opcua.servicenodeid.numeric (the binary encoding id of the service in each final
# OPN/MSG/CLO chunk Wireshark dissects; HEL/ACK/ERR carry none).
# The ITI capture runs on port 12001, so it needs "-d tcp.port==12001,opcua" (see CATALOGUE.tsv).
# Deliberate differences from tshark go in DIFFERENCES.txt, not here. Read the diff before committing.
set -euo pipefail
cd "$(dirname "$0")"

golden() {
    local pcap="$1"; shift
    tshark -r "$pcap" "$@" -T fields -E occurrence=a -e opcua.servicenodeid.numeric 2>/dev/null \
        | tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk '{print $2, $1}'
}

golden opcua.pcap > opcua.tshark.txt
golden opcua_encrypted.pcap > opcua_encrypted.tshark.txt
golden iti-opc-ua-method-freeze.pcap -d tcp.port==12001,opcua > iti-opc-ua-method-freeze.tshark.txt
# Data changes: every MonitoredItemNotification's client handle in a Publish response (829).
tshark -r opcua.pcap -Y "opcua.servicenodeid.numeric==829" -T fields -E occurrence=a -e opcua.ClientHandle 2>/dev/null \
    | tr ',' '\n' | grep -c . > opcua.datachanges.tshark.txt
echo "wrote opcua.datachanges.tshark.txt"
echo "wrote opcua.tshark.txt opcua_encrypted.tshark.txt iti-opc-ua-method-freeze.tshark.txt"
