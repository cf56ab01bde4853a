#!/bin/sh
# Makes vnc-session.pcap with a real RFB server (TigerVNC's Xvnc, Debian package
# tigervnc-standalone-server) on 127.0.0.1:5901 and this folder's rfb_client.py, captured by
# tcpdump, then writes tshark's golden counts (regenerate-golden.sh). Run as root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $xvnc $dump 2>/dev/null || true; rm -rf "$work"' EXIT
printf 'secret12\n' | vncpasswd -f > "$work/passwd"
tcpdump -i lo -w "$work/vnc.pcap" -U 'tcp port 5901' 2>/dev/null & dump=$!
sleep 1
# VNC authentication only: the client's wrong response is refused with a reason.
Xvnc :1 -geometry 48x32 -depth 24 -SecurityTypes VncAuth -PasswordFile "$work/passwd" \
    -desktop 'plant-hmi-01' -localhost=1 >/dev/null 2>&1 & xvnc=$!
sleep 2
python3 "$here/rfb_client.py" 5901 auth
kill $xvnc; wait $xvnc 2>/dev/null || true
# None offered next to VNC authentication: the anomaly, then full sessions on 3.8, 3.7 and 3.3.
Xvnc :1 -geometry 48x32 -depth 24 -SecurityTypes None,VncAuth -PasswordFile "$work/passwd" \
    -desktop 'plant-hmi-01' -localhost=1 >/dev/null 2>&1 & xvnc=$!
sleep 2
python3 "$here/rfb_client.py" 5901 none
sleep 1
kill $dump; wait $dump 2>/dev/null || true
cp "$work/vnc.pcap" "$here/vnc-session.pcap"
"$here/regenerate-golden.sh"
