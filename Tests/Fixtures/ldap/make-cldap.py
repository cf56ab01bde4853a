#!/usr/bin/env python3
"""Writes cldap.pcap: CLDAP (LDAP over UDP 389) datagrams shaped like Active Directory's "LDAP
ping" ([MS-ADTS] 6.3.3) and a root DSE read, encoded here in BER by hand (no AD server was
available). The Netlogon value is an opaque placeholder, not a real NETLOGON_SAM_LOGON_RESPONSE_EX.
Addresses 10.0.0.9 (client) and 10.0.0.2 (DC); names are made up."""
import os, struct

def length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body

def tlv(tag, value):
    return bytes([tag]) + length(len(value)) + value

def seq(*items): return tlv(0x30, b"".join(items))
def setof(*items): return tlv(0x31, b"".join(items))
def integer(v): return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))
def enum(v): return tlv(0x0A, bytes([v]))
def octets(s): return tlv(0x04, s.encode() if isinstance(s, str) else s)
def app(n, *items): return tlv(0x60 | n, b"".join(items))
def message(mid, op): return seq(integer(mid), op)

def search(mid, filt, attrs):
    return message(mid, app(3, octets(""), enum(0), enum(0), integer(0), integer(0), tlv(0x01, b"\x00"),
                            filt, seq(*[octets(a) for a in attrs])))

def eq(attr, value): return tlv(0xA3, octets(attr) + octets(value))

def entry(mid, attrs):
    return message(mid, app(4, octets(""), seq(*[seq(octets(k), setof(*[octets(v) for v in vs])) for k, vs in attrs])))

def done(mid): return message(mid, app(5, enum(0), octets(""), octets("")))

ping = search(1, tlv(0xA0, eq("DnsDomain", "converge.test") + eq("Host", "WS1") + eq("NtVer", b"\x06\x00\x00\x00")),
              ["Netlogon"])
pong = entry(1, [("Netlogon", [b"\x17\x00\x00\x00" + bytes(20)])]) + done(1)
rootdse = search(2, tlv(0x87, b"objectClass"), ["dnsHostName", "defaultNamingContext", "serverName"])
rootdse_reply = entry(2, [
    ("dnsHostName", ["dc1.converge.test"]),
    ("defaultNamingContext", ["DC=converge,DC=test"]),
    ("serverName", ["CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=converge,DC=test"]),
]) + done(2)

def checksum(data):
    if len(data) % 2:
        data += b"\x00"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF

def frame(src, dst, sport, dport, payload, ident):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident, 0, 128, 17, 0, bytes(src), bytes(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    ether = bytes.fromhex("020000000002" "020000000009" "0800")
    return ether + header + udp

client, server = [10, 0, 0, 9], [10, 0, 0, 2]
packets = [
    frame(client, server, 55001, 389, ping, 1), frame(server, client, 389, 55001, pong, 2),
    frame(client, server, 55002, 389, rootdse, 3), frame(server, client, 389, 55002, rootdse_reply, 4),
]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cldap.pcap")
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, p in enumerate(packets):
        f.write(struct.pack("<IIII", 1795765000 + i, 0, len(p), len(p)) + p)
print("wrote", out)
