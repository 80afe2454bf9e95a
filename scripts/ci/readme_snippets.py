#!/usr/bin/env python3
"""The README's copy-paste snippets for CI, pre-commit and editors, kept true.

A snippet is the fenced code block right after a `<!-- snippet: NAME -->` line.

    readme_snippets.py get NAME
        prints the snippet (scripts/ci/pre-commit-test.sh runs the pre-commit one)

    readme_snippets.py check [--concise FILE]
        - github-workflow is .github/workflows/backlint.yml, but for the action's `uses:`
          (`./` in this repository, `backlint/backlint@v<version>` in the snippet);
        - pre-commit-config names this repository, `rev: v<version>` of Cargo.toml and hook
          ids that .pre-commit-hooks.yaml defines;
        - gitlab-ci writes `--format gitlab` to the file its `codequality` report names;
        - vscode-tasks is JSON whose problem matcher captures what the docs say, and matches
          every line of FILE (output of `backlint scan --format concise`), if given.

Needs PyYAML. Run from anywhere.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
REPO_URL = "https://github.com/backlint/backlint"
CONCISE_REGEX = r"^(.+):(\d+):(\d+): (error|warning|note)\[([a-z0-9-]+)\] (.*)$"


def snippets() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    found = {}
    pattern = re.compile(r"<!-- snippet: ([\w-]+) -->\n```\w*\n(.*?)\n```\n", re.S)
    for m in pattern.finditer(text):
        if m.group(1) in found:
            raise SystemExit(f"README.md: snippet {m.group(1)} twice")
        found[m.group(1)] = m.group(2) + "\n"
    return found


def version() -> str:
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
    return cargo["workspace"]["package"]["version"]


def check(concise_file: str | None) -> list[str]:
    errors = []
    snips = snippets()
    for name in ("pre-commit-config", "github-workflow", "gitlab-ci", "vscode-tasks"):
        if name not in snips:
            errors.append(f"README.md: no snippet `{name}`")
    if errors:
        return errors
    tag = f"v{version()}"

    # The workflow snippet is the example workflow, used from outside.
    workflow = (ROOT / ".github/workflows/backlint.yml").read_text(encoding="utf-8")
    local = re.compile(r"^(\s*)uses: \./$", re.M)
    if len(local.findall(workflow)) != 1:
        errors.append(".github/workflows/backlint.yml: expected one `uses: ./` line")
    expected = local.sub(lambda m: f"{m.group(1)}uses: backlint/backlint@{tag}", workflow)
    if snips["github-workflow"] != expected:
        errors.append(
            "README.md: the github-workflow snippet differs from .github/workflows/backlint.yml "
            f"(with `uses: backlint/backlint@{tag}` for `uses: ./`)"
        )

    # The pre-commit snippet.
    config = yaml.safe_load(snips["pre-commit-config"])
    manifest_ids = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    try:
        (repo,) = config["repos"]
        ids = [h["id"] for h in repo["hooks"]]
        if repo["repo"] != REPO_URL:
            errors.append(f"README.md: pre-commit-config repo is not {REPO_URL}")
        if repo["rev"] != tag:
            errors.append(f"README.md: pre-commit-config rev is {repo['rev']}, not {tag}")
        if set(ids) != manifest_ids:
            errors.append(f"README.md: pre-commit-config hooks {ids} are not those of .pre-commit-hooks.yaml {sorted(manifest_ids)}")
    except (KeyError, TypeError, ValueError) as e:
        errors.append(f"README.md: pre-commit-config is not one repo with hooks: {e!r}")

    # The GitLab snippet.
    gitlab = yaml.safe_load(snips["gitlab-ci"])
    job = gitlab.get("backlint") or {}
    script = " ".join(job.get("script") or [])
    report = (((job.get("artifacts") or {}).get("reports")) or {}).get("codequality")
    if "--format gitlab" not in script or f"--output {report}" not in script:
        errors.append("README.md: gitlab-ci must write `--format gitlab --output` to its codequality report")
    if (job.get("artifacts") or {}).get("when") != "always":
        errors.append("README.md: gitlab-ci artifacts need `when: always` (the job fails on findings)")

    # The VS Code task.
    tasks = json.loads(snips["vscode-tasks"])
    matcher = tasks["tasks"][0]["problemMatcher"]
    pattern = matcher["pattern"]
    if pattern["regexp"] != CONCISE_REGEX:
        errors.append(f"README.md: vscode-tasks regexp is {pattern['regexp']!r}, not {CONCISE_REGEX!r}")
    groups = {k: pattern.get(k) for k in ("file", "line", "column", "severity", "code", "message")}
    if groups != {"file": 1, "line": 2, "column": 3, "severity": 4, "code": 5, "message": 6}:
        errors.append(f"README.md: vscode-tasks groups are {groups}")
    if "--format concise" not in tasks["tasks"][0]["command"]:
        errors.append("README.md: the vscode task must run --format concise")
    if concise_file:
        # JavaScript and Python agree on this regex (no lookbehind, no named groups).
        rx = re.compile(pattern["regexp"])
        lines = Path(concise_file).read_text(encoding="utf-8").splitlines()
        if not lines:
            errors.append(f"{concise_file}: no concise output to match")
        for line in lines:
            m = rx.match(line)
            if not m:
                errors.append(f"the vscode-tasks regexp does not match: {line}")
                break
            if re.search(r":\d+$", m.group(1)) or int(m.group(2)) < 1 or int(m.group(3)) < 1:
                errors.append(f"the vscode-tasks regexp captures the wrong groups in: {line}")
                break
    return errors


def main() -> int:
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "get":
        snips = snippets()
        if args[1] not in snips:
            print(f"README.md: no snippet {args[1]}", file=sys.stderr)
            return 1
        sys.stdout.write(snips[args[1]])
        return 0
    if args and args[0] == "check":
        concise = args[2] if len(args) == 3 and args[1] == "--concise" else None
        errors = check(concise)
        for e in errors:
            print(e, file=sys.stderr)
        if not errors:
            print("README.md: the CI, pre-commit and editor snippets agree with the files")
        return 1 if errors else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
