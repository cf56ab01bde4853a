#!/bin/sh
# Regenerates the SSH golden files from tshark 4.0.17: counts of ssh.message_code (one per
# cleartext binary packet) on TCP 22/2222, and the HASSH / HASSHServer of every KEXINIT.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../../../../shared/captures"
ports='tcp.port in {22, 2222}'
golden() {
    {
        echo "# ssh.message_code counts from: tshark -r $(basename "$1") -Y '$ports'"
        tshark -r "$1" -Y "$ports" -T fields -E occurrence=a -e ssh.message_code 2>/dev/null \
            | tr ',' '\n' | grep . | sort -n | uniq -c | awk '{print $2, $1}'
    } > "$2.golden"
    tshark -r "$1" -Y "$ports and ssh.kex.hassh" -T fields -e ssh.kex.hassh 2>/dev/null > "$2.hassh" || true
    tshark -r "$1" -Y "$ports and ssh.kex.hasshserver" -T fields -e ssh.kex.hasshserver 2>/dev/null \
        > "$2.hasshserver" || true
}
[ -f "$shared/generated/it_mix.pcap" ] && golden "$shared/generated/it_mix.pcap" "$here/shared_it_mix"
