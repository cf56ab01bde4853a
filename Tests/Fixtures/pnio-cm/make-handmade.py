#!/usr/bin/env python3
# Writes handmade.pcap: the Connect (AR block, station "plc-1"), Control (PrmEnd) and Write
# (index 0xAFF3, slot 1, subslot 0x8001) requests of PNIOCMTests.swift, little-endian NDR, from
# 10.0.0.1:50000 to 10.0.0.2:34964. tshark 4.0.17 decodes them (pn_io.cminitiator_station_name,
# pn_io.control_command.prmend, pn_io.index); it flags the 4-byte I&M3 record data as short.
import struct
dev = bytes([0x01, 0x00, 0xa0, 0xde, 0x97, 0x6c, 0xd1, 0x11, 0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d])
act = bytes(range(0x10, 0x20))
def hdr(t, op, seq, bl):
    return (bytes([4, t, 8, 0, 0x10, 0, 0, 0]) + b'\xaa' * 16 + dev + act
            + struct.pack('<IIIH', 0, 1, seq, op) + b'\xff' * 4 + struct.pack('<HH', bl, 0) + b'\0\0')
def args(n): return struct.pack('<IIIII', 0x8040, n, 0x8040, 0, n)
ar = (bytes([1, 1, 0, 0x3b, 1, 0, 0, 6]) + b'\x55' * 16 + bytes([0, 1, 0, 0x0e, 0x8c, 0, 0, 1]) + b'\x66' * 16
      + bytes([0, 0, 0, 0x11, 0, 0x64, 0x88, 0x92, 0, 5]) + b'plc-1')
ctl = bytes([1, 0x10, 0, 0x1c, 1, 0, 0, 0]) + b'\x55' * 16 + bytes([0, 1, 0, 0, 0, 1, 0, 0])
wb = (bytes([0, 8, 0, 0x3c, 1, 0, 0, 7]) + b'\x55' * 16
      + bytes([0, 0, 0, 0, 0, 1, 0x80, 1, 0, 0, 0xaf, 0xf3, 0, 0, 0, 4]) + b'\0' * 24 + bytes([1, 2, 3, 4]))
packets = [hdr(0, 0, 1, 20 + len(ar)) + args(len(ar)) + ar, hdr(0, 4, 3, 20 + len(ctl)) + args(len(ctl)) + ctl,
           hdr(0, 3, 2, 20 + len(wb)) + args(len(wb)) + wb]
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for p in packets:
    udp = struct.pack('>HHHH', 50000, 34964, 8 + len(p), 0) + p
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    frame = b'\x00\x11\x22\x33\x44\x55' + b'\x00\x0e\x8c\x00\x00\x01' + b'\x08\x00' + ip + udp
    out += struct.pack('<IIII', 0, 0, len(frame), len(frame)) + frame
open('handmade.pcap', 'wb').write(out)
