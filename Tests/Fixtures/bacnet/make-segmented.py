#!/usr/bin/env python3
"""Writes segmented.pcap: BACnet/IP segmented messages (ASHRAE 135 clause 5.2/5.4, 20.1.2/20.1.5/20.1.6),
built byte by byte here because no public capture carries segments. tshark reads it back for the golden
counts (regenerate-golden.sh); BACnetSegmentationTests checks reassembly, values and facts.

Client 10.0.0.1:47808 (the operator workstation), server 10.0.0.2:47808 (the controller).
"""
import struct
import sys


def ctx(number, content):
    """A context-tagged primitive with this content."""
    return _tag(number, 0x08, content)


def app(number, content):
    """An application-tagged primitive."""
    return _tag(number, 0x00, content)


def _tag(number, klass, content):
    n = len(content)
    if n <= 4:
        return bytes([(number << 4) | klass | n]) + content
    assert n <= 253
    return bytes([(number << 4) | klass | 5, n]) + content


def opening(number):
    return bytes([(number << 4) | 0x0E])


def closing(number):
    return bytes([(number << 4) | 0x0F])


def oid(object_type, instance):
    return struct.pack(">I", (object_type << 22) | instance)


def text(s):
    """CharacterString content: character set 0 (UTF-8), then the characters."""
    return app(7, b"\x00" + s.encode())


def real(x):
    return app(4, struct.pack(">f", x))


DEVICE, ANALOG_INPUT, ANALOG_VALUE, BINARY_OUTPUT = 8, 0, 2, 4
OBJECT_NAME, VENDOR_NAME, VENDOR_ID, MODEL, FIRMWARE, APP_VERSION, PRESENT_VALUE = 77, 121, 120, 70, 44, 12, 85

# ReadPropertyMultiple request (service 14): device,2001 {name, vendor name, vendor id, model, firmware,
# application version}; analog-input,1 {present-value}.
rpm_request = (
    ctx(0, oid(DEVICE, 2001)) + opening(1)
    + b"".join(ctx(0, bytes([p])) for p in (OBJECT_NAME, VENDOR_NAME, VENDOR_ID, MODEL, FIRMWARE, APP_VERSION))
    + closing(1)
    + ctx(0, oid(ANALOG_INPUT, 1)) + opening(1) + ctx(0, bytes([PRESENT_VALUE])) + closing(1)
)


def result(prop, value):
    """One ReadAccessResult element: property identifier [2], value [4]."""
    return ctx(2, bytes([prop])) + opening(4) + value + closing(4)


# Its complex ack: the device's identity and the input's value, 172 bytes, too long for the
# requester's 50-byte max APDU, so the server sends it in segments of at most 45 parameter bytes.
rpm_ack = (
    ctx(0, oid(DEVICE, 2001)) + opening(1)
    + result(OBJECT_NAME, text("RTU-7 Boiler House"))
    + result(VENDOR_NAME, text("Acme Building Controls"))
    + result(VENDOR_ID, app(2, b"\x05"))
    + result(MODEL, text("BX-100 Plant Controller"))
    + result(FIRMWARE, text("2.4.1"))
    + result(APP_VERSION, text("boiler-app 3.0"))
    + closing(1)
    + ctx(0, oid(ANALOG_INPUT, 1)) + opening(1) + result(PRESENT_VALUE, real(16.75)) + closing(1)
)

# WritePropertyMultiple request (service 16): analog-value,3 := 21.5 @8; binary-output,2 := active @1;
# analog-value,4 := 50.0 @16. Sent in two segments.
def write(object_type, instance, value, priority):
    return (
        ctx(0, oid(object_type, instance)) + opening(1)
        + ctx(0, bytes([PRESENT_VALUE])) + opening(2) + value + closing(2) + ctx(3, bytes([priority]))
        + closing(1)
    )


wpm_request = (
    write(ANALOG_VALUE, 3, real(21.5), 8)
    + write(BINARY_OUTPUT, 2, app(9, b"\x01"), 1)
    + write(ANALOG_VALUE, 4, real(50.0), 16)
)


def parts(body, size):
    return [body[i:i + size] for i in range(0, len(body), size)]


def bvlc(npdu_apdu):
    """BVLC Original-Unicast-NPDU (0x81 0x0a, length) and NPDU version 1, control 0x04 (expecting reply)
    or 0x00."""
    return b"\x81\x0a" + struct.pack(">H", 4 + len(npdu_apdu)) + npdu_apdu


def npdu(expecting_reply, apdu):
    return bytes([0x01, 0x04 if expecting_reply else 0x00]) + apdu


CLIENT, SERVER = (10, 0, 0, 1), (10, 0, 0, 2)
frames = []  # (seconds, from_client, payload)


