#!/usr/bin/env python3
"""Writes ftp-login.pcap (one line a segment: tshark reads only the first line of a segment) (hand-made: no public capture holds FTP) and ftp-login.tshark.txt, the
counts tshark gives in the FTP dissector's numbering: a command by its position in FTP.commands
(0 when not listed), a reply by `ftp.response.code`."""
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "rdp"))
import tcp_pcap  # noqa: E402

COMMANDS = [
    "", "USER", "PASS", "ACCT", "CWD", "CDUP", "SMNT", "QUIT", "REIN", "PORT", "PASV", "TYPE", "STRU",
    "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR", "DELE", "RMD", "MKD",
    "PWD", "LIST", "NLST", "SITE", "SYST", "STAT", "HELP", "NOOP", "FEAT", "OPTS", "AUTH", "PBSZ", "PROT",
    "EPRT", "EPSV", "SIZE", "MDTM", "MLSD", "MLST", "XPWD", "XCWD", "XMKD", "XRMD", "CCC",
]

session = [
    (False, b"220 (vsFTPd 3.0.3)\r\n"),
    (True, b"USER operator\r\n"), (False, b"331 Please specify the password.\r\n"),
    (True, b"PASS hunter2\r\n"), (False, b"230 Login successful.\r\n"),
    (True, b"SYST\r\n"), (False, b"215 UNIX Type: L8\r\n"),
    (True, b"FEAT\r\n"), (False, b"211-Features:\r\n"), (False, b" EPSV\r\n"), (False, b" PASV\r\n"),
    (False, b"211 End\r\n"),
    (True, b"PASV\r\n"), (False, b"227 Entering Passive Mode (10,0,0,9,195,80).\r\n"),
    (True, b"RETR plc.cfg\r\n"), (False, b"150 Opening BINARY mode.\r\n"), (False, b"226 Transfer complete.\r\n"),
    (True, b"XYZW unknown\r\n"),
    (False, b"500 Unknown command.\r\n"),
    (True, b"QUIT\r\n"), (False, b"221 Goodbye.\r\n"),
]
anonymous = [
    (False, b"220 Microsoft FTP Service\r\n"),
    (True, b"USER anonymous\r\n"), (False, b"331 Anonymous access allowed.\r\n"),
    (True, b"PASS guest@\r\n"), (False, b"530 User cannot log in.\r\n"),
]
pcap = os.path.join(here, "ftp-login.pcap")
tcp_pcap.write(pcap, [
    ([10, 0, 0, 5], [10, 0, 0, 21], 50100, 21, session),
    ([10, 0, 0, 6], [10, 0, 0, 22], 50101, 21, anonymous),
])
out = subprocess.run(
    ["tshark", "-r", pcap, "-Y", "ftp", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
     "-e", "ftp.request.command", "-e", "ftp.response.code"], check=True, capture_output=True, text=True).stdout
counts = {}
for line in out.splitlines():
    commands, codes = (line.split("\t") + [""])[:2]
    for command in filter(None, commands.split("|")):
        code = COMMANDS.index(command.upper()) if command.upper() in COMMANDS else 0
        counts[code] = counts.get(code, 0) + 1
    for reply in filter(None, codes.split("|")):
        counts[int(reply)] = counts.get(int(reply), 0) + 1
with open(os.path.join(here, "ftp-login.tshark.txt"), "w") as f:
    for code, n in sorted(counts.items()):
        f.write(f"{code} {n}\n")
