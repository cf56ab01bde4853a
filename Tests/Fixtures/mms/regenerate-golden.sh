#!/usr/bin/env bash
# Regenerates the tshark golden counts for MMS (tshark 4.0.17): "<code> <count>" lines for each
# capture in this folder (<name>.tshark.txt) and for every MMS capture of
# ../shared/captures/public/iti/IEC61850 (shared-golden/<name>.tshark.txt). Read the diff first.
# Codes (MMS.FunctionBase): a confirmed service is its tag (mms.confirmedServiceRequest and
# mms.confirmedServiceResponse together), 100 + PDU tag for PDUs without a service (confirmed
# error 102, reject 104, cancel 105-107, initiate 108-110, conclude 111-113), 200 + unconfirmed
# service (mms.unconfirmedService), 300 + ACSE tag for release/abort (acse.rlrq/rlre/abrt).
set -euo pipefail
cd "$(dirname "$0")"

nonempty() { grep -v '^$' || true; }

golden() {
    local pcap=$1
    {
        tshark -r "$pcap" -T fields -E occurrence=a -e mms.confirmedServiceRequest 2>/dev/null | tr ',' '\n'
        tshark -r "$pcap" -T fields -E occurrence=a -e mms.confirmedServiceResponse 2>/dev/null | tr ',' '\n'
        tshark -r "$pcap" -T fields -E occurrence=a -e mms.unconfirmedService 2>/dev/null | tr ',' '\n' \
            | nonempty | awk '{print 200 + $1}'
        for pair in confirmed_ErrorPDU_element:102 rejectPDU_element:104 cancel_RequestPDU:105 \
            cancel_ResponsePDU:106 cancel_ErrorPDU_element:107 initiate_RequestPDU_element:108 \
            initiate_ResponsePDU_element:109 initiate_ErrorPDU_element:110 conclude_RequestPDU_element:111 \
            conclude_ResponsePDU_element:112 conclude_ErrorPDU_element:113; do
            tshark -r "$pcap" -T fields -E occurrence=a -e "mms.${pair%%:*}" 2>/dev/null | tr ',' '\n' \
                | nonempty | awk -v code="${pair##*:}" '{print code}'
        done
        for pair in rlrq_element:302 rlre_element:303 abrt_element:304; do
            tshark -r "$pcap" -T fields -E occurrence=a -e "acse.${pair%%:*}" 2>/dev/null | tr ',' '\n' \
                | nonempty | awk -v code="${pair##*:}" '{print code}'
        done
    } | nonempty | sort -n | uniq -c | awk '{print $2, $1}'
}

for pcap in *.pcap; do golden "$pcap" > "${pcap%.pcap}.tshark.txt"; done

public=../../../../shared/captures/public/iti/IEC61850
if [ -d "$public" ]; then
    mkdir -p shared-golden
    for pcap in "$public"/*.pcap "$public"/iec "$public/MMS - Specific Commands"/*.pcap; do
        name=$(basename "$pcap")
        golden "$pcap" > "shared-golden/${name%.pcap}.tshark.txt"
    done
fi
