#!/usr/bin/env bash
# The Foundation benchmark: `converge analyze FILE --json` beside the peers installable from Debian, on the
# capture of ../shared/bench/make_bench_pcap.py, one core each, file in the page cache.
#
#   Scripts/bench.sh                 # full capture (about 1 GB, 5.7 M packets), 5 runs a tool
#   Scripts/bench.sh --small         # a 200,000-packet capture for a quick check
#   Scripts/bench.sh --runs 3 --only tshark,argus --no-install --no-build
#   Scripts/bench.sh --criteria      # converge alone, four modes interleaved: the issues' speed ratios
#
# --criteria measures `converge analyze` as decode + flows (--no-dissect), with every dissector, with the
# inventory in a fresh SQLite store (--database, --no-detect) and with detection on (--database), one run
# of each mode per round so drift hits all four alike, and prints the ratios the issues set: dissectors
# at least 75 % of decode + flows' packets/s, the inventory at least 90 % of the dissectors', detection at
# least 85 % of the inventory's; by wall time and by CPU time.
#
# Environment: BENCH_DIR (default <repo>/bench-out, git-ignored), SHARED (default <repo>/../shared),
# RUNS (default 5), BENCH_CPU (default 0: the core every run is pinned to with taskset), CONVERGE_BIN (a
# converge binary to measure instead of building one).
# Each run is timed by /usr/bin/time -f '%e %M %U %S' (wall s, peak RSS KB, user and system CPU s); the table
# shows medians.
# kpkt/s and Mbit/s count the file's packets and frame bytes (wire lengths from the record headers).
# A tool that is missing or fails is reported and skipped; the others still run.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED:-$root/../shared}"
bench_dir="${BENCH_DIR:-$root/bench-out}"
runs="${RUNS:-5}"
cpu="${BENCH_CPU:-0}"
small=0
criteria=0
install=1
build=1
only=""

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }
while (( $# > 0 )); do
    case "$1" in
        --small) small=1 ;;
        --criteria) criteria=1; only=converge ;;
        --runs) runs="$2"; shift ;;
        --only) only="$2"; shift ;;
        --no-install) install=0 ;;
        --no-build) build=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench: --runs needs a positive number" >&2; exit 2; }

say() { printf 'bench: %s\n' "$*" >&2; }
wanted() { [[ -z "$only" || ",$only," == *",$1,"* ]]; }

mkdir -p "$bench_dir"
bench_dir="$(cd "$bench_dir" && pwd)"

