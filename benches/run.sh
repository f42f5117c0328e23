#!/usr/bin/env bash
# Benchmarks a release `yeep run` against the raw I/O floor (benches/floor.rs) and the
# pandas/openpyxl reference (benches/reference.py) on the same `yeep demo` inputs.
# See docs/benchmarks.md.
#
#   benches/run.sh [SCALE ...]        (default: 4 17 — about 470 and 2,000 workbooks)
#
# Environment: CARGO_TARGET_DIR (default ./target), BENCH_DIR (default
# $CARGO_TARGET_DIR/bench: inputs, outputs, the Python venv, results.tsv),
# SKIP_REFERENCE=1 to leave the Python reference out (it is slow at large scales),
# YEEP_BIN=path to time that yeep binary instead of building one (an older build, another
# profile: docs/benchmarks.md, "Build time and binary size"), SKIP_FLOOR=1 to leave the
# floor out, RESULTS=file to write the table elsewhere than $BENCH_DIR/results.tsv.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=${BENCH_DIR:-$CARGO_TARGET_DIR/bench}
mkdir -p "$WORK"
SCALES=("$@")
[ ${#SCALES[@]} -eq 0 ] && SCALES=(4 17)

if [ ! -x /usr/bin/time ]; then
  apt-get install -y time >/dev/null
fi

if [ -n "${YEEP_BIN:-}" ]; then
  YEEP=$(realpath "$YEEP_BIN")
else
  echo "building (release)…" >&2
  cargo build --release --bin yeep
  YEEP=$CARGO_TARGET_DIR/release/yeep
fi
if [ -z "${SKIP_FLOOR:-}" ]; then
  FLOOR=$(cargo bench --bench floor --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="floor" and m.get("executable"): print(m["executable"])')
fi

if [ -z "${SKIP_REFERENCE:-}" ]; then
  VENV=$WORK/venv
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import pandas, openpyxl, xlsxwriter, pyarrow' 2>/dev/null; then
    echo "installing the Python reference's packages into $VENV…" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q pandas openpyxl xlsxwriter pyarrow
  fi
fi

RESULTS=${RESULTS:-$WORK/results.tsv}
[ -f "$RESULTS" ] || printf 'scale\tworkbooks\tinput_cells\twhat\twall_s\tcpu_s\tmax_rss_mib\n' > "$RESULTS"

# measure LABEL SCALE WORKBOOKS CELLS -- command…: one /usr/bin/time -v line into results.tsv.
measure() {
  local what=$1 scale=$2 books=$3 cells=$4
  shift 5
  local log=$WORK/time-$scale-$what.log
  /usr/bin/time -v -o "$log" "$@" > "$WORK/out-$scale-$what.log" 2>&1 || {
    local rc=$?
    # yeep exits 3 when inputs were rejected (the demo's quirks): that is a finished run.
    if [ "$rc" -ne 3 ]; then echo "$what failed ($rc), see $WORK/out-$scale-$what.log" >&2; exit 1; fi
  }
  python3 - "$log" "$scale" "$books" "$cells" "$what" >> "$RESULTS" <<'PY'
import re, sys
log, scale, books, cells, what = sys.argv[1:]
t = open(log).read()
def f(pat):
    return re.search(pat, t).group(1)
wall = f(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)")
parts = [float(x) for x in wall.split(":")]
wall_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(f(r"User time \(seconds\): (\S+)")) + float(f(r"System time \(seconds\): (\S+)"))
rss = int(f(r"Maximum resident set size \(kbytes\): (\d+)")) / 1024
print(f"{scale}\t{books}\t{cells}\t{what}\t{wall_s:.2f}\t{cpu:.2f}\t{rss:.0f}")
PY
  tail -1 "$RESULTS" >&2
}

for S in "${SCALES[@]}"; do
  IN=$WORK/s$S/input
  OUT=$WORK/s$S/output
  if [ ! -d "$IN" ]; then
    echo "generating scale $S…" >&2
    "$YEEP" demo --scale "$S" --out "$IN" --seed 7 2>/dev/null
  fi
  BOOKS=$(find "$IN/submissions" -type f | wc -l)
  rm -rf "$OUT" "$WORK/s$S/floor" "$WORK/s$S/reference"
  # The input cells the floor reads (untimed count, for the table; '-' without the floor).
  CELLS=-
  if [ -z "${SKIP_FLOOR:-}" ]; then
    "$FLOOR" run "$IN" /dev/null "$WORK/s$S/floor" 2> "$WORK/s$S-count.log"
    CELLS=$(sed -n 's/.*files, \([0-9]*\) input cells.*/\1/p' "$WORK/s$S-count.log")
    rm -rf "$WORK/s$S/floor"
  fi

  measure yeep-full "$S" "$BOOKS" "$CELLS" -- "$YEEP" run benches/pipeline-bench.toml --input "$IN" --output "$OUT"
  measure yeep-rerun-unchanged "$S" "$BOOKS" "$CELLS" -- "$YEEP" run benches/pipeline-bench.toml --input "$IN" --output "$OUT"
  # One workbook changed: another set's version of the same unit's file copied over it.
  CHANGED=$IN/submissions/2023/ilce-buca-2023.xlsx
  cp "$CHANGED" "$WORK/s$S/saved.xlsx"
  cp "$(find "$IN/submissions/2023" -path '*set-2/ilce-buca-2023.xlsx')" "$CHANGED"
  measure yeep-rerun-1-changed "$S" "$BOOKS" "$CELLS" -- "$YEEP" run benches/pipeline-bench.toml --input "$IN" --output "$OUT"
  cp "$WORK/s$S/saved.xlsx" "$CHANGED"
  # Put the outputs back to the full run's state for the floor's shape.
  "$YEEP" run benches/pipeline-bench.toml --input "$IN" --output "$OUT" >/dev/null 2>&1 || true

  if [ -z "${SKIP_FLOOR:-}" ]; then
    "$FLOOR" shape "$OUT" > "$WORK/s$S/shape.tsv"
    POLARS_MAX_THREADS=1 measure floor "$S" "$BOOKS" "$CELLS" -- "$FLOOR" run "$IN" "$WORK/s$S/shape.tsv" "$WORK/s$S/floor"
  fi
  if [ -z "${SKIP_REFERENCE:-}" ]; then
    measure reference "$S" "$BOOKS" "$CELLS" -- "$VENV/bin/python" benches/reference.py "$IN" "$WORK/s$S/reference" pipelines/izmir-2022-2024
  fi
done

# Ratios per scale.
python3 - "$RESULTS" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
by = collections.defaultdict(dict)
for s, books, cells, what, wall, cpu, rss in rows:
    by[(s, books, cells)][what] = (float(wall), float(cpu), float(rss))
print("| scale | workbooks | input cells | what | wall s | CPU s | peak RSS MiB |")
print("| ---: | ---: | ---: | --- | ---: | ---: | ---: |")
for (s, books, cells), d in by.items():
    for what, (w, c, r) in d.items():
        print(f"| {s} | {books} | {cells} | {what} | {w:.2f} | {c:.2f} | {r:.0f} |")
for (s, books, cells), d in by.items():
    y = d.get("yeep-full")
    if not y:
        continue
    out = [f"scale {s}:"]
    if "floor" in d:
        out.append(f"yeep/floor wall {y[0] / d['floor'][0]:.2f}x")
    if "reference" in d:
        out.append(f"reference/yeep wall {d['reference'][0] / y[0]:.1f}x, CPU {d['reference'][1] / y[1]:.1f}x")
    if "yeep-rerun-1-changed" in d:
        out.append(f"re-run (1 changed)/full {100 * d['yeep-rerun-1-changed'][0] / y[0]:.1f} %")
    print(" ".join(out))
PY
