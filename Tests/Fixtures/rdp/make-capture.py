#!/usr/bin/env python3
"""Writes rdp-negotiation.pcap (hand-made: no public capture holds RDP) and its tshark golden
counts rdp-negotiation.tshark.txt: one "<cotp.type> <count>" line per X.224 TPDU code."""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tcp_pcap  # noqa: E402


def tpkt(x224):
    return struct.pack("!BBH", 3, 0, 4 + len(x224)) + x224


def connection_request(cookie, protocols):
    variable = cookie
    if protocols is not None:
        variable += struct.pack("<BBHI", 1, 0, 8, protocols)          # RDP_NEG_REQ
    return tpkt(struct.pack("!BBHHB", 6 + len(variable), 0xE0, 0, 0, 0) + variable)


def connection_confirm(negotiation):
    return tpkt(struct.pack("!BBHHB", 6 + len(negotiation), 0xD0, 0, 0x1234, 0) + negotiation)


def data(payload):
    return tpkt(b"\x02\xf0\x80" + payload)


tls_hello = b"\x16\x03\x01\x00\x08" + b"\x01\x00\x00\x04\x03\x03\x00\x00"
tls_app = b"\x17\x03\x03\x00\x04" + b"\xde\xad\xbe\xef"
fast_path = b"\x00\x06\x01\x02\x03\x04"
conversations = [
    # NLA: cookie for alice, TLS+CredSSP+early auth offered; CredSSP chosen; TLS follows.
    ([10, 0, 0, 5], [10, 0, 0, 9], 49800, 3389, [
        (True, connection_request(b"Cookie: mstshash=alice\r\n", 0x0B)),
        (False, connection_confirm(struct.pack("<BBHI", 2, 0x1F, 8, 2))),
        (True, tls_hello), (False, tls_app + tls_app)]),
    # Standard RDP security: no negotiation request, confirm without response, then data TPDUs
    # and a fast-path PDU.
    ([10, 0, 0, 6], [10, 0, 0, 9], 49801, 3389, [
        (True, connection_request(b"Cookie: mstshash=OPERATOR\r\n", None)),
        (False, connection_confirm(b"")),
        (True, data(b"\x7f\x65\x82\x00\x00") + data(b"\x04\x01\x00\x01\x00")), (False, fast_path)]),
    # Only standard security offered, server refuses: RDP_NEG_FAILURE (SSL required).
    ([10, 0, 0, 7], [10, 0, 0, 9], 49802, 3389, [
        (True, connection_request(b"Cookie: msts=3640205228.15629.0000\r\n", 0)),
        (False, connection_confirm(struct.pack("<BBHI", 3, 0, 8, 1)))]),
]

here = os.path.dirname(os.path.abspath(__file__))
pcap = os.path.join(here, "rdp-negotiation.pcap")
tcp_pcap.write(pcap, conversations)
fields = subprocess.run(
    ["tshark", "-r", pcap, "-Y", "cotp", "-T", "fields", "-E", "occurrence=a", "-e", "cotp.type"],
    check=True, capture_output=True, text=True).stdout
counts = {}
for value in fields.replace(",", "\n").split():
    code = int(value, 16) if value.startswith("0x") else int(value)
    counts[code] = counts.get(code, 0) + 1
with open(os.path.join(here, "rdp-negotiation.tshark.txt"), "w") as f:
    for code, n in sorted(counts.items()):
        f.write(f"{code} {n}\n")
