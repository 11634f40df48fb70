"""The JSON schemas of the CLI's reports (python/miter/schemas/*.schema.json) and a small
validator for the subset of JSON Schema (2020-12) they use, so that reports can be checked
without the `jsonschema` package (used instead when installed and asked for)."""
from __future__ import annotations

import json
import os
import re
from typing import Any, Dict, List, Optional

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")

# Which schema validates a command's --json output, and whether that output is an array of
# such objects (hash, stats) or one object.
COMMAND_SCHEMAS = {
    "check": ("check", False), "certify-check": ("certify_check", False), "stats": ("stats", True),
    "sim": ("sim", False), "decode": ("decode", False), "hash": ("hash", True),
    "dedup": ("dedup", False), "pairs": ("pairs", False),
}

SUPPORTED = {"$schema", "$id", "$defs", "definitions", "$ref", "title", "description", "type", "properties",
             "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum", "minItems",
             "maxItems", "pattern", "anyOf", "oneOf", "allOf", "default", "examples"}


def names() -> List[str]:
    return sorted(f[: -len(".schema.json")] for f in os.listdir(SCHEMA_DIR) if f.endswith(".schema.json"))


def load(name: str) -> Dict[str, Any]:
    with open(os.path.join(SCHEMA_DIR, name + ".schema.json")) as f:
        return json.load(f)


class ValidationError(ValueError):
    def __init__(self, path: str, message: str):
        super().__init__(f"{path or '$'}: {message}")
        self.path, self.message = path, message


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _equal(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def errors(value: Any, schema: Dict[str, Any], root: Optional[Dict[str, Any]] = None, path: str = "") -> List[ValidationError]:
    """Every violation of `schema` by `value` (empty: valid). Unknown keywords are an error,
    so that a schema never silently checks less than it says."""
    root = schema if root is None else root
    out: List[ValidationError] = []
    if schema is True or schema == {}:
        return out
    if schema is False:
        return [ValidationError(path, "no value allowed here")]
    unknown = set(schema) - SUPPORTED
    if unknown:
        return [ValidationError(path, f"schema keyword(s) not supported by the mini validator: {sorted(unknown)}")]
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return [ValidationError(path, f"unsupported $ref {ref}")]
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        out += errors(value, target, root, path)
    t = schema.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        if not any(_TYPES[x](value) for x in types):
            return out + [ValidationError(path, f"expected {t}, got {type(value).__name__} {json.dumps(value)[:80]}")]
    if "const" in schema and not _equal(value, schema["const"]):
        out.append(ValidationError(path, f"expected {json.dumps(schema['const'])}, got {json.dumps(value)[:80]}"))
    if "enum" in schema and not any(_equal(value, e) for e in schema["enum"]):
        out.append(ValidationError(path, f"{json.dumps(value)[:80]} is not one of {schema['enum']}"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(ValidationError(path, f"{value} < minimum {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            out.append(ValidationError(path, f"{value} > maximum {schema['maximum']}"))
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        out.append(ValidationError(path, f"{value[:80]!r} does not match {schema['pattern']}"))
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            out.append(ValidationError(path, f"{len(value)} items < minItems {schema['minItems']}"))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(ValidationError(path, f"{len(value)} items > maxItems {schema['maxItems']}"))
        if "items" in schema:
            for i, v in enumerate(value):
                out += errors(v, schema["items"], root, f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for k in schema.get("required", []):
            if k not in value:
                out.append(ValidationError(path, f"missing required key {k!r}"))
        extra = schema.get("additionalProperties", True)
        for k, v in value.items():
            if k in props:
                out += errors(v, props[k], root, f"{path}.{k}")
            elif extra is False:
                out.append(ValidationError(path, f"key {k!r} is not in the schema"))
            elif isinstance(extra, dict):
                out += errors(v, extra, root, f"{path}.{k}")
    for sub in schema.get("allOf", []):
        out += errors(value, sub, root, path)
    if "anyOf" in schema and not any(not errors(value, s, root, path) for s in schema["anyOf"]):
        out.append(ValidationError(path, "matches none of anyOf"))
    if "oneOf" in schema:
        n = sum(1 for s in schema["oneOf"] if not errors(value, s, root, path))
        if n != 1:
            out.append(ValidationError(path, f"matches {n} of oneOf (expected exactly 1)"))
    return out


def validate(value: Any, name: str, use_jsonschema: bool = False) -> None:
    """Raises ValidationError (or jsonschema's) when `value` does not follow schema `name`."""
    schema = load(name)
    if use_jsonschema:
        import jsonschema
        jsonschema.Draft202012Validator(schema).validate(value)
        return
    errs = errors(value, schema)
    if errs:
        raise ValidationError(errs[0].path, f"[{name}] {errs[0].message}" + (f" (+{len(errs) - 1} more)" if len(errs) > 1 else ""))


def validate_command_output(command: str, result: Any, exit_code: int = 0, use_jsonschema: bool = False) -> str:
    """Validates what `miter COMMAND --json` printed; returns the schema name used."""
    if exit_code == 2:
        validate(result, "error", use_jsonschema)
        return "error"
    name, array = COMMAND_SCHEMAS[command]
    if array:
        if not isinstance(result, list):
            raise ValidationError("", f"[{name}] expected an array of {name} objects")
        for row in result:
            validate(row, name, use_jsonschema)
    else:
        validate(result, name, use_jsonschema)
    return name
