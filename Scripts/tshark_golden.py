#!/usr/bin/env python3
"""Golden values for the Foundation issue, taken from tshark (Wireshark) and capinfos.

For every capture it writes one JSON file:
  packets            frames tshark reads (for a file cut short: the frames before the cut)
  tcp_conversations  rows of `tshark -q -z conv,tcp`
  udp_conversations  rows of `tshark -q -z conv,udp`
  modbus_functions   {decimal function code: count} of every `modbus.func_code` occurrence,
                     exception bit (0x80) stripped; a frame can carry several PDUs
  protocols          {name: {decimal code: count}} of the function fields the industrial-protocols
                     issue names (PROTOCOL_FIELDS below), every occurrence, and of the IT protocols
                     (IT_PROTOCOLS below: each on its dissector's port hints, frames with ICMP left
                     out, codes numbered as Converge numbers them); empty maps left out
  truncated          true when tshark says the file "appears to have been cut short"
  tshark             the tshark version that produced the values

Standard library only; called by Scripts/regen-golden.sh. Output is stable (sorted keys, fixed
indentation) and a file is rewritten only when its content changes.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

CUT_SHORT = "appears to have been cut short"
# Converge's protocol names and the Wireshark field each one's function codes are counted by.
# BACnet's confirmed and unconfirmed service numbers overlap, so they are kept apart.
PROTOCOL_FIELDS = [
    ("dnp3", "dnp3.al.func"),
    ("s7comm", "s7comm.param.func"),
    ("enip", "enip.command"),
    ("cip", "cip.sc"),
    ("bacnet.confirmed", "bacapp.confirmed_service"),
    ("bacnet.unconfirmed", "bacapp.unconfirmed_service"),
    ("iec104", "iec60870_asdu.typeid"),
    ("opcua", "opcua.servicenodeid.numeric"),
    ("mqtt", "mqtt.msgtype"),
]
# The IT protocols (issue 4). Converge dissects a flow only when a port hint selects the protocol, so
# each count is restricted to frames with one of that dissector's `portHints` (Sources/ConvergeProtocols/
# IT/*/*.swift) and to frames without ICMP (a header quoted in an ICMP error is no flow). Each entry:
# Converge's name, its transport and ports (None: any frame), and how a frame's fields become codes.
HTTP_METHODS = {"GET": 1, "POST": 2, "HEAD": 3, "PUT": 4, "DELETE": 5, "OPTIONS": 6, "CONNECT": 7,
                "TRACE": 8, "PATCH": 9}  # HTTP.Method; any other method 15
SSDP_METHODS = {"NOTIFY": 1, "M-SEARCH": 2}  # SSDP; any other method 3
FTP_COMMANDS = [  # FTP.commands: a command counts under its position, 0 when not listed
    "", "USER", "PASS", "ACCT", "CWD", "CDUP", "SMNT", "QUIT", "REIN", "PORT", "PASV", "TYPE", "STRU",
    "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR", "DELE", "RMD", "MKD",
    "PWD", "LIST", "NLST", "SITE", "SYST", "STAT", "HELP", "NOOP", "FEAT", "OPTS", "AUTH", "PBSZ", "PROT",
    "EPRT", "EPSV", "SIZE", "MDTM", "MLSD", "MLST", "XPWD", "XCWD", "XMKD", "XRMD", "CCC",
]
TLS_PORTS = {443, 8443, 465, 636, 853, 990, 993, 995, 4843, 5061, 8883, 9443}
HTTP_PORTS = {80, 8080, 8000, 8008, 8081, 8888, 591, 3128}
IT_FIELDS = [
    "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "icmp.type", "icmpv6.type",
    "arp.opcode", "dns.flags.response", "dns.flags.opcode", "nbns.flags.response", "nbns.flags.opcode",
    "nbdgm.type", "browser.command", "dhcp.option.dhcp", "dhcpv6.msgtype", "ntp.flags.mode", "snmp.data",
    "ssh.message_code", "tls.handshake.type", "telnet.cmd", "smb2.cmd", "smb.cmd", "smb.mid", "cotp.type",
    "ftp.request.command", "ftp.response.code", "http.request.method", "http.response.code",
    "lldp.time_to_live", "cdp.version", "stp.type", "kerberos.msg_type", "ldap.protocolOp",
    "syslog.level", "radius.code", "tacplus.type", "pn_dcp.service_id", "pn_rt.frame_id",
    "omron.command", "ams.cmdid", "data.data", "hart_ip.message_id", "synphasor.frtype",
    "goose.goosePdu_element", "sv.savPdu_element",
    "dcerpc.ver", "dcerpc.opnum",
    "mms.confirmedServiceRequest", "mms.confirmedServiceResponse", "mms.unconfirmedService",
    "mms.confirmed_ErrorPDU_element", "mms.rejectPDU_element", "mms.cancel_RequestPDU", "mms.cancel_ResponsePDU", "mms.cancel_ErrorPDU_element", "mms.initiate_RequestPDU_element", "mms.initiate_ResponsePDU_element", "mms.initiate_ErrorPDU_element", "mms.conclude_RequestPDU_element", "mms.conclude_ResponsePDU_element", "mms.conclude_ErrorPDU_element", "acse.rlrq_element", "acse.rlre_element", "acse.abrt_element",
]


def ints(values):
    out = []
    for v in values:
        try:
            out.append(int(v, 0))
        except ValueError:
            pass
    return out


def dns_codes(f, prefix):
    """response × 16 + opcode, one per message (`DNS.responseBase`)."""
    return [r * 16 + o for r, o in zip(ints(f[prefix + ".flags.response"]), ints(f[prefix + ".flags.opcode"]))]


def http_codes(f, methods, other):
    return [methods.get(m, other) for m in f["http.request.method"]] + ints(f["http.response.code"])


def ftp_codes(f):
    commands = [FTP_COMMANDS.index(c.upper()) if c.upper() in FTP_COMMANDS else 0 for c in f["ftp.request.command"]]
    return commands + ints(f["ftp.response.code"])


def smb_codes(f):
    """SMB2/3: every `smb2.cmd`. SMB1: 256 + the header's command, the first `smb.cmd` of the frame
    (the AndX follow-on commands are `smb.cmd` too, so this holds for one SMB1 header a frame; frames
    with more are reported by `golden_for`)."""
    codes = ints(f["smb2.cmd"])
    cmds = ints(f["smb.cmd"])
    if cmds:
        codes.append(256 + cmds[0])
    return codes


def ads_udp_codes(f):
    codes = []
    for payload in f["data.data"][:1]:
        raw = bytes.fromhex(payload.replace(":", ""))
        if len(raw) >= 12 and raw[:4] == bytes([0x03, 0x66, 0x14, 0x71]):
            codes.append(int.from_bytes(raw[8:12], "little") & 0x7FFFFFFF)
    return codes


# MMS PDUs without a service number, counted one fixed code an occurrence (MMS.functionCode).
MMS_ELEMENTS = [
    ("mms.confirmed_ErrorPDU_element", 102),
    ("mms.rejectPDU_element", 104),
    ("mms.cancel_RequestPDU", 105),
    ("mms.cancel_ResponsePDU", 106),
    ("mms.cancel_ErrorPDU_element", 107),
    ("mms.initiate_RequestPDU_element", 108),
    ("mms.initiate_ResponsePDU_element", 109),
    ("mms.initiate_ErrorPDU_element", 110),
    ("mms.conclude_RequestPDU_element", 111),
    ("mms.conclude_ResponsePDU_element", 112),
    ("mms.conclude_ErrorPDU_element", 113),
    ("acse.rlrq_element", 302),
    ("acse.rlre_element", 303),
    ("acse.abrt_element", 304),
]


def mms_codes(f):
    """Confirmed services by tag (requests and responses), 200 + each unconfirmed service, and one
    code for each other PDU (errors, rejects, cancel, initiate, conclude, ACSE release/abort)."""
    codes = ints(f["mms.confirmedServiceRequest"]) + ints(f["mms.confirmedServiceResponse"])
    codes += [200 + n for n in ints(f["mms.unconfirmedService"])]
    for field, code in MMS_ELEMENTS:
        codes += [code for _ in f[field]]
    return codes


def profinet_codes(f):
    """DCP: `pn_dcp.service_id`; other RT frames by FrameID class (`PROFINET.FunctionCode`):
    256 cyclic (0x0100–0xFBFF), 257 alarm (0xFC01, 0xFE01), 258 PTCP (0x0000–0x00FF,
    0xFF20–0xFF43), 259 other."""
    service = ints(f["pn_dcp.service_id"])[:1]
    if service:
        return service
    ids = ints(f["pn_rt.frame_id"])[:1]
    if not ids:
        return []
    frame_id = ids[0]
    if 0x0100 <= frame_id <= 0xFBFF:
        return [256]
    if frame_id in (0xFC01, 0xFE01):
        return [257]
    if frame_id <= 0x00FF or 0xFF20 <= frame_id <= 0xFF43:
        return [258]
    return [259]


# (Converge name, transport, ports or None, codes of one frame's fields)
IT_PROTOCOLS = [
    ("arp", None, None, lambda f: ints(f["arp.opcode"])),
    ("dns", "udp", {53}, lambda f: dns_codes(f, "dns")),
    ("dns_tcp", "tcp", {53}, lambda f: dns_codes(f, "dns")),
    ("mdns", "udp", {5353}, lambda f: dns_codes(f, "dns")),
    ("llmnr", "udp", {5355}, lambda f: dns_codes(f, "dns")),
    ("nbns", "udp", {137}, lambda f: dns_codes(f, "nbns")),
    ("nbdgm", "udp", {138}, lambda f: ints(f["nbdgm.type"])),
    ("browser", "udp", {138}, lambda f: ints(f["browser.command"])),
    ("dhcp", "udp", {67, 68}, lambda f: ints(f["dhcp.option.dhcp"])),
    ("dhcpv6", "udp", {546, 547}, lambda f: ints(f["dhcpv6.msgtype"])[:1]),
    ("ntp", "udp", {123}, lambda f: ints(f["ntp.flags.mode"])),
    ("snmp", "udp", {161, 162}, lambda f: ints(f["snmp.data"])),
    ("ssdp", "udp", {1900}, lambda f: http_codes(f, SSDP_METHODS, 3)),
    ("ssh", "tcp", {22, 2222}, lambda f: ints(f["ssh.message_code"])),
    ("tls", "tcp", TLS_PORTS, lambda f: ints(f["tls.handshake.type"])),
    ("telnet", "tcp", {23}, lambda f: ints(f["telnet.cmd"])),
    ("smb", "tcp", {445, 139}, smb_codes),
    ("rdp", "tcp", {3389}, lambda f: ints(f["cotp.type"])),
    ("ftp", "tcp", {21}, ftp_codes),
    ("http", "tcp", HTTP_PORTS, lambda f: http_codes(f, HTTP_METHODS, 15)),
    # Link-layer frames: one message a frame. LLDP counts 1 for an LLDPDU, 0 for a shutdown (TTL 0).
    ("lldp", None, None, lambda f: [0 if ttl == 0 else 1 for ttl in ints(f["lldp.time_to_live"])[:1]]),
    ("cdp", None, None, lambda f: ints(f["cdp.version"])[:1]),
    ("stp", None, None, lambda f: ints(f["stp.type"])[:1]),
    ("profinet", None, None, profinet_codes),
    # IEC 61850: one GOOSE PDU or SV frame a message, counted as function 1.
    ("goose", None, None, lambda f: [1 for _ in f["goose.goosePdu_element"]]),
    ("sv", None, None, lambda f: [1 for _ in f["sv.savPdu_element"]]),
    # A TGS-REQ carries its AP-REQ inside; tshark lists that as a second msg_type, Converge counts
    # the outer message only.
    ("kerberos", "udp", {88}, lambda f: ints(f["kerberos.msg_type"])[:1]),
    ("kerberos_tcp", "tcp", {88}, lambda f: ints(f["kerberos.msg_type"])[:1]),
    ("ldap", "tcp", {389, 3268}, lambda f: ints(f["ldap.protocolOp"])),
    ("cldap", "udp", {389}, lambda f: ints(f["ldap.protocolOp"])),
    ("syslog", "udp", {514}, lambda f: ints(f["syslog.level"])),
    ("syslog_tcp", "tcp", {514, 601}, lambda f: ints(f["syslog.level"])),
    ("radius", "udp", {1812, 1813, 1645, 1646}, lambda f: ints(f["radius.code"])),
    ("tacacs", "tcp", {49}, lambda f: ints(f["tacplus.type"])),
    # Tier-2 industrial protocols (issue 5). MELSEC MC has no tshark dissector: its values are
    # checked by hand in Tests/ConvergeProtocolsTests/MELSECTests.swift.
    ("fins", "udp", {9600}, lambda f: ints(f["omron.command"])),
    ("fins_tcp", "tcp", {9600}, lambda f: ints(f["omron.command"])),
    ("ads", "tcp", {48898}, lambda f: ints(f["ams.cmdid"])),
    # ADS over UDP 48899 has no tshark dissector (it shows `data`): the service id is read from the
    # payload tshark prints, bytes 8–11 little-endian, bit 31 (response) cleared.
    ("ads_udp", "udp", {48899}, ads_udp_codes),
    ("mms", "tcp", {102}, mms_codes),
    # PROFINET IO context manager: DCE/RPC connectionless (version 4) on UDP 34964, by opnum.
    ("pn_io_cm", "udp", {34964}, lambda f: ints(f["dcerpc.opnum"]) if ints(f["dcerpc.ver"]) == [4] else []),
    # HART-IP over TCP 5094 and UDP 5094/5095 (the gateway answers a session from 5095).
    ("hart_ip", None, None, lambda f: ints(f["hart_ip.message_id"])),
    ("c37118", None, None, lambda f: ints(f["synphasor.frtype"])),
    # VNC is not here: tshark reads one RFB message a TCP segment, so its counts are compared on
    # captures made for it (Tests/Fixtures/vnc), none of the shared ones carries RFB.
]
# Decode-as options named in public/CATALOGUE.tsv notes ("decoded with tshark -d tcp.port==20001,dnp3").
# They only change the application dissector on those ports; Scripts/regen-golden.sh applies them only
# when --catalogue-decode-as is given (they do not change any golden field, see docs/golden-notes.md).
DECODE_AS = re.compile(r"decoded with tshark((?:\s+-d\s+[^\s;]+)+)")


def tshark_version():
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"TShark \(Wireshark\) (\d+\.\d+\.\d+)", out)
    if not m:
        sys.exit("tshark_golden: cannot read the tshark version")
    return m.group(1)


def parse_conversations(text):
    """Counts the rows of each `-z conv,X` table in tshark's statistics output, by table title."""
    counts = {}
    current = None
    for line in text.splitlines():
        title = re.match(r"^(\w+) Conversations$", line.strip())
        if title:
            current = title.group(1).lower()
            counts[current] = 0
        elif line.startswith("====="):
            # the line of '=' after the rows closes the table (the ones before its title do not matter)
            if current is not None and counts.get(current, 0) > 0:
                current = None
        elif current is not None and "<->" in line:
            counts[current] += 1
    return counts