# --- tools -------------------------------------------------------------------------------------------
apt_install() {
    (( install )) || return 1
    [[ $(id -u) == 0 ]] || { say "not root: cannot apt-get install $*"; return 1; }
    say "installing $* (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$bench_dir/apt.log" 2>&1 && return 0
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$bench_dir/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$bench_dir/apt.log" 2>&1 \
        || { say "apt-get install $* failed (see $bench_dir/apt.log)"; return 1; }
}
[[ -x /usr/bin/time ]] || apt_install time || { say "/usr/bin/time is needed"; exit 1; }
command -v taskset >/dev/null || { say "taskset (util-linux) is needed"; exit 1; }
missing=()
command -v tshark >/dev/null || missing+=(tshark)
command -v argus >/dev/null || missing+=(argus-server argus-client)
command -v nfpcapd >/dev/null || missing+=(nfdump)
(( ${#missing[@]} == 0 )) || apt_install "${missing[@]}" || true

# --- the capture -------------------------------------------------------------------------------------
generator="$shared/bench/make_bench_pcap.py"
if (( small )); then
    pcap="$bench_dir/bench-small.pcap"
    gen_args=(--packets 200000)
else
    pcap="$bench_dir/bench.pcap"
    gen_args=()
fi

# Checks that a capture ends exactly at a record boundary (not one still being written) and counts its
# packets and frame bytes; the answer is cached beside the file, keyed on its size and time.
totals() {
    python3 - "$1" <<'PY'
import mmap, os, struct, sys
path = sys.argv[1]
st = os.stat(path)
cache = path + ".totals"
key = "%d %d" % (st.st_size, int(st.st_mtime))
try:
    with open(cache) as f:
        k, v = f.read().split("\n", 1)
        if k == key:
            print(v.strip()); sys.exit(0)
except (OSError, ValueError):
    pass
with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
    if len(m) < 24:
        sys.exit("too short for a pcap header")
    magic = m[:4]
    order = {b"\xd4\xc3\xb2\xa1": "<", b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">", b"\xa1\xb2\x3c\x4d": ">"}.get(magic)
    if order is None:
        sys.exit("not a classic pcap file")
    rec = struct.Struct(order + "8xII")
    off, n, wire, end = 24, 0, 0, len(m)
    while off + 16 <= end:
        incl, orig = rec.unpack_from(m, off)
        off += 16 + incl
        n += 1
        wire += orig
    if off != end:
        sys.exit("ends inside a record (cut short or still being written)")
with open(cache, "w") as f:
    f.write("%s\n%d %d\n" % (key, n, wire))
print(n, wire)
PY
}

if [[ ! -s "$pcap" && $small == 0 && -s /tmp/bench.pcap ]]; then
    # another run on this machine may have generated it already: reuse it if it is complete
    if totals /tmp/bench.pcap >/dev/null 2>&1; then
        say "using the existing /tmp/bench.pcap (linked as $pcap)"
        ln -sf /tmp/bench.pcap "$pcap"
    fi
fi
if [[ ! -s "$pcap" ]]; then
    [[ -f "$generator" ]] || { say "no $generator to make the benchmark capture"; exit 1; }
    say "generating $pcap ${gen_args[*]}"
    python3 "$generator" -o "$pcap.partial" "${gen_args[@]}" >&2 && mv "$pcap.partial" "$pcap" \
        || { say "generating the capture failed"; exit 1; }
fi
read -r packets wire_bytes < <(totals "$pcap") || { say "cannot read $pcap"; exit 1; }
[[ -n "${packets:-}" ]] || { say "cannot read $pcap"; exit 1; }
say "capture $pcap: $packets packets, $wire_bytes frame bytes"

# --- converge ----------------------------------------------------------------------------------------
converge=""
converge_note=""
if [[ -n "${CONVERGE_BIN:-}" ]] && wanted converge; then
    # a given binary (another build, an older version to compare with): no build
    [[ -x "$CONVERGE_BIN" ]] && converge="$CONVERGE_BIN" || converge_note="CONVERGE_BIN=$CONVERGE_BIN is not executable"
elif wanted converge; then
    if (( build )); then
        say "building converge (swift build -c release --product converge)"
        if (cd "$root" && swift build -c release --product converge) >"$bench_dir/build.log" 2>&1; then
            :
        else
            converge_note="not built (swift build failed, see $bench_dir/build.log)"
        fi
    fi
    bin="$(cd "$root" && swift build -c release --show-bin-path 2>/dev/null)/converge"
    if [[ -x "$bin" && -z "$converge_note" ]]; then
        converge="$bin"
    elif [[ -z "$converge_note" ]]; then
        converge_note="not built"
    fi
fi

# --- runs ---------------------------------------------------------------------------------------------
results="$bench_dir/bench-runs.tsv"
printf 'tool\trun\twall_s\tpeak_rss_kb\tcpu_s\n' >"$results"
notes=()
scratch="$(mktemp -d "$bench_dir/run.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

started="$(date -u +%Y-%m-%dT%H:%MZ)"
load="$(cut -d ' ' -f 1-3 /proc/loadavg)"
say "warming the page cache"
cat "$pcap" >/dev/null

# run_once NAME RUN COMMAND...: one run of the command pinned to one core, its timing added to the results;
# "{OUT}" in it becomes a fresh empty folder for the run (for tools that must write somewhere), removed
# afterwards. A run that fails, or whose output `check` rejects, drops the tool's rows and returns 1.
check=""  # optional function run on each run's standard output; prints a problem and fails if it is wrong
run_once() {
    local name="$1" i="$2"; shift 2
    local out timing problem log="$bench_dir/$name.log"
    out="$scratch/$name-out"
    rm -rf "$out"; mkdir -p "$out"
    local cmd=()
    local arg
    for arg in "$@"; do cmd+=("${arg//\{OUT\}/$out}"); done
    timing="$scratch/time"
    if ! (cd "$out" && taskset -c "$cpu" /usr/bin/time -f '%e %M %U %S' -o "$timing" "${cmd[@]}" \
            >"$scratch/stdout" 2>>"$log"); then
        notes+=("$name: failed on run $i (exit status; see $log): $(tail -n 1 "$log" 2>/dev/null)")
        sed -i "/^$name\t/d" "$results"
        rm -rf "$out"
        return 1
    fi
    if [[ -n "$check" ]] && ! problem="$("$check" "$scratch/stdout")"; then
        notes+=("$name: $problem")
        sed -i "/^$name\t/d" "$results"
        rm -rf "$out"
        return 1
    fi
    read -r wall rss user sys < <(tail -n 1 "$timing")
    cpu_s="$(python3 -c "print(round($user + $sys, 2))")"
    printf '%s\t%d\t%s\t%s\t%s\n' "$name" "$i" "$wall" "$rss" "$cpu_s" >>"$results"
    say "$name run $i/$runs: ${wall}s wall, ${cpu_s}s CPU, ${rss} KB"
    rm -rf "$out"
}
# run_tool NAME COMMAND...: RUNS runs of the command in a row (a fresh log first).
run_tool() {
    local name="$1"; shift
    : >"$bench_dir/$name.log"
    local i
    for (( i = 1; i <= runs; i++ )); do run_once "$name" "$i" "$@" || return 1; done
}

# converge's --json summary must be a JSON object whose "packets" is the file's packet count: a run that
# prints anything else (a stub, an unfinished command) is not a measurement.
converge_output_ok() {
    python3 - "$1" "$packets" <<'PY'
import json, sys
try:
    with open(sys.argv[1]) as f:
        summary = json.load(f)
except (OSError, ValueError) as e:
    print("analyze --json did not print a JSON summary (%s); not measured" % str(e)[:80]); sys.exit(1)
got = summary.get("packets") if isinstance(summary, dict) else None
if got != int(sys.argv[2]):
    print("analyze --json reports packets=%r, the file has %s; not measured" % (got, sys.argv[2])); sys.exit(1)
PY
}
if (( criteria )) && [[ -n "$converge" ]]; then
    # One run of each mode per round, a fresh store per run ({OUT}); a mode that fails once is dropped.
    modes=(converge-flows converge converge-inventory converge-detection)
    for name in "${modes[@]}"; do : >"$bench_dir/$name.log"; done
    declare -A failed=()
    for (( round = 1; round <= runs; round++ )); do
        for name in "${modes[@]}"; do
            [[ -z "${failed[$name]:-}" ]] || continue
            case "$name" in
                converge-flows) args=(--json --no-dissect); check=converge_output_ok ;;
                converge) args=(--json); check=converge_output_ok ;;
                converge-inventory) args=(--database "{OUT}/store.sqlite" --no-detect); check="" ;;
                converge-detection) args=(--database "{OUT}/store.sqlite"); check="" ;;
            esac
            run_once "$name" "$round" "$converge" analyze "$pcap" "${args[@]}" || { failed[$name]=1; say "${notes[-1]}"; }
        done
    done
    check=""
    (( small )) && notes+=("--small: on 200,000 packets start-up and the store's fixed costs dominate; the issues' targets are set on the full capture")
