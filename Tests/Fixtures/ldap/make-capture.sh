#!/usr/bin/env bash
# Makes ldap.pcap: real OpenLDAP (Debian slapd, ldap-utils) on 127.0.0.1:389, from a throwaway
# database under a temp dir (suffix dc=converge,dc=test, admin password adminpw: nothing secret).
# Needs root and `apt-get install slapd ldap-utils tcpdump openssl`. The exchanges:
#   anonymous rootDSE search; simple bind (cleartext password) + subtree search with a filter;
#   add, modify, modrdn, compare, delete; a bind with a wrong password (invalidCredentials);
#   a SASL bind attempt; a search abandoned by a size limit; StartTLS then a search inside TLS.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/ldap.pcap"
work=$(mktemp -d)
tcpdump_pid=
trap 'kill $(cat "$work/slapd.pid" 2>/dev/null) $tcpdump_pid 2>/dev/null || true' EXIT
mkdir -p "$work/db" "$work/conf"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=ldap.converge.test \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
hash=$(slappasswd -s adminpw)
cat > "$work/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $work/slapd.pid
TLSCertificateFile $work/cert.pem
TLSCertificateKeyFile $work/key.pem
database mdb
suffix "dc=converge,dc=test"
rootdn "cn=admin,dc=converge,dc=test"
rootpw $hash
directory $work/db
CONF
slapd -f "$work/slapd.conf" -h "ldap://127.0.0.1:389/"
sleep 1
export LDAPTLS_REQCERT=never
admin=(-x -H ldap://127.0.0.1 -D cn=admin,dc=converge,dc=test -w adminpw)
ldapadd "${admin[@]}" >/dev/null <<LDIF
dn: dc=converge,dc=test
objectClass: dcObject
objectClass: organization
o: Converge
dc: converge

dn: ou=people,dc=converge,dc=test
objectClass: organizationalUnit
ou: people
LDIF
tcpdump -i lo -U -s 0 -w "$out" port 389 2>/dev/null &
tcpdump_pid=$!
sleep 1
ldapsearch -x -H ldap://127.0.0.1 -b "" -s base "(objectClass=*)" namingContexts supportedLDAPVersion >/dev/null
ldapsearch "${admin[@]}" -b dc=converge,dc=test "(|(uid=alice)(&(objectClass=person)(cn=a*)))" cn mail >/dev/null
ldapadd "${admin[@]}" >/dev/null <<LDIF
dn: uid=alice,ou=people,dc=converge,dc=test
objectClass: inetOrgPerson
uid: alice
cn: Alice
sn: Example
mail: alice@converge.test
LDIF
ldapmodify "${admin[@]}" >/dev/null <<LDIF
dn: uid=alice,ou=people,dc=converge,dc=test
changetype: modify
replace: mail
mail: alice2@converge.test
LDIF
ldapcompare "${admin[@]}" uid=alice,ou=people,dc=converge,dc=test cn:Alice >/dev/null || true
ldapsearch "${admin[@]}" -b dc=converge,dc=test "(objectClass=*)" >/dev/null
ldapmodrdn "${admin[@]}" uid=alice,ou=people,dc=converge,dc=test uid=alice2 >/dev/null
ldapdelete "${admin[@]}" uid=alice2,ou=people,dc=converge,dc=test >/dev/null
ldapsearch -x -H ldap://127.0.0.1 -D cn=admin,dc=converge,dc=test -w wrong -b "" -s base >/dev/null 2>&1 || true
ldapsearch -H ldap://127.0.0.1 -Y DIGEST-MD5 -U alice -w x -b "" -s base >/dev/null 2>&1 || true
ldapsearch "${admin[@]}" -z 1 -b dc=converge,dc=test "(objectClass=*)" >/dev/null 2>&1 || true
ldapsearch "${admin[@]}" -ZZ -b dc=converge,dc=test -s base >/dev/null
sleep 1
kill $tcpdump_pid
wait $tcpdump_pid 2>/dev/null || true
kill "$(cat "$work/slapd.pid")"
sleep 1
rm -rf "$work"
echo "wrote $out"
