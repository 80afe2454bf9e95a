#!/usr/bin/env bash
# Lints the GitHub files: actionlint (with shellcheck on the `run:` scripts) and the
# GitHub schemas on the workflows; the composite action.yml, which actionlint does not lint
# itself, with the GitHub action schema and scripts/ci/check_action.py (structure, no
# expressions inside `run:`, shellcheck), then a simulated run of the action with a local
# build; shellcheck on the CI scripts; and the README's CI/pre-commit/editor snippets
# against these files (scripts/ci/readme_snippets.py).
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

timed "install actionlint, shellcheck, check-jsonschema, PyYAML" \
  ci_pip_install "$PIN_ACTIONLINT" "$PIN_SHELLCHECK" "$PIN_CHECK_JSONSCHEMA" "$PIN_PYYAML"
export PATH="$VENV/bin:$PATH" # actionlint runs the venv's shellcheck
actionlint -version | head -n 1
shellcheck --version | sed -n 2p

workflows=(.github/workflows/*.yml)
timed "actionlint" actionlint "${workflows[@]}"
timed "workflow schema" check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
timed "action schema" check-jsonschema --builtin-schema vendor.github-actions action.yml
timed "action.yml checks" python scripts/ci/check_action.py check action.yml .github/workflows/backlint.yml
timed "shellcheck CI scripts" shellcheck --severity=style --external-sources .ci/run scripts/ci/*.sh

# The action's scripts for real, with the debug build of the CLI that the tests made (in
# target/, not the release builds' directory; the cache step taken as a hit).
CARGO_TARGET_DIR="$ROOT/target" timed "cargo build (debug)" cargo build --quiet --locked -p backlint
bin="$ROOT/target/debug/backlint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/project/src"
printf 'export function save(jwt: string) {\n  localStorage.setItem("token", jwt);\n}\n' > "$tmp/project/src/auth.ts"
printf 'export const add = (a: number, b: number) => a + b;\n' > "$tmp/project/src/util.ts"

simulate() { python scripts/ci/check_action.py simulate action.yml "$bin" "$tmp/project" "$@"; }

echo "action: findings → the action fails, exit-code 1, SARIF written"
code=0
simulate > "$tmp/out.txt" || code=$?
cat "$tmp/out.txt"
[ "$code" -eq 1 ] || die "the action should fail on findings (result $code)"
grep -q '"exit-code": "1"' "$tmp/out.txt" || die "exit-code output is not 1"
grep -q '"sarif-file": "backlint.sarif"' "$tmp/out.txt" || die "sarif-file output is not backlint.sarif"
python -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"] == "2.1.0" and d["runs"][0]["results"], d' \
  "$tmp/project/backlint.sarif" || die "backlint.sarif is not a SARIF report with results"
grep -q '::error' "$tmp/out.txt" || die "format github printed no ::error annotation"

echo "action: inputs are data, never code (paths and args with shell syntax)"
code=0
# shellcheck disable=SC2016 # the $(…) is meant literally
simulate 'paths=src $(touch INJECTED) ;touch INJECTED2 `touch INJECTED3`' 'args=--select security' > "$tmp/out.txt" || code=$?
cat "$tmp/out.txt"
if compgen -G "$tmp/project/INJECTED*" >/dev/null; then die "an input was evaluated by the shell"; fi
grep -q '"exit-code": "2"' "$tmp/out.txt" || die "unknown paths should be a usage error (exit 2)"

echo "action: clean scan with extra args → success, exit-code 0"
rm "$tmp/project/src/auth.ts"
simulate 'args=--select security' 'fail-on=error' > "$tmp/out.txt" || { cat "$tmp/out.txt"; die "the action failed on a clean project"; }
cat "$tmp/out.txt"
grep -q '"exit-code": "0"' "$tmp/out.txt" || die "exit-code output is not 0"

# The README's snippets: the same files, and the problem matcher on real concise output.
"$bin" scan fixtures --preview --format concise --fail-on never > "$tmp/concise.txt"
timed "README snippets" python scripts/ci/readme_snippets.py check --concise "$tmp/concise.txt"

ci_times
