#!/usr/bin/env python3
"""Golden values for the Foundation issue, taken from tshark (Wireshark) and capinfos.

For every capture it writes one JSON file:
  packets            frames tshark reads (for a file cut short: the frames before the cut)
  tcp_conversations  rows of `tshark -q -z conv,tcp`
  udp_conversations  rows of `tshark -q -z conv,udp`
  modbus_functions   {decimal function code: count} of every `modbus.func_code` occurrence,
                     exception bit (0x80) stripped; a frame can carry several PDUs
  protocols          {name: {decimal code: count}} of the function fields the industrial-protocols
                     issue names (PROTOCOL_FIELDS below), every occurrence; empty maps left out
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
    cmd += ["-z", "conv,tcp", "-z", "conv,udp"]
    protocols = {name: {} for name, _ in PROTOCOL_FIELDS}
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
