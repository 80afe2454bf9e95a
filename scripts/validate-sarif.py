#!/usr/bin/env python3
"""Validate SARIF files the way GitHub code scanning will read them.

Usage: scripts/validate-sarif.py [--schema SCHEMA] FILE...

Each FILE is checked against the SARIF 2.1.0 JSON schema (default:
../shared/schemas/sarif-schema-2.1.0.json relative to the repository root) with the
`jsonschema` package, using the validator for the schema's own `$schema` draft (Draft 7 when
it names none), and then against the rules GitHub applies that the schema does not encode:

- exactly one run;
- no rule id twice in tool.driver.rules;
- every result's ruleId listed in tool.driver.rules and its ruleIndex pointing at that rule;
- every result has at least one location;
- artifact URIs relative (no scheme such as file:, no leading / or ./), percent-encoded;
- originalUriBaseIds URIs absolute file: URIs ending in /;
- region startColumn and endColumn >= 1;
- rule properties: at most 20 tags, security-severity a numeric string in 0.0..10.0.

Prints `ok: FILE (N results)` per valid file, or one `error: FILE: …` line per problem, and
exits 1 if any file has a problem.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any, Iterator

try:
    import jsonschema
    from jsonschema import Draft7Validator
except ImportError:  # pragma: no cover - environment problem, not a SARIF problem
    print("error: the `jsonschema` package is required: pip install jsonschema", file=sys.stderr)
    sys.exit(2)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = REPO_ROOT / ".." / "shared" / "schemas" / "sarif-schema-2.1.0.json"

# RFC 3986 path characters: unreserved, sub-delims, ':', '@', '/', and %XX escapes.
URI_PATH = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
MAX_TAGS = 20


def json_path(parts: Iterator[Any]) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def schema_errors(validator: Any, log: Any) -> list[str]:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{json_path(e.absolute_path)}: {e.message}" for e in errors]


def artifact_locations(run: dict) -> Iterator[tuple[str, Any]]:
    """(json path, artifactLocation) of every location in results and notifications."""

    def from_locations(locations: Any, where: str) -> Iterator[tuple[str, Any]]:
        if not isinstance(locations, list):
            return
        for i, loc in enumerate(locations):
            if not isinstance(loc, dict):
                continue
            phys = loc.get("physicalLocation")
            if isinstance(phys, dict) and "artifactLocation" in phys:
                yield f"{where}[{i}].physicalLocation.artifactLocation", phys["artifactLocation"]

    for r_i, result in enumerate(run.get("results") or []):
        if not isinstance(result, dict):
            continue
        base = f"$.runs[0].results[{r_i}]"
        yield from from_locations(result.get("locations"), f"{base}.locations")
        yield from from_locations(result.get("relatedLocations"), f"{base}.relatedLocations")
    for i_i, inv in enumerate(run.get("invocations") or []):
        if not isinstance(inv, dict):
            continue
        for key in ("toolExecutionNotifications", "toolConfigurationNotifications"):
            for n_i, note in enumerate(inv.get(key) or []):
                if isinstance(note, dict):
                    where = f"$.runs[0].invocations[{i_i}].{key}[{n_i}].locations"
                    yield from from_locations(note.get("locations"), where)


def regions(run: dict) -> Iterator[tuple[str, Any]]:
    for r_i, result in enumerate(run.get("results") or []):
        if not isinstance(result, dict):
            continue
        for key in ("locations", "relatedLocations"):
            for l_i, loc in enumerate(result.get(key) or []):
                phys = loc.get("physicalLocation") if isinstance(loc, dict) else None
                if isinstance(phys, dict) and isinstance(phys.get("region"), dict):
                    yield f"$.runs[0].results[{r_i}].{key}[{l_i}].physicalLocation.region", phys[
                        "region"
                    ]


def github_errors(log: Any) -> list[str]:
    errors: list[str] = []
    if not isinstance(log, dict):
        return ["$: not a JSON object"]
    runs = log.get("runs")
    if not isinstance(runs, list) or len(runs) != 1:
        count = len(runs) if isinstance(runs, list) else 0
        errors.append(f"$.runs: expected exactly one run, found {count}")
    if not isinstance(runs, list) or not runs or not isinstance(runs[0], dict):
        return errors
    run = runs[0]

    driver = (run.get("tool") or {}).get("driver") or {}
    rules = driver.get("rules") or []
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules):
        rid = rule.get("id") if isinstance(rule, dict) else None
        if rid in seen:
            errors.append(
                f"$.runs[0].tool.driver.rules[{i}]: rule id {rid!r} already listed at index {seen[rid]}"
            )
        else:
            seen[rid] = i
        props = rule.get("properties") if isinstance(rule, dict) else None
        if not isinstance(props, dict):
            continue
        where = f"$.runs[0].tool.driver.rules[{i}].properties"
        tags = props.get("tags")
        if isinstance(tags, list) and len(tags) > MAX_TAGS:
            errors.append(f"{where}.tags: {len(tags)} tags, GitHub reads at most {MAX_TAGS}")
        if "security-severity" in props:
            sev = props["security-severity"]
            if not isinstance(sev, str):
                errors.append(f"{where}.security-severity: must be a string, got {json.dumps(sev)}")
            else:
                try:
                    value = float(sev)
                except ValueError:
                    value = None
                if value is None or not 0.0 <= value <= 10.0:
                    errors.append(
                        f"{where}.security-severity: {sev!r} is not a number between 0.0 and 10.0"
                    )

    for i, result in enumerate(run.get("results") or []):
        if not isinstance(result, dict):
            continue
        where = f"$.runs[0].results[{i}]"
        rid = result.get("ruleId")
        index = result.get("ruleIndex")
        if rid not in seen:
            errors.append(f"{where}.ruleId: {rid!r} is not in tool.driver.rules")
        if not isinstance(index, int) or isinstance(index, bool):
            errors.append(f"{where}.ruleIndex: missing")
        elif not 0 <= index < len(rules):
            errors.append(f"{where}.ruleIndex: {index} is out of range ({len(rules)} rules)")
        elif rules[index].get("id") != rid:
            errors.append(
                f"{where}.ruleIndex: {index} points at {rules[index].get('id')!r}, not {rid!r}"
            )
        if not result.get("locations"):
            errors.append(f"{where}.locations: a result needs a location")

    for where, artifact in artifact_locations(run):
        uri = artifact.get("uri") if isinstance(artifact, dict) else None
        if not isinstance(uri, str):
            errors.append(f"{where}.uri: missing")
            continue
        if SCHEME.match(uri):
            errors.append(f"{where}.uri: {uri!r} is absolute; use a path relative to a uriBaseId")
        elif uri.startswith("/"):
            errors.append(f"{where}.uri: {uri!r} starts with '/'")
        elif uri.startswith("./") or uri == ".":
            errors.append(f"{where}.uri: {uri!r} starts with './'")
        elif not URI_PATH.match(uri):
            errors.append(f"{where}.uri: {uri!r} has characters that must be percent-encoded")

    for base_id, artifact in (run.get("originalUriBaseIds") or {}).items():
        uri = artifact.get("uri") if isinstance(artifact, dict) else None
        where = f"$.runs[0].originalUriBaseIds[{base_id!r}].uri"
        if not isinstance(uri, str) or not uri.startswith("file://") or not uri.endswith("/"):
            errors.append(f"{where}: {uri!r} must be an absolute file: URI ending in '/'")
        elif not URI_PATH.match(uri[len("file:") :]):
            errors.append(f"{where}: {uri!r} has characters that must be percent-encoded")

    for where, region in regions(run):
        for key in ("startColumn", "endColumn", "startLine", "endLine"):
            value = region.get(key)
            if value is not None and (not isinstance(value, int) or value < 1):
                errors.append(f"{where}.{key}: {value!r} must be >= 1")
    return errors


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA, help="SARIF 2.1.0 JSON schema")
    args = parser.parse_args(argv)

    try:
        schema = json.loads(args.schema.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"error: cannot read schema {args.schema}: {e}", file=sys.stderr)
        return 1
    validator_class = jsonschema.validators.validator_for(schema, default=Draft7Validator)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    failed = False
    for path in args.files:
        try:
            log = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"error: {path}: {e}")
            failed = True
            continue
        errors = schema_errors(validator, log) + github_errors(log)
        if errors:
            failed = True
            for error in errors:
                print(f"error: {path}: {error}")
        else:
            count = sum(len(run.get("results") or []) for run in log["runs"])
            print(f"ok: {path} ({count} results)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
