#!/bin/sh
# Fills fuzz/corpus/<target>/ with seed files: real workbooks from other readers' test
# suites and TÜİK downloads (../shared/data), and a few shipped inputs. Small files only
# (libFuzzer mutates faster on them). The corpus is not committed; run this first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
data=${YEEP_SHARED_DATA:-$root/../shared/data}
max=${SEED_MAX_BYTES:-120000}

seed() { # target file...
    target=$1; shift
    mkdir -p "$here/corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] || continue
        [ "$(wc -c < "$f")" -le "$max" ] || continue
        cp "$f" "$here/corpus/$target/$(basename "$(dirname "$f")")-$(basename "$f")"
    done
}

seed submission "$data"/corpus/*/* \
    "$root"/input/submissions/2023/ilce-bornova-2023.xlsx \
    "$root"/input/submissions/2023/ilce-karsiyaka-2023.xlsx \
    "$root"/input/submissions/2023/izum-2023.ods \
    "$root"/input/submissions/2022/ilce-konak-2022.xlsx
seed tuik_grid "$data"/tuik/*/* "$root"/input/tuik/* "$data"/corpus/xlrd/* "$data"/corpus/calamine/*.ods
du -sh "$here"/corpus/*
