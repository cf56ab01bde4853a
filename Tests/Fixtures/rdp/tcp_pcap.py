"""Writes a classic pcap of TCP conversations (Ethernet, IPv4), for hand-made fixtures.

Each conversation is a list of (from_client, payload) steps; sequence numbers follow the bytes
sent, every segment acknowledges the peer, and a handshake opens the flow.
"""
import struct


def _checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _frame(src, dst, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", _checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
    return eth + ip + tcp


def write(path, conversations):
    """conversations: [(client_ip, server_ip, client_port, server_port, [(from_client, bytes)])]."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    time = 1_700_000_000.0
    for client, server, cport, sport, steps in conversations:
        cseq, sseq = 1000, 5000
        frames = [
            _frame(client, server, cport, sport, cseq, 0, 0x02, b""),
            _frame(server, client, sport, cport, sseq, cseq + 1, 0x12, b""),
            _frame(client, server, cport, sport, cseq + 1, sseq + 1, 0x10, b""),
        ]
        cseq += 1
        sseq += 1
        for from_client, payload in steps:
            if from_client:
                frames.append(_frame(client, server, cport, sport, cseq, sseq, 0x18, payload))
                cseq += len(payload)
            else:
                frames.append(_frame(server, client, sport, cport, sseq, cseq, 0x18, payload))
                sseq += len(payload)
        for frame in frames:
            time += 0.001
            seconds = int(time)
            out.append(struct.pack("<IIII", seconds, int((time - seconds) * 1e6), len(frame), len(frame)) + frame)
    with open(path, "wb") as f:
        f.write(b"".join(out))