def send(t, from_client, apdu, expecting_reply=False):
    frames.append((t, from_client, bvlc(npdu(expecting_reply, apdu))))


# --- Transaction 1: RPM, invoke id 7, segmented complex ack (window 2) ---
# Confirmed request: type 0, SA (segmented response accepted) 0x02; max segments 5 (up to 32),
# max APDU 0 (50 bytes); invoke 7; service 14.
send(0.000, True, bytes([0x02, 0x50, 7, 14]) + rpm_request, expecting_reply=True)
ack_parts = parts(rpm_ack, 45)
assert len(ack_parts) == 4
# Complex ack segment: type 3, SEG 0x08, MOR 0x04; invoke; sequence number; proposed window 2; service.
def ack_segment(seq, more):
    return bytes([0x3C if more else 0x38, 7, seq, 2, 14]) + ack_parts[seq]


send(0.010, False, ack_segment(0, True))
send(0.011, False, ack_segment(1, True))
# Segment-ACK: type 4, NAK 0, SRV 0 (from the client); invoke 7; sequence 1; actual window 2.
send(0.012, True, bytes([0x40, 7, 1, 2]))
send(0.020, False, ack_segment(2, True))
# Segment 2 again: a retransmission (the duplicate must not be appended twice).
send(0.021, False, ack_segment(2, True))
send(0.022, False, ack_segment(3, False))
send(0.023, True, bytes([0x40, 7, 3, 2]))

# --- Transaction 2: WPM, invoke id 8, segmented confirmed request (window 1) ---
wpm_parts = parts(wpm_request, 30)
assert len(wpm_parts) == 2
# Confirmed request segment: type 0, SEG 0x08, MOR 0x04, SA 0x02; max segments 5, max APDU 0;
# invoke 8; sequence; proposed window 1; service 16.
send(1.000, True, bytes([0x0E, 0x50, 8, 0, 1, 16]) + wpm_parts[0], expecting_reply=True)
# Segment-ACK from the server: type 4, SRV 0x01; invoke 8; sequence 0; actual window 1.
send(1.005, False, bytes([0x41, 8, 0, 1]))
send(1.010, True, bytes([0x0A, 0x50, 8, 1, 1, 16]) + wpm_parts[1], expecting_reply=True)
send(1.015, False, bytes([0x41, 8, 1, 1]))
# Simple ack: type 2; invoke 8; service 16.
send(1.020, False, bytes([0x20, 8, 16]))

# --- Transaction 3: RPM, invoke id 9, a segment arrives out of order: NAK ---
send(2.000, True, bytes([0x02, 0x50, 9, 14]) + rpm_request, expecting_reply=True)
send(2.010, False, bytes([0x3C, 9, 0, 2, 14]) + ack_parts[0])
# Sequence 2 before 1: out of order.
send(2.011, False, bytes([0x3C, 9, 2, 2, 14]) + ack_parts[2])
# Segment-ACK with NAK 0x02: the client received up to sequence 0 and asks again from there.
send(2.012, True, bytes([0x42, 9, 0, 2]))
# The server gives up: abort (type 7, SRV 0x01; invoke 9; reason 4, segmentation-not-supported).
send(2.020, False, bytes([0x71, 9, 4]))


def udp_ipv4(src, dst, payload):
    udp = struct.pack(">HHHH", 47808, 47808, 8 + len(payload), 0) + payload
    total = 20 + len(udp)
    header = struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 17, 0, bytes(src), bytes(dst))
    checksum = sum(struct.unpack(">10H", header))
    while checksum > 0xFFFF:
        checksum = (checksum & 0xFFFF) + (checksum >> 16)
    header = header[:10] + struct.pack(">H", ~checksum & 0xFFFF) + header[12:]
    return header + udp


def ethernet(src_mac, dst_mac, payload):
    return dst_mac + src_mac + b"\x08\x00" + payload


MAC = {CLIENT: b"\x02\x00\x00\x00\x00\x01", SERVER: b"\x02\x00\x00\x00\x00\x02"}
out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
for t, from_client, payload in frames:
    src, dst = (CLIENT, SERVER) if from_client else (SERVER, CLIENT)
    frame = ethernet(MAC[src], MAC[dst], udp_ipv4(src, dst, payload))
    seconds = 1_700_000_000 + int(t)
    micros = round((t - int(t)) * 1_000_000)
    out += struct.pack("<IIII", seconds, micros, len(frame), len(frame)) + frame

path = sys.argv[1] if len(sys.argv) > 1 else "segmented.pcap"
with open(path, "wb") as f:
    f.write(out)
print(f"wrote {path}: {len(frames)} frames; RPM ack {len(rpm_ack)} bytes, WPM request {len(wpm_request)} bytes")
