#!/usr/bin/env python3
"""Probes how tshark's `-z conv,tcp` / `-z conv,udp` count conversations, on tiny hand-made captures.

Each scenario writes one classic pcap (Ethernet, microseconds) to a temporary folder, runs
`tshark -n -q -z conv,tcp -z conv,udp -r FILE` and prints the rows tshark reports next to what the
scenario is. The answers back docs/golden-notes.md. Standard library only; the captures are built
here byte by byte (no checksums are verified by tshark by default, they are still computed).

    python3 Scripts/probe-tshark-conv.py            # table of scenario, tcp rows, udp rows
    python3 Scripts/probe-tshark-conv.py --keep DIR # also keep the captures in DIR
"""
import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


def eth(payload, ethertype=0x0800, vlan=None):
    if vlan is not None:
        return MAC_B + MAC_A + struct.pack("!HHH", 0x8100, vlan, ethertype) + payload
    return MAC_B + MAC_A + struct.pack("!H", ethertype) + payload


def ipv4(src, dst, proto, payload, ident=1, frag_offset=0, more=False, total_len=None):
    flags = (0x2000 if more else 0) | (frag_offset // 8)
    length = total_len if total_len is not None else 20 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, length, ident, flags, 64, proto, 0, ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nxt, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nxt, 64, ip6(src), ip6(dst)) + payload


def tcp(sport, dport, seq, ack, flags, data=b"", offset_words=5):
    fl = {"S": 0x02, "SA": 0x12, "A": 0x10, "PA": 0x18, "FA": 0x11, "R": 0x04, "RA": 0x14}[flags]
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      offset_words << 4, fl, 65535, 0, 0)
    return hdr + data


def udp(sport, dport, data=b"", length=None):
    return struct.pack("!HHHH", sport, dport, length if length is not None else 8 + len(data), 0) + data


def v4tcp(src, dst, *args, vlan=None, **kw):
    return eth(ipv4(src, dst, 6, tcp(*args, **kw)), vlan=vlan)


def v4udp(src, dst, sport, dport, data=b"x", vlan=None):
    return eth(ipv4(src, dst, 17, udp(sport, dport, data)), vlan=vlan)


def session(c, s, cp, sp, isn_c, isn_s, close="FIN", vlan=None):
    """A whole TCP connection: handshake, one request and reply, then FIN or RST (or nothing)."""
    f = [
        v4tcp(c, s, cp, sp, isn_c, 0, "S", vlan=vlan),
        v4tcp(s, c, sp, cp, isn_s, isn_c + 1, "SA", vlan=vlan),
        v4tcp(c, s, cp, sp, isn_c + 1, isn_s + 1, "A", vlan=vlan),
        v4tcp(c, s, cp, sp, isn_c + 1, isn_s + 1, "PA", b"ping", vlan=vlan),
        v4tcp(s, c, sp, cp, isn_s + 1, isn_c + 5, "PA", b"pong", vlan=vlan),
    ]
    if close == "FIN":
        f += [v4tcp(c, s, cp, sp, isn_c + 5, isn_s + 5, "FA", vlan=vlan),
              v4tcp(s, c, sp, cp, isn_s + 5, isn_c + 6, "FA", vlan=vlan),
              v4tcp(c, s, cp, sp, isn_c + 6, isn_s + 6, "A", vlan=vlan)]
    elif close == "RST":
        f += [v4tcp(c, s, cp, sp, isn_c + 5, 0, "R", vlan=vlan)]
    return f


C, S = "10.0.0.1", "10.0.0.2"


