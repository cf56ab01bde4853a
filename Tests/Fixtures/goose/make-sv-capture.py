#!/usr/bin/env python3
"""Writes sv-handmade.pcap: Sampled Values frames built by hand (no public capture holds SV),
laid out as GOOSEFixtures.swift builds them, so tshark can cross-check the SV decoder."""
import struct
import sys


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        return bytes([tag, n]) + value
    if n < 0x100:
        return bytes([tag, 0x81, n]) + value
    return bytes([tag, 0x82, n >> 8, n & 0xFF]) + value


def sv_payload(asdus, declared=None, reserved1=0, app_id=0x4000):
    sequence = b""
    for index in range(asdus):
        asdu = tlv(0x80, f"MU0{index + 1}".encode())       # [0] svID
        asdu += tlv(0x82, bytes([0x01, 2 + index]))         # [2] smpCnt
        asdu += tlv(0x83, bytes([0, 0, 0, 1]))              # [3] confRev 1
        asdu += tlv(0x85, bytes([2]))                       # [5] smpSynch global
        asdu += tlv(0x87, bytes(64))                        # [7] seqData
        sequence += tlv(0x30, asdu)
    pdu = tlv(0x80, bytes([asdus if declared is None else declared])) + tlv(0xA2, sequence)
    body = tlv(0x60, pdu)
    return struct.pack(">HHHH", app_id, len(body) + 8, reserved1, 0) + body


SINGLE = bytes.fromhex("4000002a00000000" "6020" "800101" "a21b" "3019" "8004") + b"MU01" + bytes.fromhex(
    "82020f9f" "830400000001" "850102" "870400000000")


def ethernet(payload, vlan=None):
    header = bytes.fromhex("010ccd040001") + bytes.fromhex("001b1baabb02")
    if vlan is not None:
        header += struct.pack(">HH", 0x8100, (4 << 13) | vlan)
    frame = header + struct.pack(">H", 0x88BA) + payload
    return frame + bytes(max(0, 60 - len(frame)))


frames = [
    ethernet(SINGLE),
    ethernet(sv_payload(8), vlan=5),
    ethernet(sv_payload(1, reserved1=0x8000)),
    ethernet(sv_payload(2, declared=3)),
]
with open(sys.argv[1], "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for second, frame in enumerate(frames):
        out.write(struct.pack("<IIII", 1_700_000_000 + second, 0, len(frame), len(frame)))
        out.write(frame)
