#!/usr/bin/env python3
"""Checks of the composite action (action.yml), which actionlint does not lint itself.

    check_action.py check ACTION_YML [WORKFLOW_YML]
        structure (required keys, composite steps, `shell` on every `run` step, known step
        keys, unique ids, references to declared inputs and earlier steps), no `${{ … }}`
        expression inside any `run:` script (inputs reach scripts only through `env:`),
        shellcheck on every `run` script; with WORKFLOW_YML, that the example workflow
        uses the action and uploads its SARIF with `if: always()`.

    check_action.py simulate ACTION_YML BACKLINT_BIN WORKDIR KEY=VALUE...
        runs the action's `run` steps the way the runner does (bash -e -o pipefail, the
        step's env with the expressions substituted, GITHUB_OUTPUT/GITHUB_PATH/…), with the
        given inputs, the cache step taken as a hit and BACKLINT_BIN on PATH; prints the
        action's outputs as JSON and exits with the action's result (0 success, 1 failure).

Needs PyYAML (and shellcheck on PATH for `check`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.S)
TOP_KEYS = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
STEP_KEYS = {
    "id",
    "name",
    "if",
    "run",
    "shell",
    "env",
    "working-directory",
    "uses",
    "with",
    "continue-on-error",
}
SHELLS = {"bash", "sh", "pwsh", "python", "cmd", "powershell"}


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def expressions(value) -> list[str]:
    """Every `${{ … }}` expression in a YAML value (strings, lists, mappings)."""
    if isinstance(value, str):
        return EXPR.findall(value)
    if isinstance(value, dict):
        return [e for v in value.values() for e in expressions(v)]
    if isinstance(value, list):
        return [e for v in value for e in expressions(v)]
    return []


def check(action_path: str, workflow_path: str | None) -> list[str]:
    errors: list[str] = []
    err = errors.append
    action = load(action_path)
    if not isinstance(action, dict):
        return [f"{action_path}: not a mapping"]

    for key in ("name", "description", "runs"):
        if not action.get(key):
            err(f"missing top-level key `{key}`")
    for key in set(action) - TOP_KEYS:
        err(f"unknown top-level key `{key}`")

    inputs = action.get("inputs") or {}
    for name, spec in inputs.items():
        if not isinstance(spec, dict) or not spec.get("description"):
            err(f"input `{name}` has no description")
        elif "default" in spec and not isinstance(spec["default"], str):
            err(f"input `{name}`: the default must be a string")

    runs = action.get("runs") or {}
    if runs.get("using") != "composite":
        err(f"runs.using is {runs.get('using')!r}, not 'composite'")
    steps = runs.get("steps") or []
    if not steps:
        err("runs.steps is empty")

    used_inputs: set[str] = set()
    step_ids: list[str] = []

    def check_refs(where: str, value, known_ids: list[str]) -> None:
        for expr in expressions(value):
            for name in re.findall(r"\binputs\.([A-Za-z0-9_-]+)", expr):
                used_inputs.add(name)
                if name not in inputs:
                    err(f"{where}: `inputs.{name}` is not a declared input")
            for sid in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)", expr):
                if sid not in known_ids:
                    err(f"{where}: `steps.{sid}` is not an earlier step's id")

    for i, step in enumerate(steps):
        where = f"step {i + 1} ({step.get('name') or step.get('id') or step.get('uses')})"
        for key in set(step) - STEP_KEYS:
            err(f"{where}: unknown key `{key}`")
        if ("run" in step) == ("uses" in step):
            err(f"{where}: needs exactly one of `run` and `uses`")
        if "run" in step:
            if step.get("shell") not in SHELLS:
                err(f"{where}: a `run` step needs `shell` (one of {sorted(SHELLS)})")
            if EXPR.search(step["run"]):
                err(
                    f"{where}: `${{{{ … }}}}` inside `run:` (pass values through `env:`): "
                    + ", ".join(EXPR.findall(step["run"]))
                )
            for bad in ("inputs.", "github.event", "github.head_ref"):
                if "${{" in step["run"] and bad in step["run"]:
                    err(f"{where}: `{bad}` expression inside `run:` (script injection)")
        if "with" in step and "uses" not in step:
            err(f"{where}: `with` without `uses`")
        if "uses" in step and not re.match(r"^[\w.-]+/[\w./-]+@[\w.-]+$|^\./", step["uses"]):
            err(f"{where}: `uses: {step['uses']}` is not owner/repo@ref or ./path")
        check_refs(where, {k: v for k, v in step.items() if k != "id"}, step_ids)
        if "if" in step:
            check_refs(where, "${{ " + str(step["if"]) + " }}", step_ids)
        if "id" in step:
            if step["id"] in step_ids:
                err(f"{where}: duplicate id `{step['id']}`")
            step_ids.append(step["id"])

    for name, spec in (action.get("outputs") or {}).items():
        if not isinstance(spec, dict) or not spec.get("description"):
            err(f"output `{name}` has no description")
        if not isinstance(spec, dict) or "value" not in spec:
            err(f"output `{name}` has no `value` (composite outputs need one)")
        else:
            check_refs(f"output `{name}`", spec["value"], step_ids)
    for name in set(inputs) - used_inputs:
        err(f"input `{name}` is never used")

    errors += shellcheck_steps(steps)
    if workflow_path:
        errors += check_example_workflow(workflow_path)
    return errors


def shellcheck_steps(steps: list[dict]) -> list[str]:
    shellcheck = shutil.which("shellcheck")
    if not shellcheck:
        return ["shellcheck not found on PATH"]
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, step in enumerate(steps):
            if "run" not in step or step.get("shell") != "bash":
                continue
            script = Path(tmp) / f"step-{i + 1}.sh"
            # The runner runs `bash --noprofile --norc -eo pipefail {0}`.
            script.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + step["run"])
            proc = subprocess.run(
                [shellcheck, "--shell=bash", "--severity=style", str(script)],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                name = step.get("name") or step.get("id")
                errors.append(f"shellcheck on the `run` of step {i + 1} ({name}):\n{proc.stdout}")
    return errors


def check_example_workflow(path: str) -> list[str]:
    errors = []
    wf = load(path)
    jobs = wf.get("jobs") or {}
    steps = [s for job in jobs.values() for s in job.get("steps", [])]
    action_steps = [s for s in steps if s.get("uses") == "./"]
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    if len(action_steps) != 1:
        errors.append(f"{path}: expected one step with `uses: ./`")
    if len(uploads) != 1:
        errors.append(f"{path}: expected one github/codeql-action/upload-sarif step")
    for up in uploads:
        if "always()" not in str(up.get("if", "")):
            errors.append(f"{path}: the SARIF upload needs `if: always()`")
        if (up.get("with") or {}).get("category") != "backlint":
            errors.append(f"{path}: the SARIF upload needs `category: backlint`")
    for name, job in jobs.items():
        perms = job.get("permissions") or wf.get("permissions") or {}
        if action_steps and uploads and perms.get("security-events") != "write":
            errors.append(f"{path}: job `{name}` needs `permissions: security-events: write`")
    return errors


# --- simulate -------------------------------------------------------------------------------


def simulate(action_path: str, backlint_bin: str, workdir: str, pairs: list[str]) -> int:
    action = load(action_path)
    inputs = {k: str(v.get("default", "")) for k, v in (action.get("inputs") or {}).items()}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key not in inputs:
            sys.exit(f"unknown input {key}")
        inputs[key] = value
    outputs: dict[str, dict[str, str]] = {}
    action_dir = str(Path(action_path).resolve().parent)

    def evaluate(expr: str) -> str:
        expr = expr.strip()
        m = re.fullmatch(r"inputs\.([\w-]+)", expr)
        if m:
            return inputs[m.group(1)]
        m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if m:
            return outputs.get(m.group(1), {}).get(m.group(2), "")
        m = re.fullmatch(r"(runner\.(os|arch)|github\.action_path)", expr)
        if m:
            return {"runner.os": "Linux", "runner.arch": "X64", "github.action_path": action_dir}[expr]
        m = re.fullmatch(r"(.+?)\s*(!=|==)\s*'([^']*)'", expr)
        if m:
            left = evaluate(m.group(1))
            return str((left == m.group(3)) == (m.group(2) == "==")).lower()
        raise ValueError(f"expression not supported by the simulation: {expr}")

    def substitute(value: str) -> str:
        return EXPR.sub(lambda m: evaluate(m.group(1)), value)

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        bindir = Path(tmp) / "bin"
        bindir.mkdir()
        shutil.copy(backlint_bin, bindir / "backlint")
        failed = False
        for i, step in enumerate(action["runs"]["steps"]):
            sid = step.get("id", f"__{i}")
            if "uses" in step:
                if step["uses"].startswith("actions/cache@"):
                    outputs[sid] = {"cache-hit": "true"}  # the binary is already there
                continue
            cond = step.get("if")
            if cond is not None:
                if failed or evaluate(str(cond)) != "true":
                    continue
            elif failed:
                continue
            files = {n: Path(tmp) / f"{n}-{i}" for n in ("output", "path", "summary", "env")}
            for f in files.values():
                f.write_text("")
            env = {
                "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
                "HOME": str(home),
                "GITHUB_ACTION_PATH": action_dir,
                "GITHUB_OUTPUT": str(files["output"]),
                "GITHUB_PATH": str(files["path"]),
                "GITHUB_STEP_SUMMARY": str(files["summary"]),
                "GITHUB_ENV": str(files["env"]),
                "GITHUB_ACTIONS": "true",
                "NO_COLOR": "1",
            }
            env.update({k: substitute(str(v)) for k, v in (step.get("env") or {}).items()})
            script = Path(tmp) / f"step-{i}.sh"
            script.write_text(step["run"])
            print(f"--- step: {step.get('name') or sid}", flush=True)
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workdir, env=env)
            step_out = {}
            for line in files["output"].read_text().splitlines():
                key, _, value = line.partition("=")
                step_out[key] = value
            outputs[sid] = step_out
            summary = files["summary"].read_text()
            if summary:
                print(f"--- step summary:\n{summary}", end="", flush=True)
            if proc.returncode != 0:
                print(f"--- step failed with exit code {proc.returncode}", flush=True)
                failed = True
        result = {
            name: substitute(str(spec["value"])) for name, spec in (action.get("outputs") or {}).items()
        }
        print(json.dumps({"outputs": result, "failed": failed}))
        return 1 if failed else 0


def main() -> int:
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        errors = check(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
        for e in errors:
            print(f"{sys.argv[2]}: {e}", file=sys.stderr)
        if not errors:
            print(f"{sys.argv[2]}: ok (structure, no expressions in run scripts, shellcheck)")
        return 1 if errors else 0
    if len(sys.argv) >= 5 and sys.argv[1] == "simulate":
        return simulate(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
