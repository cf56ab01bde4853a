#!/bin/sh
# Writes syslog-logger.tshark.txt: tshark's syslog.level counts (the dissector's function code)
# and syslog.facility counts for the UDP 514 and TCP 514 messages of syslog-logger.pcap. The
# octet-counted TCP 601 stream is left out: tshark 4.0 reads no PRI there (it shows "LEN <PRI>…"
# as text); the test checks the dissector's two extra messages on it by hand.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pcap="$here/syslog-logger.pcap"
count() {
    tshark -r "$pcap" -d tcp.port==514,syslog -Y "not tcp.port==601" -T fields -E occurrence=a -e "$1" 2>/dev/null |
        tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk -v k="$2" '{print k, $2, $1}'
}
{
    echo "# tshark $(tshark --version | head -1 | awk '{print $3}'): syslog.level as 'function <level> <count>',"
    echo "# syslog.facility as 'facility <code> <count>'; UDP and TCP 514 only (TCP 601: see the script)"
    count syslog.level function
    count syslog.facility facility
} > "$here/syslog-logger.tshark.txt"
