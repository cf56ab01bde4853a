#!/bin/sh
# Regenerates the TLS golden files from tshark (Wireshark 4.0.17 here): per-capture counts of
# tls.handshake.type (one per handshake message, `-E occurrence=a`), and the JA3 / JA3S hashes of
# every ClientHello / ServerHello in capture order. Only TCP ports the dissector hints at are read,
# as the test does. Run from anywhere; needs tshark.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../../../../shared/captures"
ports='tcp.port in {443, 8443, 465, 636, 853, 990, 993, 995, 4843, 5061, 8883, 9443}'

golden() { # capture, output stem
    {
        echo "# tls.handshake.type counts from: tshark -r $(basename "$1") -Y '$ports'"
        tshark -r "$1" -Y "$ports" -T fields -E occurrence=a -e tls.handshake.type 2>/dev/null \
            | tr ',' '\n' | grep . | sort -n | uniq -c | awk '{print $2, $1}'
    } > "$2.golden"
    tshark -r "$1" -Y "$ports and tls.handshake.type == 1" -T fields -E occurrence=a -e tls.handshake.ja3 \
        2>/dev/null | tr ',' '\n' | grep . > "$2.ja3" || true
    tshark -r "$1" -Y "$ports and tls.handshake.type == 2" -T fields -E occurrence=a -e tls.handshake.ja3s \
        2>/dev/null | tr ',' '\n' | grep . > "$2.ja3s" || true
}

golden "$here/tls_openssl.pcapng" "$here/tls_openssl"
golden "$here/bench_tls_small.pcap" "$here/bench_tls_small"
for f in iti/openics/EIP-LockPLCAttempt.pcap iti/openics/EIP-IPAddressChangeAttempt.pcap \
    iti/openics/EIP-ChangePortConfigurationAttempt.pcap iti/hart/hart_ip.pcap; do
    [ -f "$shared/public/$f" ] && golden "$shared/public/$f" "$here/shared_$(basename "$f" .pcap)"
done
