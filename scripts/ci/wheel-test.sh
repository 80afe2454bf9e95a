#!/usr/bin/env bash
# The Python package (`pip install backlint`, pyproject.toml, maturin `bindings = "bin"`):
#   1. `maturin sdist`, checked to hold what the build embeds (rules/*.md via include_str!,
#      every workspace crate, Cargo.lock);
#   2. `maturin build --release --locked` from that unpacked sdist (so the sdist alone builds),
#      the wheel checked (the binary, the metadata);
#   3. the wheel installed in a fresh venv: `backlint --version` and a scan of
#      fixtures/jwt-in-local-storage (exit 1, findings) with the installed binary.
# Release builds: no LTO, a shared target directory (scripts/ci/lib.sh).
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

timed "install maturin" ci_pip_install "$PIN_MATURIN"
maturin="$VENV/bin/maturin"
"$maturin" --version
version=$("$VENV/bin/python" -c 'import tomllib; print(tomllib.load(open("Cargo.toml", "rb"))["workspace"]["package"]["version"])')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. The source distribution.
timed "maturin sdist" "$maturin" sdist --out "$tmp/dist" > "$tmp/sdist.log" 2>&1 \
  || { cat "$tmp/sdist.log"; die "maturin sdist failed"; }
sdist="$tmp/dist/backlint-$version.tar.gz"
[ -f "$sdist" ] || die "no $sdist"
tar -tzf "$sdist" | sed "s|^backlint-$version/||" | sort > "$tmp/sdist.txt"
need=(Cargo.toml Cargo.lock pyproject.toml README.md src/main.rs)
for crate in crates/*/; do need+=("${crate}Cargo.toml" "${crate}src/lib.rs"); done
# The paths that include_str!/include_bytes! embed (rules/<id>.md, by the registry).
for doc in rules/*.md; do need+=("$doc"); done
for f in "${need[@]}"; do
  grep -qxF "$f" "$tmp/sdist.txt" || die "the sdist lacks $f"
done
echo "ok: the sdist holds $(wc -l < "$tmp/sdist.txt") files, among them ${#need[@]} needed ones"

# 2. The wheel, built from the unpacked sdist.
tar -xzf "$sdist" -C "$tmp"
timed "maturin build --release --locked (from the sdist)" \
  "$maturin" build --release --locked --manifest-path "$tmp/backlint-$version/Cargo.toml" --out "$tmp/wheels"
wheels=("$tmp"/wheels/backlint-"$version"-*.whl)
[ -f "${wheels[0]}" ] || die "no wheel built"
wheel=${wheels[0]}
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"
"$VENV/bin/python" - "$wheel" "$version" <<'PY'
import sys, zipfile
wheel, version = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(wheel).namelist()
binary = f"backlint-{version}.data/scripts/backlint"
assert binary in names, f"no {binary} in {names}"
meta = zipfile.ZipFile(wheel).read(f"backlint-{version}.dist-info/METADATA").decode()
for line in ("Name: backlint", f"Version: {version}", "Requires-Python: >=3.8", "License: MIT"):
    assert line in meta.splitlines(), f"METADATA lacks {line!r}"
assert "Description-Content-Type: text/markdown" in meta
print("ok: the wheel holds the binary and the metadata")
PY

# 3. Installed in a fresh venv.
fresh_install() {
  python3 -m venv "$tmp/venv"
  "$tmp/venv/bin/python" -m pip install --quiet --no-index "$wheel"
}
timed "fresh venv + pip install the wheel" fresh_install
installed="$tmp/venv/bin/backlint"
[ -x "$installed" ] || die "pip installed no backlint executable"
got=$("$installed" --version)
[ "$got" = "backlint $version" ] || die "backlint --version printed '$got', expected 'backlint $version'"
echo "ok: $got"
code=0
"$installed" scan fixtures/jwt-in-local-storage --format concise > "$tmp/scan.txt" || code=$?
head -n 3 "$tmp/scan.txt"
[ "$code" -eq 1 ] || die "the installed backlint exited $code on fixtures/jwt-in-local-storage, expected 1"
grep -q 'error\[jwt-in-local-storage\]' "$tmp/scan.txt" || die "no jwt-in-local-storage finding"
echo "ok: the installed backlint finds $(wc -l < "$tmp/scan.txt") problems in fixtures/jwt-in-local-storage (exit 1)"
"$installed" explain jwt-in-local-storage | grep -q . || die "explain printed nothing (the embedded docs)"

ci_times
