#!/usr/bin/env bash
# Regenerates the tshark golden counts for S7comm: one "<decimal code> <count>" line per value of
# s7comm.param.func (the function byte of job and ack-data parameters; tshark shows none for
# userdata, for an ack without parameter, or for COTP connection TPDUs), for every capture of
# ../shared/captures that tshark or the catalogue's 0x72 heuristic finds S7 in:
#   golden/<path under captures/, "/" written as "__">.tshark.txt
# tshark 4.0 has no S7comm-plus dissector: those files hold no counts (see DIFFERENCES.txt).
# Read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")"
captures=../../../../shared/captures
mkdir -p golden

golden() {
    echo "# tshark $(tshark --version 2>/dev/null | head -1 | awk '{print $3}'): s7comm.param.func of $1"
    tshark -r "$captures/$1" -T fields -E occurrence=a -e s7comm.param.func 2>/dev/null \
        | tr ',' '\n' | { grep -v '^$' || true; } | while read -r hex; do echo $((hex)); done \
        | sort -n | uniq -c | awk '{print $2, $1}'
}

{
    echo generated/s7comm.pcap
    awk -F'\t' 'NR > 1 && $5 ~ /s7comm/ {print "public/" $1}' "$captures/public/CATALOGUE.tsv"
} | while read -r path; do
    out="golden/${path//\//__}"
    golden "$path" > "$out.tshark.txt"
    echo "wrote $out.tshark.txt"
done

# S7comm-plus: tshark 4.0 has no dissector, so these counts are not tshark's own. They are taken
# from the COTP payloads tshark reassembles (data.data of DT TPDUs with EOT, retransmissions left
# out) by this rule, independent of Converge's code: a payload starting 72 <version 1-3> whose
# previous payload in the same direction ended with the trailer 72 <version> 00 00 (or is the
# first) holds an operation header at offset 4 (V3: after a digest length byte and the digest);
# opcode 0x31/0x32/0x02 is followed, two bytes on, by the 16-bit function counted here.
mkdir -p golden-plus
plus() {
    echo "# s7comm-plus function (decimal) from tshark's reassembled COTP payloads of $1"
    tshark -r "$captures/$1" -Y 'cotp.type == 0x0f && data.data && !tcp.analysis.retransmission' \
        -T fields -e tcp.stream -e tcp.srcport -e data.data 2>/dev/null | python3 -c '
import sys, collections
counts, open_ = collections.Counter(), {}
for line in sys.stdin:
    stream, port, data = line.rstrip("\n").split("\t")
    port = stream + "/" + port
    for payload in data.split(","):  # a frame may end several user PDUs
        b = bytes.fromhex(payload)
        continuing = open_.get(port, False)
        if len(b) < 4 or b[0] != 0x72 or b[1] not in (1, 2, 3):
            continue
        length = int.from_bytes(b[2:4], "big")
        open_[port] = len(b) == 4 + length
        if continuing:
            continue
        op = 4 + (1 + b[4] if b[1] == 3 and len(b) > 4 else 0)
        if len(b) >= op + 5 and b[op] in (0x31, 0x32, 0x02):
            counts[int.from_bytes(b[op + 3:op + 5], "big")] += 1
for code in sorted(counts):
    print(code, counts[code])
'
}
awk -F'\t' 'NR > 1 && $5 ~ /s7comm-plus/ {print "public/" $1}' "$captures/public/CATALOGUE.tsv" | while read -r path; do
    out="golden-plus/${path//\//__}.counts.txt"
    plus "$path" > "$out"
    echo "wrote $out"
done