elif wanted converge; then
    if [[ -n "$converge" ]]; then
        check=converge_output_ok
        run_tool converge "$converge" analyze "$pcap" --json || say "${notes[-1]:-converge: failed}"
        # The same without application dissectors: what decode + flows alone cost, so the table
        # shows what the dissectors add (the industrial-protocols issue allows at most 25 %).
        run_tool converge-flows "$converge" analyze "$pcap" --json --no-dissect || say "converge-flows: failed"
        check=""
    else
        notes+=("converge: $converge_note")
        say "converge: $converge_note"
    fi
fi
peer() {  # peer NAME BINARY COMMAND...
    local name="$1" binary="$2"; shift 2
    wanted "$name" || return 0
    if ! command -v "$binary" >/dev/null; then
        notes+=("$name: $binary not installed, skipped")
        say "$name: $binary not installed, skipped"
        return 0
    fi
    run_tool "$name" "$@" || say "$name: failed, skipped (see $bench_dir/$name.log)"
}
peer tshark tshark tshark -q -z conv,tcp -r "$pcap"
peer argus argus argus -r "$pcap" -w /dev/null
peer nfpcapd nfpcapd nfpcapd -r "$pcap" -w "{OUT}"

# --- table --------------------------------------------------------------------------------------------
versions=()
command -v tshark >/dev/null && versions+=("tshark $(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([^ ]*\).*/\1/p')")
command -v argus >/dev/null && versions+=("argus $(argus -h 2>&1 | sed -n 's/^Argus Version //p' | head -n 1)")
command -v nfpcapd >/dev/null && versions+=("nfdump $(dpkg-query -W -f '${Version}' nfdump 2>/dev/null)")
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"

