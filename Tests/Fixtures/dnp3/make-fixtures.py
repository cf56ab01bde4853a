#!/usr/bin/env python3
"""Writes the synthetic DNP3 capture fixtures (byte for byte reproducible).

wrap.pcap: one TCP connection to port 20000. The master sends a write request whose fragment
spans three link frames with transport sequence numbers 62 (FIR), 63 and 0 (FIN): the sequence
wraps 63 -> 0 inside the fragment. The outstation answers with a one-frame response (sequence 1),
then the master sends a one-frame read (sequence 2). tshark 4.0 reassembles fragments keyed by
the transport sequence of the first segment and does not follow the wrap, so it never completes
the write; Converge does.
"""
import struct


def crc(data):
    value = 0
    for byte in data:
        value ^= byte
        for _ in range(8):
            value = (value >> 1) ^ 0xA6BC if value & 1 else value >> 1
    return (~value) & 0xFFFF


def link_frame(control, destination, source, user_data):
    header = bytes([0x05, 0x64, 5 + len(user_data), control]) + struct.pack("<HH", destination, source)
    out = header + struct.pack("<H", crc(header))
    for start in range(0, len(user_data), 16):
        block = user_data[start:start + 16]
        out += block + struct.pack("<H", crc(block))
    return out


def segments(app, first_sequence, chunk):
    """Transport segments of an application fragment, `chunk` bytes each."""
    pieces = [app[i:i + chunk] for i in range(0, len(app), chunk)]
    out = []
    for number, piece in enumerate(pieces):
        header = (first_sequence + number) & 0x3F
        if number == 0:
            header |= 0x40
        if number == len(pieces) - 1:
            header |= 0x80
        out.append(bytes([header]) + piece)
    return out


def ip_tcp(source, destination, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    total = 20 + len(tcp) + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0, 64, 6, 0, bytes(source), bytes(destination))
    ethernet = bytes(6) + bytes([0, 1, 2, 3, 4, 5]) + b"\x08\x00"
    return ethernet + ip + tcp + payload


def pcap(frames):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for number, frame in enumerate(frames):
        out += struct.pack("<IIII", 1_700_000_000, number * 1000, len(frame), len(frame)) + frame
    return out


def wrap_capture():
    master, outstation = [10, 0, 0, 1], [10, 0, 0, 2]
    mport, oport = 40000, 20000
    mseq, oseq = 1000, 5000
    frames = [
        ip_tcp(master, outstation, mport, oport, mseq - 1, 0, 0x02, b""),
        ip_tcp(outstation, master, oport, mport, oseq - 1, mseq, 0x12, b""),
        ip_tcp(master, outstation, mport, oport, mseq, oseq, 0x10, b""),
    ]
    # Write (2), application sequence 0: g41v2 (analog output block, 16-bit) qualifier 0x17 with
    # 40 points (index 0..39, value 100 + index, status 0): 2 + 3 + 1 + 40 * 4 = 166 bytes.
    app = bytes([0xC0, 0x02, 41, 2, 0x17, 40])
    for index in range(40):
        app += bytes([index]) + struct.pack("<hB", 100 + index, 0)
    for segment in segments(app, 62, 60):
        data = link_frame(0xC4, 1, 3, segment)
        frames.append(ip_tcp(master, outstation, mport, oport, mseq, oseq, 0x18, data))
        mseq += len(data)
    # Response (129), application sequence 0, IIN 0x0000, transport sequence 1 (FIR, FIN).
    response = link_frame(0x44, 3, 1, bytes([0xC1, 0xC0, 0x81, 0x00, 0x00]))
    frames.append(ip_tcp(outstation, master, oport, mport, oseq, mseq, 0x18, response))
    oseq += len(response)
    # Read (1) class 0 data, application sequence 1, transport sequence 2.
    read = link_frame(0xC4, 1, 3, bytes([0xC2, 0xC1, 0x01, 60, 1, 0x06]))
    frames.append(ip_tcp(master, outstation, mport, oport, mseq, oseq, 0x18, read))
    return pcap(frames)


if __name__ == "__main__":
    with open("wrap.pcap", "wb") as handle:
        handle.write(wrap_capture())
    print("wrote wrap.pcap")
