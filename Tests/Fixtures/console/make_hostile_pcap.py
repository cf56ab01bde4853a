#!/usr/bin/env python3
"""Writes hostile.pcap: a tiny capture whose names are markup and control characters.

A DHCP request (hostname and vendor class options), an HTTP request (User-Agent) and its answer
(Server header), and an S7 controller answering an SZL 0x001C read (component identification:
station, module and module type names), from hosts whose identity is hostile, so the console's
escaping is tested on data that went through the real dissectors.
Run from this folder: python3 make_hostile_pcap.py
"""
import struct

SCRIPT = b"<script>window.__pwned=1</script>"
IMG = b'"><img src=x onerror=window.__pwned=2>'
CTRL = b"ctl\x01\x1b[31m\x07<b>bold</b>"
# SZL 0x001C names are 24 bytes at most.
S7_STATION = b'"><img src=x onerror=x>'
S7_MODULE = b"<svg onload=__pwned=3>"
S7_TYPE = b"ctl\x01\x1b[31m<b>x</b>"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, bytes(src), bytes(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def udp(src, dst, sport, dport, payload):
    length = 8 + len(payload)
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 17, length)
    header = struct.pack("!HHHH", sport, dport, length, 0)
    c = checksum(pseudo + header + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    header = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(header) + len(payload))
    c = checksum(pseudo + header + payload)
    return header[:16] + struct.pack("!H", c) + header[18:] + payload


def ether(src, dst, payload, kind=0x0800):
    return bytes(dst) + bytes(src) + struct.pack("!H", kind) + payload


def dhcp_request(mac, hostname, vendor):
    bootp = struct.pack("!BBBBIHH", 1, 1, 6, 0, 0x1234ABCD, 0, 0x8000) + b"\0" * 16 + bytes(mac) + b"\0" * 10
    bootp += b"\0" * 192 + b"\x63\x82\x53\x63"
    options = b"\x35\x01\x03" + b"\x32\x04" + bytes([10, 0, 0, 50])
    options += b"\x0c" + bytes([len(hostname)]) + hostname
    options += b"\x3c" + bytes([len(vendor)]) + vendor + b"\xff"
    return bootp + options


def tpkt(payload):
    return struct.pack("!BBH", 3, 0, 4 + len(payload)) + payload


def s7_exchange():
    """COTP connect, setup communication, and an SZL 0x001C read with its one-PDU answer."""
    connect = tpkt(bytes.fromhex("11e00000000100c0010ac1020100c2020102"))
    confirm = tpkt(bytes.fromhex("11d00001000100c0010ac1020100c2020102"))
    dt = b"\x02\xf0\x80"
    setup = tpkt(dt + bytes.fromhex("32010000000000080000f0000001000101e0"))
    setup_ack = tpkt(dt + bytes.fromhex("320300000000000800000000f0000001000100f0"))
    # Userdata request: CPU functions (group 4), read SZL (1), SZL-ID 0x001C, index 0.
    szl_request = tpkt(dt + bytes.fromhex("3207000000020008000800011204114401" + "00ff090004001c0000"))
    records = b""
    for index, name in ((1, S7_STATION), (2, S7_MODULE), (7, S7_TYPE)):
        records += struct.pack("!H", index) + name.ljust(24, b"\0") + b"\0" * 8
    szl = struct.pack("!HHHH", 0x001C, 0, 34, 3) + records
    data = b"\xff\x09" + struct.pack("!H", len(szl)) + szl
    # Userdata response: parameter 12 bytes (response, group 4, read SZL, last data unit, no error).
    param = bytes.fromhex("000112081284010100000000")
    header = b"\x32\x07\x00\x00\x00\x02" + struct.pack("!HH", len(param), len(data))
    szl_response = tpkt(dt + header + param + data)
    return [(True, connect), (False, confirm), (True, setup), (False, setup_ack), (True, szl_request),
            (False, szl_response)]


def main():
    mac_a = [0x00, 0x1B, 0x1B, 0x00, 0x00, 0x50]
    mac_b = [0x00, 0x0C, 0x29, 0x00, 0x00, 0x51]
    bcast = [0xFF] * 6
    ip_a, ip_b = [10, 0, 0, 50], [10, 0, 0, 51]
    frames = []
    frames.append(ether(mac_a, bcast, ipv4([0, 0, 0, 0], [255] * 4, 17,
                                           udp([0, 0, 0, 0], [255] * 4, 68, 67, dhcp_request(mac_a, SCRIPT, CTRL)))))
    # An ARP reply binding 10.0.0.51 to mac_b.
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + bytes(mac_b) + bytes(ip_b) + bytes(mac_a) + bytes(ip_a)
    frames.append(ether(mac_b, mac_a, arp, 0x0806))
    request = b"GET / HTTP/1.1\r\nHost: 10.0.0.51\r\nUser-Agent: " + IMG + b"\r\n\r\n"
    response = b"HTTP/1.1 200 OK\r\nServer: " + SCRIPT + b"\r\nContent-Length: 0\r\n\r\n"
    c, s = 1000, 5000
    frames.append(ether(mac_a, mac_b, ipv4(ip_a, ip_b, 6, tcp(ip_a, ip_b, 40000, 80, c, 0, 0x02))))
    frames.append(ether(mac_b, mac_a, ipv4(ip_b, ip_a, 6, tcp(ip_b, ip_a, 80, 40000, s, c + 1, 0x12))))
    frames.append(ether(mac_a, mac_b, ipv4(ip_a, ip_b, 6, tcp(ip_a, ip_b, 40000, 80, c + 1, s + 1, 0x10))))
    frames.append(ether(mac_a, mac_b, ipv4(ip_a, ip_b, 6, tcp(ip_a, ip_b, 40000, 80, c + 1, s + 1, 0x18, request))))
    frames.append(ether(mac_b, mac_a, ipv4(ip_b, ip_a, 6,
                                           tcp(ip_b, ip_a, 80, 40000, s + 1, c + 1 + len(request), 0x18, response))))
    # The S7 controller 10.0.0.52 answers the workstation's SZL read with hostile names.
    mac_c, ip_c = [0x00, 0x1B, 0x1B, 0x00, 0x00, 0x52], [10, 0, 0, 52]
    c, s = 7000, 9000
    frames.append(ether(mac_a, mac_c, ipv4(ip_a, ip_c, 6, tcp(ip_a, ip_c, 40001, 102, c, 0, 0x02))))
    frames.append(ether(mac_c, mac_a, ipv4(ip_c, ip_a, 6, tcp(ip_c, ip_a, 102, 40001, s, c + 1, 0x12))))
    c, s = c + 1, s + 1
    frames.append(ether(mac_a, mac_c, ipv4(ip_a, ip_c, 6, tcp(ip_a, ip_c, 40001, 102, c, s, 0x10))))
    for to_plc, pdu in s7_exchange():
        if to_plc:
            frames.append(ether(mac_a, mac_c, ipv4(ip_a, ip_c, 6, tcp(ip_a, ip_c, 40001, 102, c, s, 0x18, pdu))))
            c += len(pdu)
        else:
            frames.append(ether(mac_c, mac_a, ipv4(ip_c, ip_a, 6, tcp(ip_c, ip_a, 102, 40001, s, c, 0x18, pdu))))
            s += len(pdu)
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    t = 1_709_251_200
    for i, frame in enumerate(frames):
        out += struct.pack("<IIII", t + i, 0, len(frame), len(frame)) + frame
    with open("hostile.pcap", "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
