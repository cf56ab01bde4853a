#!/usr/bin/env bash
# Regenerates the link-discovery fixtures and their tshark golden files (LLDP, CDP and STP alike:
# this script lives in lldp/ and the cdp/ and stp/ scripts call it).
#
#   regenerate-golden.sh            golden files from the committed fixture captures
#   regenerate-golden.sh --fixtures also rebuilds the captures from ../shared/captures/public
#                                   (every frame tshark calls lldp, cdp or stp in the captures the
#                                   catalogue lists with them), then the golden files
#
# shared-captures.txt (with --fixtures): <capture path> <lldp frames> <cdp frames> <stp frames>.
# Golden lines are tab-separated: <key> <value> <count>.
#   LLDP: function 1|0 (TTL > 0 | TTL 0: shutdown) from lldp.time_to_live, tlv <lldp.tlv.type>,
#         system_name <lldp.tlv.system.name>
#   CDP:  function <cdp.version>, deviceid <cdp.deviceid>, platform <cdp.platform>
#   STP:  function <stp.type as decimal>, root <stp.root.prio>/<stp.root.hw>
#   all:  messages all <frames>
# Read the diff before committing it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$(dirname "$here")
package=$(cd "$fixtures/../.." && pwd)
shared="$package/../shared/captures/public"

if [[ "${1:-}" == "--fixtures" ]]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    for proto in lldp cdp stp; do
        parts=()
        n=0
        while IFS=$'\t' read -r path _ _ _ _ it _; do
            [[ ",$it," == *",$proto,"* ]] || continue
            n=$((n + 1))
            tshark -r "$shared/$path" -Y "$proto" -F pcap -w "$tmp/$proto-$n.pcap" 2>/dev/null
            parts+=("$tmp/$proto-$n.pcap")
        done < <(tail -n +2 "$shared/CATALOGUE.tsv")
        mergecap -a -F pcap -w "$fixtures/$proto/iti-$proto.pcap" "${parts[@]}"
        echo "wrote $fixtures/$proto/iti-$proto.pcap from $n captures"
    done
    # Frames per protocol in each of those captures, for the test that runs over ../shared itself
    # (it also catches frames claimed that tshark does not call lldp, cdp or stp).
    while IFS=$'\t' read -r path _ _ _ _ it _; do
        [[ ",$it," == *",lldp,"* || ",$it," == *",cdp,"* || ",$it," == *",stp,"* ]] || continue
        counts=()
        for proto in lldp cdp stp; do
            counts+=("$(tshark -r "$shared/$path" -Y "$proto" 2>/dev/null | wc -l)")
        done
        printf '%s\t%s\t%s\t%s\n' "$path" "${counts[@]}"
    done < <(tail -n +2 "$shared/CATALOGUE.tsv") > "$here/shared-captures.txt"
    echo "wrote $here/shared-captures.txt"
fi

golden() {  # proto, fields..., awk program turning the fields into golden lines
    local proto=$1 program=$2
    shift 2
    for pcap in "$fixtures/$proto"/*.pcap; do
        out=${pcap%.pcap}.$proto.txt
        local args=()
        for field in "$@"; do args+=(-e "$field"); done
        tshark -r "$pcap" -Y "$proto" -T fields -E separator=/t -E occurrence=a -E aggregator=, "${args[@]}" \
            2>/dev/null | awk -F'\t' "$program" | LC_ALL=C sort > "$out"
        echo "wrote $out"
    done
}

emit='function emit(key, value) { seen[key "\t" value]++ }
      END { for (k in seen) print k "\t" seen[k]; print "messages\tall\t" NR }'

golden lldp "$emit
    { emit(\"function\", \$1 == \"0\" ? 0 : 1)
      n = split(\$2, types, \",\"); for (i = 1; i <= n; i++) emit(\"tlv\", types[i])
      if (\$3 != \"\") emit(\"system_name\", \$3) }" \
    lldp.time_to_live lldp.tlv.type lldp.tlv.system.name

golden cdp "$emit
    { emit(\"function\", \$1); if (\$2 != \"\") emit(\"deviceid\", \$2); if (\$3 != \"\") emit(\"platform\", \$3) }" \
    cdp.version cdp.deviceid cdp.platform

golden stp "$emit
    function hex(s,  v, i) { s = tolower(s); sub(/^0x/, \"\", s); v = 0
        for (i = 1; i <= length(s); i++) v = v * 16 + index(\"0123456789abcdef\", substr(s, i, 1)) - 1; return v }
    { emit(\"function\", hex(\$1)); if (\$3 != \"\") emit(\"root\", \$2 \"/\" \$3) }" \
    stp.type stp.root.prio stp.root.hw
