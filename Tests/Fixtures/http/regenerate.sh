#!/bin/sh
# Regenerates the HTTP golden files from tshark 4.0.17: requests counted by http.request.method in
# the dissector's numbering (GET 1, POST 2, HEAD 3, PUT 4, DELETE 5, OPTIONS 6, CONNECT 7,
# TRACE 8, PATCH 9, any other 15) and responses by http.response.code, on the TCP ports the
# dissector hints at.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared="$here/../../../../shared/captures"
ports='tcp.port in {80, 8080, 8000, 8008, 8081, 8888, 591, 3128}'
golden() {
    {
        echo "# from: tshark -r $(basename "$1") -Y '$ports' -e http.request.method -e http.response.code"
        tshark -r "$1" -Y "$ports" -T fields -E occurrence=a -E separator=, -e http.request.method \
            -e http.response.code 2>/dev/null | tr ',' '\n' | grep . | awk '
            BEGIN { n["GET"]=1; n["POST"]=2; n["HEAD"]=3; n["PUT"]=4; n["DELETE"]=5; n["OPTIONS"]=6;
                    n["CONNECT"]=7; n["TRACE"]=8; n["PATCH"]=9 }
            /^[0-9]+$/ { print $1; next }
            { print ($1 in n) ? n[$1] : 15 }' | sort -n | uniq -c | awk '{print $2, $1}'
    } > "$2.golden"
}
golden "$here/bench_http_small.pcap" "$here/bench_http_small"
for f in generated/it_mix.pcap public/suricata-verify/http-request-invalid/input.pcap \
    public/suricata-verify/datajson/datajson-08-invalid-json/input.pcap public/iti/IEC61850/m-send-req.mms.pcap \
    public/suricata-verify/firewall/tcp-session-ipv6-decode-malformed/input.pcap; do
    stem=$(echo "$f" | sed 's#^generated/##; s#^public/##; s#/input.pcap$##; s#\.pcap$##; s#/#_#g')
    [ -f "$shared/$f" ] && golden "$shared/$f" "$here/shared_$stem"
done
