#!/usr/bin/env python3
"""Validate every line of a JSON-lines file against edgeprobe's JSON Schemas (draft 2020-12).

Usage: validate.py SCHEMA JSONL [JSONL ...]
       validate.py --by-type SCHEMA_DIR JSONL [JSONL ...]

The first form checks every line against SCHEMA; the second checks each line against
SCHEMA_DIR/<its "type">.schema.json (a type without a schema is a problem) and, on standard
error, names the types it checked: `checked types: bench,run_end`. Every *.schema.json beside the
schema is registered under its $id, so "$ref": "envelope.schema.json" resolves. Prints one line
per problem (file:line: path: problem) and exits 1 if any line is not valid JSON or not valid
against its schema, 2 on usage errors, 0 otherwise.
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


def validator_for(schema_path: pathlib.Path, registry: Registry) -> Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


def main(argv: list[str]) -> int:
    by_type = len(argv) > 1 and argv[1] == "--by-type"
    arguments = argv[2:] if by_type else argv[1:]
    if len(arguments) < 2:
        print("\n".join(__doc__.strip().splitlines()[2:4]), file=sys.stderr)
        return 2
    schema_dir = pathlib.Path(arguments[0]) if by_type else pathlib.Path(arguments[0]).parent
    registry = load_registry(schema_dir)
    validators = {} if by_type else {None: validator_for(pathlib.Path(arguments[0]), registry)}
    failures = 0
    records = 0
    checked = set()
    for name in arguments[1:]:
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
                kind = record.get("type") if by_type and isinstance(record, dict) else None
                if kind not in validators:
                    path = schema_dir / f"{kind}.schema.json"
                    if not path.exists():
                        print(f"{name}:{number}: no schema for record type {kind!r}")
                        failures += 1
                        continue
                    validators[kind] = validator_for(path, registry)
                checked.add(kind)
                for error in sorted(validators[kind].iter_errors(record), key=lambda e: list(e.path)):
                    where = "/".join(str(part) for part in error.absolute_path) or "(record)"
                    print(f"{name}:{number}: {kind + ': ' if kind else ''}{where}: {error.message}")
                    failures += 1
    if by_type:
        print("checked types: " + ",".join(sorted(checked)), file=sys.stderr)
    if records == 0:
        print("no records to validate")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
