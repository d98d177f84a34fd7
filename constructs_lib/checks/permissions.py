"""What CloudFormation needs to create, update, read and delete each resource type, and how each
type takes tags, from AWS's own resource schemas, for every type of the registry.

The data is ``cfn_permissions.json.gz`` beside this module (~1,850 types, ~80 KB), written from
the schemas cfn-lint ships (us-east-1; the tag entries from every region's and SAM's) by
``python -m constructs_lib.checks.permissions``; the file records the cfn-lint version it came
from. :mod:`.policy` scopes the types it knows by name and grants the rest from here (the
schemas' ``handlers.<op>.permissions``). Raw resources of a taggable type
(:mod:`constructs_lib.constructs.raw`) are tagged by CDK's ``Tags`` aspect through
:func:`schema_tagging` (the schema's ``tagging`` section and its tag property's shape).
"""

from __future__ import annotations

import gzip
import importlib.metadata
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["DATA", "TAG_FORMATS", "schema_permissions", "schema_tagging"]

DATA = Path(__file__).with_name("cfn_permissions.json.gz")
_OPERATIONS = ("create", "read", "update", "delete")

#: how a tag property is written: ``list`` of ``{Key, Value}``, ``map`` of key to value, or
#: ``asg``: ``{Key, Value, PropagateAtLaunch}`` (AWS::AutoScaling::AutoScalingGroup)
TAG_FORMATS = ("list", "map", "asg")


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def _table() -> dict[str, list[str]]:
    types: dict[str, list[str]] = _document()["types"]
    return types


def schema_permissions(resource_type: str) -> list[str] | None:
    """The actions the type's CloudFormation handlers call (sorted), or None for a type the
    registry does not have (a typo, a third-party or a custom type)."""
    return _table().get(resource_type)


def schema_tagging(resource_type: str) -> tuple[str, str] | None:
    """``(tag property, format)`` for a type CloudFormation tags through a top-level property
    (format one of :data:`TAG_FORMATS`), or None: not taggable, tagged elsewhere (inside a
    ``TagSpecifications`` entry), or not a registry type."""
    entry = _document()["tags"].get(resource_type)
    return (entry[0], entry[1]) if entry else None


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with its local ``$ref`` chain followed."""
    while "$ref" in node:
        node = schema.get("definitions", {})[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _tagging(schema: dict[str, Any]) -> list[str] | None:
    """``[property, format]`` from a schema's ``tagging`` section (``taggable`` and ``tagProperty``,
    default ``/properties/Tags``); a schema without the section is taggable when it has ``Tags``."""
    section = schema.get("tagging")
    if section is not None and not section.get("taggable", True):
        return None
    pointer = (section or {}).get("tagProperty", "/properties/Tags")
    name = pointer.removeprefix("/properties/")
    if "/" in name or name not in schema.get("properties", {}):
        return None
    prop = _resolved(schema, schema["properties"][name])
    if prop.get("type") != "array" and "items" not in prop:
        # a map of key to value, or JSON; an object of named fields ({Items: [...]}) is neither
        mapping = "patternProperties" in prop or prop.get("additionalProperties", True) is not False
        return [name, "map"] if mapping or "properties" not in prop else None
    item = _resolved(schema, prop.get("items", {}))
    return [name, "asg" if "PropagateAtLaunch" in item.get("properties", {}) else "list"]


def _regenerate() -> None:
    """Write :data:`DATA` from the installed cfn-lint's resource schemas (a dev dependency)."""
    import cfnlint

    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    index = json.loads((schemas / "providers" / "us-east-1.json").read_text())
    types: dict[str, list[str]] = {}
    for rtype, digest in sorted(index.items()):
        handlers = json.loads((schemas / "resources" / f"{digest}.json").read_text()).get("handlers", {})
        types[rtype] = sorted({p for op in _OPERATIONS for p in handlers.get(op, {}).get("permissions", [])})
    # tags: every region's types (and SAM's), us-east-1's schema first
    digests: dict[str, str] = {}
    for provider in [
        schemas / "providers" / "us-east-1.json",
        *sorted((schemas / "providers").glob("*.json")),
    ]:
        for rtype, digest in json.loads(provider.read_text()).items():
            digests.setdefault(rtype, digest)
    tags: dict[str, list[str]] = {}
    for rtype, digest in sorted(digests.items()):
        tagging = _tagging(json.loads((schemas / "resources" / f"{digest}.json").read_text()))
        if tagging is not None:
            tags[rtype] = tagging
    version = importlib.metadata.version("cfn-lint")
    source = f"cfn-lint {version} resource schemas, us-east-1 (tags: every region and SAM)"
    document = {"source": source, "tags": tags, "types": types}
    with gzip.GzipFile(DATA, "wb", mtime=0) as f:  # no timestamp: same schemas, same bytes
        f.write(json.dumps(document, separators=(",", ":"), sort_keys=True).encode())
    size = DATA.stat().st_size // 1024
    print(f"wrote {DATA} ({len(types)} types, {len(tags)} taggable, {size} KB)", file=sys.stderr)


if __name__ == "__main__":
    _regenerate()
