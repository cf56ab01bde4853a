#!/bin/sh
# Makes radius-freeradius.pcap: FreeRADIUS 3.2 (Debian packages freeradius, freeradius-utils) on
# 127.0.0.1 with its stock localhost client (secret testing123) and one user added for the run,
# radclient sending PAP and CHAP Access-Requests (accepted and rejected), a Status-Server and
# accounting Start, Interim-Update and Stop; captured with tcpdump. Then regenerate-golden.sh.
# Run as root; the stock users file is restored afterwards.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
users=/etc/freeradius/3.0/mods-config/files/authorize
cp "$users" "$work/authorize.orig"
trap 'kill $radiusd $dump 2>/dev/null || true; cp "$work/authorize.orig" "$users"; rm -rf "$work"' EXIT
printf 'operator Cleartext-Password := "hmi-pass-1"\n    Reply-Message := "Welcome operator"\n' > "$work/user"
cat "$work/user" "$work/authorize.orig" > "$users"
freeradius -f >/dev/null 2>&1 & radiusd=$!
tcpdump -i lo -w "$work/radius.pcap" -U 'udp port 1812 or udp port 1813' 2>/dev/null & dump=$!
sleep 3
send() { printf '%b' "$2" | radclient -x -r 1 -t 2 127.0.0.1 "$1" testing123 >/dev/null 2>&1 || true; }
send auth 'User-Name = "operator"\nUser-Password = "hmi-pass-1"\nNAS-IP-Address = 10.20.0.2\nNAS-Identifier = "switch-cell-3"\nCalling-Station-Id = "10.20.0.77"\nNAS-Port = 7'
send auth 'User-Name = "operator"\nUser-Password = "wrong"\nNAS-IP-Address = 10.20.0.2\nCalling-Station-Id = "00-1B-1B-AA-BB-CC"'
send auth 'User-Name = "operator"\nCHAP-Password = "hmi-pass-1"\nNAS-Identifier = "vpn-gw"'
send auth 'User-Name = "nobody"\nUser-Password = "x"'
send status 'Message-Authenticator = 0x00'
send acct 'User-Name = "operator"\nAcct-Status-Type = Start\nAcct-Session-Id = "s-1"\nNAS-IP-Address = 10.20.0.2\nFramed-IP-Address = 10.20.0.77'
send acct 'User-Name = "operator"\nAcct-Status-Type = Interim-Update\nAcct-Session-Id = "s-1"\nNAS-IP-Address = 10.20.0.2'
send acct 'User-Name = "operator"\nAcct-Status-Type = Stop\nAcct-Session-Id = "s-1"\nNAS-IP-Address = 10.20.0.2\nAcct-Session-Time = 60'
sleep 1
kill $dump; wait $dump 2>/dev/null || true
cp "$work/radius.pcap" "$here/radius-freeradius.pcap"
"$here/regenerate-golden.sh"
