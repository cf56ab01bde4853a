#!/usr/bin/env python3
"""Declares where Converge deliberately differs from tshark in one golden file.

    Scripts/declare-difference.py GOLDEN FIELD "why" [--capture PATH]

FIELD is a golden field (`udp_conversations`, `modbus_functions`, `protocols.opcua`, …). The value
Converge gives is taken from `converge analyze --json` on the golden's capture and written under
`converge_differs` with the reason; the golden test then holds Converge to it. Read the diff before
committing: a declared difference is a claim that tshark is wrong or both are defensible.
"""
import json
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    golden_path, field, why = sys.argv[1], sys.argv[2], sys.argv[3]
    rel = os.path.relpath(os.path.abspath(golden_path), os.path.join(root, "Tests/Fixtures/golden"))
    capture = rel[: -len(".json")]
    if capture.startswith("sample/"):
        capture = os.path.join(root, "Tests/Fixtures", capture)
    else:
        capture = os.path.join(root, "..", "shared", "captures", capture)
    binary = os.path.join(root, ".build/debug/converge")
    out = subprocess.run([binary, "analyze", "--json", capture], capture_output=True, text=True, check=True).stdout
    summary = json.loads(out)
    if field == "udp_conversations":
        value = summary["flows"]["udp"]
    elif field == "tcp_conversations":
        value = summary["flows"]["tcp"]
    elif field == "packets":
        value = summary["packets"]
    elif field == "modbus_functions":
        value = summary["protocols"].get("modbus", {}).get("functions", {})
    elif field.startswith("protocols."):
        value = summary["protocols"].get(field.split(".", 1)[1], {}).get("functions", {})
    else:
        sys.exit("unknown field " + field)
    with open(golden_path, encoding="utf-8") as f:
        golden = json.load(f)
    golden.setdefault("converge_differs", {})[field] = {"converge": value, "why": why}
    with open(golden_path, "w", encoding="utf-8") as f:
        f.write(json.dumps(golden, sort_keys=True, indent=2) + "\n")
    print("%s: %s = %s" % (golden_path, field, json.dumps(value, sort_keys=True)))


if __name__ == "__main__":
    main()
