#!/usr/bin/env bash
# Makes kerberos.pcap: real MIT Kerberos (Debian krb5-kdc, krb5-user) on 127.0.0.1, over UDP 88
# and TCP 88. Needs root and `apt-get install krb5-kdc krb5-user tcpdump`. Throwaway realm and
# passwords (CONVERGE.TEST, alice/alicepw), nothing secret. The exchanges:
#   kinit alice (right password): AS-REQ, KDC_ERR_PREAUTH_REQUIRED, AS-REQ with PA-ENC-TIMESTAMP, AS-REP
#   kvno host/svc.converge.test: TGS-REQ, TGS-REP
#   kinit alice (wrong password): ... KDC_ERR_PREAUTH_FAILED
#   kinit nobody: KDC_ERR_C_PRINCIPAL_UNKNOWN
#   kinit bob (no pre-auth required, RC4 offered): AS-REQ, AS-REP (AS-REP roastable)
#   the same over TCP (udp_preference_limit = 1)
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/kerberos.pcap"
work=$(mktemp -d)
tcpdump_pid=
trap 'kill $(cat "$work/kdc.pid" 2>/dev/null) $tcpdump_pid 2>/dev/null || true' EXIT
cat > "$work/kdc.conf" <<CONF
[kdcdefaults]
    kdc_ports = 88
    kdc_tcp_ports = 88
[realms]
    CONVERGE.TEST = {
        database_name = $work/principal
        key_stash_file = $work/stash
        acl_file = $work/kadm5.acl
        supported_enctypes = aes256-cts-hmac-sha1-96:normal rc4-hmac:normal
    }
CONF
write_client_conf() { # $1 file, $2 udp_preference_limit
cat > "$1" <<CONF
[libdefaults]
    default_realm = CONVERGE.TEST
    udp_preference_limit = $2
    allow_weak_crypto = true
    permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 rc4-hmac
    default_tkt_enctypes = aes256-cts-hmac-sha1-96 rc4-hmac
    default_tgs_enctypes = aes256-cts-hmac-sha1-96 rc4-hmac
    rdns = false
    dns_lookup_kdc = false
[realms]
    CONVERGE.TEST = {
        kdc = 127.0.0.1
    }
CONF
}
write_client_conf "$work/udp.conf" 1465
write_client_conf "$work/tcp.conf" 1
export KRB5_KDC_PROFILE="$work/kdc.conf" KRB5_CONFIG="$work/udp.conf" KRB5CCNAME="FILE:$work/cc"
touch "$work/kadm5.acl"
kdb5_util create -s -r CONVERGE.TEST -P masterpw >/dev/null
kadmin.local -q "addprinc -pw alicepw +requires_preauth alice" >/dev/null
kadmin.local -q "addprinc -pw bobpw -requires_preauth bob" >/dev/null
kadmin.local -q "addprinc -randkey host/svc.converge.test" >/dev/null
krb5kdc -P "$work/kdc.pid"
sleep 1
tcpdump -i lo -U -s 0 -w "$out" port 88 2>/dev/null &
tcpdump_pid=$!
sleep 1
exchanges() {
    echo alicepw | kinit alice >/dev/null
    kvno host/svc.converge.test >/dev/null
    echo wrongpw | kinit alice >/dev/null 2>&1 || true
    echo x | kinit nobody >/dev/null 2>&1 || true
    echo bobpw | kinit -e rc4-hmac bob >/dev/null 2>&1 || echo bobpw | kinit bob >/dev/null
}
exchanges
KRB5_CONFIG="$work/tcp.conf" exchanges
sleep 1
kill $tcpdump_pid
wait $tcpdump_pid 2>/dev/null || true
kill "$(cat "$work/kdc.pid")"
rm -rf "$work"
echo "wrote $out"
