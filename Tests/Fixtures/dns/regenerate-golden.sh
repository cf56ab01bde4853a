#!/usr/bin/env bash
# Regenerates the tshark golden counts next to each capture in this folder:
#   <name>.<proto>.txt with lines "function <code> <count>", code = dns.flags.response * 16 + dns.flags.opcode
# for dns (UDP 53, tshark's `dns`), dns_tcp (TCP 53), mdns (UDP 5353, tshark's `mdns`) and llmnr
# (UDP 5355, tshark's `llmnr`; both use the dns.* fields); a file is written only
# when tshark finds messages. DNS quoted inside ICMP errors is left out (!icmp): Converge's
# dissectors see UDP datagrams, not the copies ICMP quotes. The suricata-verify capture on TCP
# port 1053 is read with `-d tcp.port==1053,dns`. Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"

golden() {  # pcap, display filter, extra tshark args...
    local pcap=$1 filter=$2
    shift 2
    tshark -r "$pcap" "$@" -Y "$filter && !icmp && !icmpv6" -T fields -E occurrence=a -E separator=/t \
        -e dns.flags.response -e dns.flags.opcode 2>/dev/null \
        | awk -F'\t' '
            { n = split($1, r, ","); split($2, o, ",")
              for (i = 1; i <= n; i++) if (r[i] != "") seen[(r[i] * 16) + o[i]]++ }
            END { for (code in seen) print "function", code, seen[code] }' \
        | sort -k2,2n
}

write() {  # output, pcap, filter, extra args...
    local out=$1
    shift
    local text
    text=$(golden "$@")
    if [ -n "$text" ]; then
        echo "$text" > "$out"
        echo "wrote $out"
    fi
}

for pcap in *.pcap; do
    base=${pcap%.pcap}
    write "$base.dns.txt" "$pcap" "dns && udp.port == 53"
    write "$base.mdns.txt" "$pcap" "mdns && udp.port == 5353"
    write "$base.llmnr.txt" "$pcap" "llmnr && udp.port == 5355"
    write "$base.dns_tcp.txt" "$pcap" "dns && tcp.port == 53"
done
write sv-dns-truncated-rname-tcp1053.dns_tcp.txt sv-dns-truncated-rname-tcp1053.pcap "dns" -d tcp.port==1053,dns
