#!/bin/sh
# Makes syslog-logger.pcap: util-linux logger sending RFC 3164 and RFC 5424 messages to
# 127.0.0.1 over UDP 514, TCP 514 (newline framing) and TCP 601 (RFC 6587 octet counting), a
# small Python listener taking the TCP ones; captured by tcpdump. Then regenerate-golden.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $dump $listen 2>/dev/null || true; rm -rf "$work"' EXIT
tcpdump -i lo -w "$work/syslog.pcap" -U 'port 514 or port 601' 2>/dev/null & dump=$!
python3 - <<'PY' & listen=$!
import socket, threading
def serve(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port)); s.listen(5)
    while True:
        c, _ = s.accept()
        while c.recv(65536): pass
        c.close()
for port in (514, 601):
    threading.Thread(target=serve, args=(port,), daemon=True).start()
threading.Event().wait(30)
PY
sleep 1
udp="logger -n 127.0.0.1 -P 514 -d"
$udp --rfc3164 -p auth.warning -t sshd 'Failed password for invalid user admin from 10.0.0.7 port 50022 ssh2'
$udp --rfc3164 -p local0.info -t plc-gw 'Modbus poll cycle ok'
$udp --rfc5424 -p daemon.err -t ntpd --msgid SYNC 'no servers reachable'
$udp --rfc5424 -p kern.crit -t kernel --sd-id origin@32473 --sd-param 'software="hmi"' 'temperature above threshold'
$udp --rfc5424=notq,notime -p user.debug -t app 'short header'
$udp --rfc5424 -p local7.emerg -t scada 'emergency stop pressed'
logger -n 127.0.0.1 -P 514 -T --rfc3164 -p mail.notice -t postfix 'relay denied'
logger -n 127.0.0.1 -P 514 -T --rfc5424 -p security.alert -t auditd 'policy changed'
logger -n 127.0.0.1 -P 601 -T --octet-count --rfc5424 -p local3.notice -t historian 'archive rotated'
logger -n 127.0.0.1 -P 601 -T --octet-count --rfc3164 -p syslog.info -t rsyslogd 'restart'
sleep 1
kill $dump; wait $dump 2>/dev/null || true
cp "$work/syslog.pcap" "$here/syslog-logger.pcap"
"$here/regenerate-golden.sh"