def scenarios():
    sc = []
    sc.append(("tcp: one connection, handshake and FIN", session(C, S, 40000, 502, 1000, 5000)))
    sc.append(("tcp: FIN, then new SYN on same ports, different ISN",
               session(C, S, 40000, 502, 1000, 5000) + session(C, S, 40000, 502, 900000, 700000)))
    sc.append(("tcp: FIN, then new SYN on same ports, SAME ISN",
               session(C, S, 40000, 502, 1000, 5000) + session(C, S, 40000, 502, 1000, 5000)))
    sc.append(("tcp: RST, then new SYN on same ports, different ISN",
               session(C, S, 40000, 502, 1000, 5000, "RST") + session(C, S, 40000, 502, 900000, 700000)))
    sc.append(("tcp: still open (no FIN), new SYN on same ports, different ISN",
               session(C, S, 40000, 502, 1000, 5000, None) + session(C, S, 40000, 502, 900000, 700000)))
    sc.append(("tcp: FIN, then same ports again without SYN (mid-stream data)",
               session(C, S, 40000, 502, 1000, 5000)
               + [v4tcp(C, S, 40000, 502, 800000, 600000, "PA", b"late"),
                  v4tcp(S, C, 502, 40000, 600000, 800004, "A")]))
    sc.append(("tcp: FIN, then SYN-ACK only (SYN missed) with new ISNs",
               session(C, S, 40000, 502, 1000, 5000)
               + [v4tcp(S, C, 502, 40000, 700000, 900001, "SA"),
                  v4tcp(C, S, 40000, 502, 900001, 700001, "A")]))
    sc.append(("tcp: SYN sent 3 times (same ISN), no answer",
               [v4tcp(C, S, 40001, 502, 1000, 0, "S")] * 3))
    sc.append(("tcp: mid-stream only (no SYN), both directions",
               [v4tcp(C, S, 40002, 502, 1000, 5000, "PA", b"abc"),
                v4tcp(S, C, 502, 40002, 5000, 1003, "PA", b"def")]))
    sc.append(("tcp: same 4-tuple on VLAN 10 and VLAN 20 (different ISNs, interleaved)",
               [p for pair in zip(session(C, S, 40000, 502, 1000, 5000, vlan=10),
                                  session(C, S, 40000, 502, 900000, 700000, vlan=20)) for p in pair]))
    sc.append(("tcp: same 4-tuple on VLAN 10 and VLAN 20, same ISNs (one flow seen twice)",
               [p for pair in zip(session(C, S, 40000, 502, 1000, 5000, vlan=10),
                                  session(C, S, 40000, 502, 1000, 5000, vlan=20)) for p in pair]))
    sc.append(("tcp: same 4-tuple on VLAN 10 and VLAN 20, mid-stream (no SYN)",
               [v4tcp(C, S, 40000, 502, 1000, 5000, "PA", b"abc", vlan=10),
                v4tcp(C, S, 40000, 502, 77000, 99000, "PA", b"abc", vlan=20)]))
    sc.append(("tcp: RST, then new SYN on same ports, SAME ISN",
               session(C, S, 40000, 502, 1000, 5000, "RST") + session(C, S, 40000, 502, 1000, 5000)))
    sc.append(("tcp: SYN, then SYN with a different ISN (client retry), no answer",
               [v4tcp(C, S, 40001, 502, 1000, 0, "S"), v4tcp(C, S, 40001, 502, 555555, 0, "S")]))
    sc.append(("tcp: IPv6 connection",
               [eth(ipv6("fd00::1", "fd00::2", 6, tcp(40000, 502, 1, 0, "S")), 0x86DD),
                eth(ipv6("fd00::2", "fd00::1", 6, tcp(502, 40000, 9, 2, "SA")), 0x86DD)]))
    sc.append(("tcp: header with data offset 4 (< 20 bytes, malformed)",
               [v4tcp(C, S, 40003, 502, 1, 0, "S", offset_words=4)]))
    sc.append(("tcp: frame cut inside the TCP header (caplen)", [("cut", v4tcp(C, S, 40004, 502, 1, 0, "S"), 14 + 20 + 10)]))
    sc.append(("tcp: two connections, same hosts, different client ports",
               session(C, S, 40000, 502, 1000, 5000) + session(C, S, 40005, 502, 1000, 5000)))
    # UDP
    sc.append(("udp: one 5-tuple, both directions, 1 h apart", [
        ("t", v4udp(C, S, 5000, 53), 0), ("t", v4udp(S, C, 53, 5000), 3600)]))
    sc.append(("udp: same 4-tuple on VLAN 10 and VLAN 20",
               [v4udp(C, S, 5000, 53, vlan=10), v4udp(C, S, 5000, 53, vlan=20)]))
    sc.append(("udp: same hosts, two source ports", [v4udp(C, S, 5000, 53), v4udp(C, S, 5001, 53)]))
    sc.append(("udp: IPv6", [eth(ipv6("fd00::1", "fd00::2", 17, udp(5000, 53, b"x")), 0x86DD)]))
    inner = MAC_A + MAC_B + b"\x08\x00" + ipv4("192.168.0.1", "192.168.0.2", 17, udp(1111, 2222, b"in"))
    vx = struct.pack("!BBHI", 0x08, 0, 0, 42 << 8) + inner
    sc.append(("udp: VXLAN (outer UDP 4789) carrying inner UDP", [eth(ipv4(C, S, 17, udp(33333, 4789, vx)))]))
    gre = struct.pack("!HH", 0, 0x0800) + ipv4("192.168.0.1", "192.168.0.2", 17, udp(1111, 2222, b"in"))
    sc.append(("udp: GRE (IPv4 proto 47) carrying inner UDP", [eth(ipv4(C, S, 47, gre))]))
    sc.append(("udp: IPv4-in-IPv4 (proto 4) carrying inner UDP",
               [eth(ipv4(C, S, 4, ipv4("192.168.0.1", "192.168.0.2", 17, udp(1111, 2222, b"in"))))]))
    sc.append(("udp: IPv6-in-IPv4 (proto 41) carrying inner UDP",
               [eth(ipv4(C, S, 41, ipv6("fd00::1", "fd00::2", 17, udp(1111, 2222, b"in"))))]))
    sc.append(("tcp: GRE carrying inner TCP SYN",
               [eth(ipv4(C, S, 47, struct.pack("!HH", 0, 0x0800)
                         + ipv4("192.168.0.1", "192.168.0.2", 6, tcp(1111, 502, 1, 0, "S"))))]))
    payload = udp(5000, 53, b"A" * 40)  # 48 bytes: 24 + 24
    frag1 = eth(ipv4(C, S, 17, payload[:24], ident=7, frag_offset=0, more=True))
    frag2 = eth(ipv4(C, S, 17, payload[24:], ident=7, frag_offset=24, more=False))
    sc.append(("udp: IPv4 datagram in 2 fragments (complete)", [frag1, frag2]))
    sc.append(("udp: IPv4 first fragment only (second missing)", [frag1]))
    sc.append(("udp: IPv4 second fragment only (first missing)", [frag2]))
    sc.append(("udp: IPv4 fragments complete, plus an unfragmented datagram of the same 5-tuple",
               [frag1, frag2, v4udp(C, S, 5000, 53)]))
    frag6 = lambda off, more, data: eth(ipv6("fd00::1", "fd00::2", 44,
                                             struct.pack("!BBHI", 17, 0, (off // 8) << 3 | (1 if more else 0), 9)
                                             + data), 0x86DD)
    sc.append(("udp: IPv6 datagram in 2 fragments (complete)", [frag6(0, True, payload[:24]), frag6(24, False, payload[24:])]))
    quoted = ipv4(C, S, 17, udp(5000, 161, b"q"))
    icmp = struct.pack("!BBHI", 3, 3, 0, 0) + quoted
    sc.append(("udp: ICMP port unreachable quoting a UDP header (no other UDP)", [eth(ipv4(S, C, 1, icmp))]))
    icmp_tcp = struct.pack("!BBHI", 3, 3, 0, 0) + ipv4(C, S, 6, tcp(40010, 502, 1, 0, "S"))[:28]
    sc.append(("tcp: ICMP unreachable quoting a TCP header (8 bytes of it)", [eth(ipv4(S, C, 1, icmp_tcp))]))
    sc.append(("udp: UDP length field larger than the datagram",
               [eth(ipv4(C, S, 17, udp(5000, 53, b"xy", length=200)))]))
    sc.append(("udp: UDP length field 4 (< 8, malformed)", [eth(ipv4(C, S, 17, udp(5000, 53, b"xy", length=4)))]))
    return sc


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        base = 1700000000
        for i, fr in enumerate(frames):
            caplen = None
            ts = i * 0.001
            if isinstance(fr, tuple):
                kind, data, arg = fr
                if kind == "cut":
                    caplen = arg
                else:
                    ts = arg + i * 0.001
                fr = data
            cap = fr[:caplen] if caplen is not None else fr
            sec = base + int(ts)
            usec = int(round((ts - int(ts)) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(cap), len(fr)) + cap)


def count(path):
    r = subprocess.run(["tshark", "-n", "-q", "-r", path, "-z", "conv,tcp", "-z", "conv,udp"],
                       capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    counts, cur = {}, None
    for line in r.stdout.splitlines():
        m = re.match(r"^(\w+) Conversations$", line.strip())
        if m:
            cur = m.group(1).lower()
            counts[cur] = []
        elif cur and "<->" in line:
            t = line.split()
            # addr <-> addr, then frames/bytes/unit for <-, ->, total
            counts[cur].append("%s %s %s  (%s frames)" % (t[0], t[1], t[2], t[9] if len(t) > 9 else "?"))
    return counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", help="folder to keep the probe captures in")
    ap.add_argument("-v", action="store_true", help="print the rows too")
    args = ap.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="probe-conv-")
    os.makedirs(folder, exist_ok=True)
    print("%-84s %4s %4s" % ("scenario", "tcp", "udp"))
    for i, (name, frames) in enumerate(scenarios()):
        path = os.path.join(folder, "probe%02d.pcap" % i)
        write_pcap(path, frames)
        c = count(path)
        print("%-84s %4d %4d" % (name, len(c.get("tcp", [])), len(c.get("udp", []))))
        if args.v:
            for proto in ("tcp", "udp"):
                for row in c.get(proto, []):
                    print("      %s %s" % (proto, row))


if __name__ == "__main__":
    sys.exit(main())
