#!/usr/bin/env bash
# The pre-commit hooks for real: pre-commit (pinned, in the CI venv) builds this repository's
# hooks with `language: rust` (`cargo install --bins --root <env> --path .`) and runs them on
# a throwaway git project with a bad and a good file.
#
#   1. `pre-commit try-repo <this repo> backlint --all-files` fails (exit 1) naming the bad
#      file, and not the files that the configuration and the default excludes exclude
#      (--force-exclude);
#   2. the finding suppressed (`// backlint-ignore jwt-in-local-storage -- reason`): passes;
#   3. with the README's .pre-commit-config.yaml (repo and rev pointed at this repo) and the
#      git hooks installed: a commit adding a bad file is refused, the bad line deleted it is
#      accepted; `backlint-project` (--hook-stage manual) fails on a finding committed with
#      --no-verify, so does `git push` (pre-push), and both pass once it is suppressed at the
#      end of its line.
#
# "This repo" is a snapshot of the working tree (tracked and untracked files that git does
# not ignore), committed in a temporary repository: a clean checkout in CI, and a developer's
# uncommitted changes too (try-repo's own snapshot takes only tracked files).
# Release builds: no LTO, a shared target directory (scripts/ci/lib.sh).
set -euo pipefail
# shellcheck source=scripts/ci/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

timed "install pre-commit" ci_pip_install "$PIN_PRE_COMMIT" "$PIN_PYYAML"
pc="$VENV/bin/pre-commit"
"$pc" --version
"$pc" validate-manifest .pre-commit-hooks.yaml

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The hook repository: a snapshot of the working tree.
hook_repo="$tmp/hook-repo"
mkdir -p "$hook_repo"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do
      if [ -f "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
    done \
  | tar --null -T - -cf - | tar -xf - -C "$hook_repo"

# Git that reads no user or system configuration (no hooksPath, signing, templates…).
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$tmp/gitconfig"
git config --global user.name "backlint CI"
git config --global user.email "ci@backlint.invalid"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
git -C "$hook_repo" init -q
git -C "$hook_repo" add -A
git -C "$hook_repo" commit -q -m "snapshot"
rev=$(git -C "$hook_repo" rev-parse HEAD)

# The project: a bad file, a good file, and bad files excluded by the configuration
# (generated/) and by default (dist/), which --force-exclude keeps out of the hook's scan.
proj="$tmp/project"
mkdir -p "$proj/src" "$proj/generated" "$proj/dist"
cd "$proj"
cat > src/auth.ts <<'TS'
export function saveSession(jwt: string): void {
  localStorage.setItem('token', jwt);
}
TS
cat > src/util.ts <<'TS'
export function add(a: number, b: number): number {
  return a + b;
}
TS
cat > generated/client.ts <<'TS'
export const persist = (jwt: string) => localStorage.setItem('token', jwt);
TS
cp generated/client.ts dist/client.js
printf 'extend-exclude = ["generated/**"]\n' > backlint.toml
git init -q
git add -A
git commit -q -m "a bad file and a good file"

# Runs a command, prints its output, and checks its exit code: expect CODE LABEL CMD…
expect() {
  local want=$1 label=$2 code=0
  shift 2
  timed "$label" "$@" > "$tmp/out.txt" 2>&1 || code=$?
  sed 's/^/    | /' "$tmp/out.txt"
  [ "$code" -eq "$want" ] || die "$label: exit code $code, expected $want"
  echo "ok: $label (exit $code)"
}
output_has() { grep -qF -- "$1" "$tmp/out.txt" || die "the output does not name $1"; }
output_lacks() { if grep -qF -- "$1" "$tmp/out.txt"; then die "the output names $1"; fi; }

# 1. try-repo on the bad project.
expect 1 "try-repo backlint, bad file (builds the hook)" \
  "$pc" try-repo "$hook_repo" backlint --all-files
output_has "src/auth.ts"
output_has "jwt-in-local-storage"
output_lacks "src/util.ts"
output_lacks "generated/client.ts" # --force-exclude: the configuration's excludes
output_lacks "dist/client.js"      # and the default ones apply to named files

# 2. Suppressed, with a reason: passes.
cat > src/auth.ts <<'TS'
export function saveSession(jwt: string): void {
  // backlint-ignore jwt-in-local-storage -- demo build: the token is a fixed mock
  localStorage.setItem('token', jwt);
}
TS
git commit -q -am "suppress the finding"
expect 0 "try-repo backlint, finding suppressed (builds the hook)" \
  "$pc" try-repo "$hook_repo" backlint --all-files

# 3. The README's configuration, the git hooks installed.
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
"$VENV/bin/python" "$ROOT/scripts/ci/readme_snippets.py" get pre-commit-config \
  | sed -e "s|repo: https://github.com/backlint/backlint\$|repo: $hook_repo|" \
        -e "s|rev: v[0-9][0-9.]*\$|rev: $rev|" > .pre-commit-config.yaml
grep -qF "rev: $rev" .pre-commit-config.yaml || die "could not point the README's config at the snapshot"
cat .pre-commit-config.yaml
git add .pre-commit-config.yaml
git commit -q -m "pre-commit configuration"
expect 0 "pre-commit install --install-hooks (builds the hook)" \
  "$pc" install --install-hooks --hook-type pre-commit --hook-type pre-push

cat > src/session.js <<'JS'
export function remember(token) {
  sessionStorage.setItem('accessToken', token);
}
JS
git add src/session.js
head_before=$(git rev-parse HEAD)
expect 1 "git commit with a bad file (the commit hook)" git commit -m "remember the token"
output_has "src/session.js"
[ "$(git rev-parse HEAD)" = "$head_before" ] || die "the commit went through"

sed -i '/sessionStorage/d' src/session.js # the other fix: the bad line deleted
git add src/session.js
expect 0 "git commit once the bad line is deleted" git commit -m "remember nothing"

git init -q --bare "$tmp/remote.git"
git remote add origin "$tmp/remote.git"
printf 'export const keep = (t: string) => localStorage.setItem("refresh_token", t);\n' > src/keep.ts
git add src/keep.ts
git commit -q --no-verify -m "a finding past the commit hook"
expect 1 "backlint-project (--hook-stage manual), bad file" \
  "$pc" run --hook-stage manual backlint-project
output_has "src/keep.ts"
output_lacks "generated/client.ts"
output_lacks "dist/client.js"
expect 1 "git push with a bad file (the pre-push hook)" git push -q origin main
output_has "src/keep.ts"
# Suppressed at the end of the line this time.
printf 'export const keep = (t: string) => localStorage.setItem("refresh_token", t); // backlint-ignore jwt-in-local-storage -- kiosk build, no cookies\n' > src/keep.ts
git commit -q -am "suppress it"
expect 0 "backlint-project (--hook-stage manual), clean" \
  "$pc" run --hook-stage manual backlint-project
expect 0 "git push, clean (the pre-push hook)" git push -q origin main

ci_times
