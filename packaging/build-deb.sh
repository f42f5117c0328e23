#!/usr/bin/env bash
# Builds yeep's Debian package with cargo-deb (metadata: [package.metadata.deb] in
# Cargo.toml; see packaging/README.md).
#
#   packaging/build-deb.sh                 release build, then target/debian/yeep_<v>-1_<arch>.deb
#   packaging/build-deb.sh --dev --out D   package the debug binary already built
#                                          (target/debug/yeep; what the tests do), into D
#
# Needs cargo-deb: `cargo install cargo-deb --locked`.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --dev) dev=1 ;;
        --out) out="$2"; shift ;;
        *) echo "build-deb.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

if ! command -v cargo-deb >/dev/null 2>&1; then
    echo "build-deb.sh: cargo-deb is not installed; run: cargo install cargo-deb --locked" >&2
    exit 2
fi

# The installed pipeline file: the shipped one, with its paths pointing from /etc/yeep to
# the catalogue in /usr/share/yeep and the folders in /var/lib/yeep. Relative paths, so the
# same file works in a scratch root (dpkg --root, dpkg-deb -x) as in /.
src=pipelines/izmir-2022-2024.toml
dst=target/deb-assets/etc/izmir-2022-2024.toml
mkdir -p "$(dirname "$dst")"
rewrite() { # key old new: replace exactly one `key = "old"` line, or fail
    local key="$1" old="$2" new="$3"
    local n
    n=$(grep -c "^$key = \"$old\"\$" "$dst" || true)
    if [ "$n" != 1 ]; then
        echo "build-deb.sh: expected one line '$key = \"$old\"' in $src, found $n" >&2
        exit 1
    fi
    sed -i "s|^$key = \"$old\"\$|$key = \"$new\"|" "$dst"
}
{
    echo "# Installed by the yeep Debian package from $src. Paths are relative to this file:"
    echo "# ../../usr/share/yeep is /usr/share/yeep, ../../var/lib/yeep is /var/lib/yeep."
    echo "# Edit freely: dpkg keeps your changes on upgrade (a conffile)."
    cat "$src"
} > "$dst"
rewrite dir "izmir-2022-2024" "../../usr/share/yeep/pipelines/izmir-2022-2024"
rewrite input "../input" "../../var/lib/yeep/input"
rewrite output "../output" "../../var/lib/yeep/output"
rewrite state "../state" "../../var/lib/yeep/state"

args=(--locked)
if [ "$dev" = 1 ]; then
    if [ ! -x target/debug/yeep ]; then
        echo "build-deb.sh: --dev needs target/debug/yeep (cargo build first)" >&2
        exit 1
    fi
    # The debug binary is large: strip it and compress fast.
    args+=(--no-build --profile dev --fast --strip)
fi
if [ -n "$out" ]; then
    mkdir -p "$out"
    args+=(--output "$out")
fi
cargo deb "${args[@]}"