python3 - "$results" "$packets" "$wire_bytes" "$runs" "$started" "$(nproc)" "$cpu_model, load average $load at start" \
    "$pcap" "$(printf '%s, ' "${versions[@]}" | sed 's/, $//')" "${notes[@]}" <<'PY'
import statistics, sys
path, packets, wire, runs, when, nproc, cpu_model, pcap, versions = sys.argv[1:10]
notes = sys.argv[10:]
packets, wire = int(packets), int(wire)
rows = {}
with open(path) as f:
    next(f)
    for line in f:
        tool, _, wall, rss, cpu = line.rstrip("\n").split("\t")
        rows.setdefault(tool, []).append((float(wall), int(rss), float(cpu)))
order = ["converge", "converge-flows", "converge-inventory", "converge-detection", "tshark", "argus", "nfpcapd"]
stats = {}
for tool in order:
    if tool in rows:
        walls = [w for w, _, _ in rows[tool]]
        rss = [r for _, r, _ in rows[tool]]
        cpu = [c for _, _, c in rows[tool]]
        stats[tool] = (statistics.median(walls), statistics.median(rss) / 1024.0, statistics.median(cpu))
print()
print("Benchmark %s: %d packets, %.1f MB of frames; %s runs each, one core (taskset), page cache warm"
      % (pcap, packets, wire / 1e6, runs))
print("Machine: %s cores, %s; %s; %s" % (nproc, cpu_model, when, versions))
print()
head = ("| tool | median wall s | median CPU s | median peak RSS MB | kpkt/s | Mbit/s "
        "| converge speed ratio | converge RSS ratio |")
print(head)
print("|---|---:|---:|---:|---:|---:|---:|---:|")
conv = stats.get("converge")
for tool in order:
    if tool not in stats:
        continue
    wall, rss, cpu = stats[tool]
    kpps = packets / wall / 1e3 if wall > 0 else float("inf")
    mbps = wire * 8 / wall / 1e6 if wall > 0 else float("inf")
    if conv and tool != "converge":
        speed = "%.2fx" % (wall / conv[0]) if conv[0] > 0 else "-"
        mem = "%.2fx" % (conv[1] / rss) if rss > 0 else "-"
    else:
        speed = mem = "-"
    print("| %s | %.2f | %.2f | %.1f | %.0f | %.0f | %s | %s |" % (tool, wall, cpu, rss, kpps, mbps, speed, mem))
print()
print("kpkt/s and Mbit/s from the median wall time; speed ratio = peer wall / converge wall (above 1: converge "
      "is faster); RSS ratio = converge RSS / peer RSS (below 1: converge uses less); CPU s = user + system")
criteria = [
    ("dissectors (issue 3)", "converge", "converge-flows", 75),
    ("inventory (issue 6)", "converge-inventory", "converge", 90),
    ("detection (issue 8)", "converge-detection", "converge-inventory", 85),
]
shown = False
for label, tool, base, floor in criteria:
    if tool in stats and base in stats and stats[tool][0] > 0 and stats[tool][2] > 0:
        if not shown:
            print("Speed criteria: each mode's packets/s as a share of those of the mode it adds to (time: the inverse)")
            shown = True
        wall = 100.0 * stats[base][0] / stats[tool][0]
        cpu = 100.0 * stats[base][2] / stats[tool][2]
        verdict = "met" if min(wall, cpu) >= floor else ("met by wall time only" if wall >= floor else "not met")
        print("- %s: %s keeps %.0f %% of the packets/s of %s by wall time, %.0f %% by CPU time; at least %d %%: %s"
              % (label, tool, wall, base, cpu, floor, verdict))
if shown:
    print()
for n in notes:
    print("note: " + n)
print("raw runs: " + path)
PY
