#!/usr/bin/env python3
"""Per-command counts tshark gives for SMB over TCP (ports 445 and 139), as the SMB dissector counts.

One line "<code> <count>": SMB2/3 commands under their `smb2.cmd` code, SMB1 under 256 + the
header's `smb.cmd` (the first `smb.cmd` of each SMB PDU; the AndX follow-on commands that tshark
also lists as `smb.cmd` are not counted). Read from PDML so header and AndX fields are told apart.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

FILTER = "(tcp.port == 445 || tcp.port == 139) && (smb || smb2)"


def counts(path):
    pdml = subprocess.run(
        ["tshark", "-r", path, "-Y", FILTER, "-T", "pdml"],
        check=True, capture_output=True).stdout
    found = {}
    # Field values shown from the wire may hold bytes XML forbids: replace them.
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "?", pdml.decode("utf-8", "replace"))
    for packet in ET.fromstring(text).iter("packet"):
        for proto in packet.findall("proto"):
            name = proto.get("name")
            if name == "smb":
                cmds = [f for f in proto.iter("field") if f.get("name") == "smb.cmd"]
                if cmds:
                    code = 256 + int(cmds[0].get("value"), 16)
                    found[code] = found.get(code, 0) + 1
            elif name == "smb2":
                for f in proto.iter("field"):
                    if f.get("name") == "smb2.cmd":
                        code = int(f.get("show"))
                        found[code] = found.get(code, 0) + 1
    return found


if __name__ == "__main__":
    for code, n in sorted(counts(sys.argv[1]).items()):
        print(code, n)
