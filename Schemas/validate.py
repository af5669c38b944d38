#!/usr/bin/env python3
"""Validate every line of a JSON-lines file against an edgeprobe JSON Schema (draft 2020-12).

Usage: validate.py SCHEMA JSONL [JSONL ...]

Every *.schema.json beside SCHEMA is registered under its $id, so "$ref": "envelope.schema.json"
resolves. Prints one line per invalid record (file:line: path: problem) and exits 1 if any line
is not valid JSON or not valid against the schema, 2 on usage errors, 0 otherwise.
"""

import json
import pathlib
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource


def load_registry(schema_dir: pathlib.Path) -> Registry:
    resources = []
    for path in sorted(schema_dir.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents.get("$id", path.name), Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    schema_path = pathlib.Path(argv[1])
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, registry=load_registry(schema_path.parent))
    failures = 0
    records = 0
    for name in argv[2:]:
        with open(name, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.endswith("\n"):
                    print(f"{name}:{number}: line is not terminated by a newline")
                    failures += 1
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    print(f"{name}:{number}: not JSON: {error}")
                    failures += 1
                    continue
                records += 1
                for error in sorted(validator.iter_errors(record), key=lambda e: list(e.path)):
                    where = "/".join(str(part) for part in error.absolute_path) or "(record)"
                    print(f"{name}:{number}: {where}: {error.message}")
                    failures += 1
    if records == 0:
        print("no records to validate")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
