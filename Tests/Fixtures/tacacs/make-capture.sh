#!/bin/sh
# Makes tacacs-exchange.pcap: this folder's tacacs_exchange.py (client and server over real TCP
# on 127.0.0.1:49), captured with tcpdump; then regenerate-golden.sh. Run as root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $dump 2>/dev/null || true; rm -rf "$work"' EXIT
tcpdump -i lo -w "$work/tacacs.pcap" -U 'tcp port 49' 2>/dev/null & dump=$!
sleep 1
python3 "$here/tacacs_exchange.py"
sleep 1
kill $dump; wait $dump 2>/dev/null || true
cp "$work/tacacs.pcap" "$here/tacacs-exchange.pcap"
"$here/regenerate-golden.sh"
