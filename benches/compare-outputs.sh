#!/usr/bin/env bash
# Runs two yeep binaries on the same inputs and compares every file they write, byte for
# byte. Used for refactorings that must not change outputs (issue 10): build the old tree,
# keep its binary, build the new one, then
#
#   benches/compare-outputs.sh OLD_BIN NEW_BIN [WORK_DIR]
#
# It runs, with each binary: `template` (Turkish and English), `catalogue`, `run` on the
# shipped `input/` (tr and en), `validate`, and `run` on `yeep demo --scale 2 --seed 7`.
# Prints the files that differ (and a short diff of XLSX parts) and exits 1 if any do.
#
# When the change also changes the catalogue's format (so the old binary cannot read the
# new `pipelines/`), point OLD_TREE at a checkout of the old tree: the old binary then gets
# its `pipelines/` (e.g. `git worktree add ../yeep-old HEAD~1`, or
# `mkdir ../yeep-old && git archive HEAD~1 pipelines | tar -x -C ../yeep-old`).
set -uo pipefail
old="$(realpath "$1")"; new="$(realpath "$2")"
repo="$(cd "$(dirname "$0")/.." && pwd)"
old_tree="$(realpath "${OLD_TREE:-$repo}")"
work="${3:-$(mktemp -d)}"
mkdir -p "$work"

one() { # bin name tree (whose pipelines/ the binary reads)
    local bin="$1" out="$work/$2" tree="$3"
    rm -rf "$out"; mkdir -p "$out"
    cp -r "$tree/pipelines" "$repo/input" "$out/"
    (
        cd "$out" || exit 1
        "$bin" template --period 2024 --out tpl-tr >/dev/null 2>&1; echo "template tr: $?" >>codes
        "$bin" template --period 2024 --lang en --out tpl-en >/dev/null 2>&1; echo "template en: $?" >>codes
        "$bin" catalogue --format xlsx --out katalog.xlsx >/dev/null 2>&1; echo "catalogue xlsx: $?" >>codes
        "$bin" catalogue --format csv --out katalog.csv >/dev/null 2>&1; echo "catalogue csv: $?" >>codes
        "$bin" run -q --output run-tr >/dev/null 2>&1; echo "run tr: $?" >>codes
        "$bin" run -q --lang en --output run-en >/dev/null 2>&1; echo "run en: $?" >>codes
        "$bin" validate --output validate >/dev/null 2>&1; echo "validate: $?" >>codes
        "$bin" demo --scale 2 --seed 7 --out demo-in >/dev/null 2>&1; echo "demo: $?" >>codes
        "$bin" run -q --input demo-in --output run-demo >/dev/null 2>&1; echo "run demo: $?" >>codes
        rm -rf pipelines input
        # The re-run cache holds timings-free per-file outcomes but its encoding may change
        # with a refactoring; it is not an output (nor are the up-to-date records, which
        # hold file stamps). `.cache` is where builds before issue 11 kept both.
        find . -type d \( -name .cache -o -name .yeep-state \) -prune -exec rm -rf {} +
        find . -name .yeep-outputs.json -delete
        find . -name '*.lock' -delete
    )
}
one "$old" old "$old_tree"
one "$new" new "$repo"

status=0
if ! diff -q "$work/old/codes" "$work/new/codes" >/dev/null; then
    echo "exit codes differ:"; diff "$work/old/codes" "$work/new/codes"; status=1
fi
while IFS= read -r f; do
    a="$work/old/$f"; b="$work/new/$f"
    if [ ! -e "$b" ]; then echo "only in old: $f"; status=1; continue; fi
    if ! cmp -s "$a" "$b"; then
        echo "differs: $f"; status=1
        case "$f" in
        *.xlsx)
            d="$(mktemp -d)"; (cd "$d" && mkdir a b && unzip -q -o "$a" -d a && unzip -q -o "$b" -d b)
            diff -r "$d/a" "$d/b" | cut -c1-300 | head -8; rm -rf "$d" ;;
        *.csv|*.json|*.md|*.txt) diff "$a" "$b" | cut -c1-300 | head -8 ;;
        esac
    fi
done < <(cd "$work/old" && find . -type f | sort)
while IFS= read -r f; do
    [ -e "$work/old/$f" ] || { echo "only in new: $f"; status=1; }
done < <(cd "$work/new" && find . -type f | sort)
[ "$status" = 0 ] && echo "identical: $(cd "$work/old" && find . -type f | wc -l) files"
exit "$status"
