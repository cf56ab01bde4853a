#!/usr/bin/env python3
"""Writes telnet-login.pcap (hand-made: no public capture holds Telnet) and telnet-login.tshark.txt,
one "<telnet.cmd> <count>" line per IAC command tshark shows."""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "rdp"))
import tcp_pcap  # noqa: E402

IAC, WILL, WONT, DO, DONT, SB, SE = 255, 251, 252, 253, 254, 250, 240
steps = [
    (False, bytes([IAC, DO, 24, IAC, DO, 32, IAC, WILL, 1])),            # terminal type, speed; echo
    (True, bytes([IAC, WILL, 24, IAC, WONT, 32, IAC, DO, 1])),
    (False, bytes([IAC, SB, 24, 1, IAC, SE])),                           # send terminal type
    (True, bytes([IAC, SB, 24, 0]) + b"XTERM" + bytes([IAC, SE])),
    (False, b"Ubuntu 22.04.3 LTS\r\n"), (False, b"plc-gw login: "),
] + [(True, bytes([c])) for c in b"root"] + [(True, b"\r\n")] + [
    (False, b"Password: "), (True, b"toor\r\n"),
    (False, b"Welcome\r\n$ "), (True, b"exit\r\n"), (False, bytes([IAC, DONT, 1])),
]
pcap = os.path.join(here, "telnet-login.pcap")
tcp_pcap.write(pcap, [([10, 0, 0, 5], [10, 0, 0, 23], 50200, 23, steps)])
out = subprocess.run(["tshark", "-r", pcap, "-Y", "telnet", "-T", "fields", "-E", "occurrence=a", "-e", "telnet.cmd"],
                     check=True, capture_output=True, text=True).stdout
counts = {}
for value in out.replace(",", "\n").split():
    counts[int(value)] = counts.get(int(value), 0) + 1
with open(os.path.join(here, "telnet-login.tshark.txt"), "w") as f:
    for code, n in sorted(counts.items()):
        f.write(f"{code} {n}\n")