def capinfos_packets(path, env):
    """Packet count according to capinfos (cross-check only): for a damaged file, the packets read
    before the error."""
    r = subprocess.run(["capinfos", "-c", "-M", path], capture_output=True, text=True, env=env)
    m = re.search(r"Number of packets:\s+(\d+)", r.stdout)
    if m:
        return int(m.group(1))
    m = re.search(r"error occurred after reading (\d+) packets", r.stderr)
    if m:
        return int(m.group(1))
    return None


def golden_for(path, decode_as, version, env):
    cmd = ["tshark", "-n", "-r", path] + decode_as + [
        "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
        "-e", "frame.number", "-e", "modbus.func_code",
    ]
    for _, field in PROTOCOL_FIELDS:
        cmd += ["-e", field]
    for field in IT_FIELDS:
        cmd += ["-e", field]
    cmd += ["-z", "conv,tcp", "-z", "conv,udp"]
    protocols = {name: {} for name, _ in PROTOCOL_FIELDS}
    protocols.update({name: {} for name, _, _, _ in IT_PROTOCOLS})
    it_start = 2 + len(PROTOCOL_FIELDS)
    smb1_shared = []  # frames with more than one SMB1 header (their header commands are not told apart)
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, errors="replace")
    packets = 0
    functions = {}
    stats_lines = []
    in_stats = False
    for line in r.stdout.splitlines():
        if not in_stats and line.startswith("====="):
            in_stats = True
        if in_stats:
            stats_lines.append(line)
            continue
        fields = line.split("\t")
        if not fields[0].isdigit():
            continue
        packets += 1
        if len(fields) > 1 and fields[1]:
            for value in fields[1].split(","):
                code = int(value, 0) & 0x7F  # Wireshark already masks 0x7F; strip again to be sure
                functions[code] = functions.get(code, 0) + 1
        for (name, _), column in zip(PROTOCOL_FIELDS, fields[2:]):
            for value in filter(None, column.split(",")):
                try:
                    code = int(value, 0)
                except ValueError:
                    continue
                protocols[name][code] = protocols[name].get(code, 0) + 1
        it = {field: list(filter(None, column.split(","))) for field, column in zip(IT_FIELDS, fields[it_start:])}
        if len(it) < len(IT_FIELDS) or it["icmp.type"] or it["icmpv6.type"]:
            continue
        ports = {"tcp": set(ints(it["tcp.srcport"] + it["tcp.dstport"])),
                 "udp": set(ints(it["udp.srcport"] + it["udp.dstport"]))}
        for name, transport, hints, codes in IT_PROTOCOLS:
            if hints is not None and not ports[transport] & hints:
                continue
            for code in codes(it):
                protocols[name][code] = protocols[name].get(code, 0) + 1
        if ports["tcp"] & {445, 139} and len(it["smb.mid"]) > 1:
            smb1_shared.append(fields[0])
    conv = parse_conversations("\n".join(stats_lines))
    stderr = "\n".join(l for l in r.stderr.splitlines() if not l.startswith("Running as user"))
    golden = {
        "packets": packets,
        "tcp_conversations": conv.get("tcp", 0),
        "udp_conversations": conv.get("udp", 0),
        "modbus_functions": {str(k): functions[k] for k in sorted(functions)},
        "protocols": {
            name: {str(k): counts[k] for k in sorted(counts)} for name, counts in protocols.items() if counts
        },
        "truncated": CUT_SHORT in stderr,
        "tshark": version,
    }
    problems = []
    if "tcp" not in conv or "udp" not in conv:
        problems.append("no conversation table (tshark exit %d): %s" % (r.returncode, stderr.strip()[:200]))
    elif stderr.strip() and not golden["truncated"]:
        problems.append("tshark said: " + stderr.strip().splitlines()[0][:200])
    if smb1_shared:
        problems.append("SMB1: %d frames with several SMB1 headers (first %s): smb counts only the first"
                        % (len(smb1_shared), smb1_shared[0]))
    cap = capinfos_packets(path, env)
    if cap is not None and cap != packets:
        problems.append("capinfos counts %d packets, tshark %d" % (cap, packets))
    return golden, problems


