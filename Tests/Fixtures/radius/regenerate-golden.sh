#!/bin/sh
# Writes radius-freeradius.tshark.txt: tshark's radius.code counts (the dissector's function
# code) and its Acct-Status-Type counts for radius-freeradius.pcap.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
count() {
    tshark -r "$here/radius-freeradius.pcap" -T fields -E occurrence=a -e "$1" 2>/dev/null |
        tr ',' '\n' | grep -v '^$' | sort -n | uniq -c | awk -v k="$2" '{print k, $2, $1}'
}
{
    echo "# tshark $(tshark --version 2>/dev/null | head -1 | awk '{print $3}'): radius.code as 'function <code> <count>',"
    echo "# radius.Acct_Status_Type as 'acct_status <type> <count>'"
    count radius.code function
    count radius.Acct_Status_Type acct_status
} > "$here/radius-freeradius.tshark.txt"