def keep_declared_differences(path, golden):
    """Carry over `converge_differs` (written by hand: where Converge deliberately differs, and why)."""
    try:
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
    except (FileNotFoundError, ValueError):
        return golden
    if "converge_differs" in old:
        golden = dict(golden, converge_differs=old["converge_differs"])
    return golden


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", required=True, help="the shared folder holding captures/")
    ap.add_argument("--out", required=True, help="Tests/Fixtures/golden")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=PATH",
                    help="one more capture: golden file NAME.json (relative to --out) for PATH")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--catalogue-decode-as", action="store_true",
                    help="apply the -d options of the catalogue notes")
    args = ap.parse_args()

    captures = os.path.join(args.shared, "captures")
    jobs = []  # (golden path relative to --out, capture path, decode-as options)
    catalogue = os.path.join(captures, "public", "CATALOGUE.tsv")
    with open(catalogue, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col_path, col_notes = header.index("relative_path"), header.index("notes")
        for line in f:
            row = line.rstrip("\n").split("\t")
            if len(row) <= col_notes:
                continue
            rel = row[col_path]
            decode_as = []
            m = DECODE_AS.search(row[col_notes])
            if m and args.catalogue_decode_as:
                decode_as = m.group(1).split()
            jobs.append((os.path.join("public", rel) + ".json", os.path.join(captures, "public", rel), decode_as))
    generated = os.path.join(captures, "generated")
    for name in sorted(os.listdir(generated)):
        if re.search(r"\.(pcap|pcapng|cap)(\.gz)?$", name):
            jobs.append((os.path.join("generated", name) + ".json", os.path.join(generated, name), []))
    for extra in args.extra:
        name, _, path = extra.partition("=")
        jobs.append((name + ".json", path, []))

    version = tshark_version()
    config = tempfile.mkdtemp(prefix="golden-wsconfig-")  # no personal Wireshark preferences
    env = dict(os.environ, LC_ALL="C", WIRESHARK_CONFIG_DIR=config)

    written = unchanged = 0
    truncated = []
    notes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(golden_for, cap, dx, version, env): (rel, cap) for rel, cap, dx in jobs}
        results = {}
        for fut in concurrent.futures.as_completed(futures):
            results[futures[fut][0]] = fut.result()
    totals = {"packets": 0, "tcp": 0, "udp": 0, "modbus": 0}
    for rel, cap, _ in jobs:
        golden, problems = results[rel]
        golden = keep_declared_differences(os.path.join(args.out, rel), golden)
        text = json.dumps(golden, sort_keys=True, indent=2) + "\n"
        if write_if_changed(os.path.join(args.out, rel), text):
            written += 1
        else:
            unchanged += 1
        if golden["truncated"]:
            truncated.append(rel)
        for p in problems:
            notes.append("%s: %s" % (rel, p))
        totals["packets"] += golden["packets"]
        totals["tcp"] += golden["tcp_conversations"]
        totals["udp"] += golden["udp_conversations"]
        totals["modbus"] += sum(golden["modbus_functions"].values())

    # golden files whose capture is gone are removed, so the folder mirrors the captures exactly
    wanted = {os.path.normpath(os.path.join(args.out, rel)) for rel, _, _ in jobs}
    removed = 0
    for sub in ("public", "generated", "sample"):
        for dirpath, _, files in os.walk(os.path.join(args.out, sub)):
            for name in files:
                p = os.path.normpath(os.path.join(dirpath, name))
                if name.endswith(".json") and p not in wanted:
                    os.remove(p)
                    removed += 1

    print("golden: %d captures, tshark %s: %d written, %d unchanged, %d stale removed"
          % (len(jobs), version, written, unchanged, removed))
    print("golden: totals: %d packets, %d TCP and %d UDP conversations, %d Modbus PDUs"
          % (totals["packets"], totals["tcp"], totals["udp"], totals["modbus"]))
    print("golden: %d files cut short: %s" % (len(truncated), ", ".join(truncated) or "-"))
    for n in notes:
        print("golden: note: " + n)


if __name__ == "__main__":
    main()
