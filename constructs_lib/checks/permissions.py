"""What CloudFormation needs to create, update, read and delete each resource type, from AWS's own
resource schemas (their ``handlers.<op>.permissions``), for every type of the registry.

The data is ``cfn_permissions.json.gz`` beside this module (~1,850 types, ~70 KB), written from
the schemas cfn-lint ships (us-east-1) by ``python -m constructs_lib.checks.permissions``; the
file records the cfn-lint version it came from. :mod:`.policy` scopes the types it knows by name
and grants the rest from here.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import json
import sys
from functools import lru_cache
from pathlib import Path

__all__ = ["DATA", "schema_permissions"]

DATA = Path(__file__).with_name("cfn_permissions.json.gz")
_OPERATIONS = ("create", "read", "update", "delete")


@lru_cache(maxsize=1)
def _table() -> dict[str, list[str]]:
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        data: dict[str, list[str]] = json.load(f)["types"]
    return data


def schema_permissions(resource_type: str) -> list[str] | None:
    """The actions the type's CloudFormation handlers call (sorted), or None for a type the
    registry does not have (a typo, a third-party or a custom type)."""
    return _table().get(resource_type)


def _regenerate() -> None:
    """Write :data:`DATA` from the installed cfn-lint's resource schemas (a dev dependency)."""
    import cfnlint

    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    index = json.loads((schemas / "providers" / "us-east-1.json").read_text())
    types: dict[str, list[str]] = {}
    for rtype, digest in sorted(index.items()):
        handlers = json.loads((schemas / "resources" / f"{digest}.json").read_text()).get("handlers", {})
        types[rtype] = sorted({p for op in _OPERATIONS for p in handlers.get(op, {}).get("permissions", [])})
    version = importlib.metadata.version("cfn-lint")
    document = {"source": f"cfn-lint {version} resource schemas, us-east-1", "types": types}
    with gzip.GzipFile(DATA, "wb", mtime=0) as f:  # no timestamp: same schemas, same bytes
        f.write(json.dumps(document, separators=(",", ":"), sort_keys=True).encode())
    print(f"wrote {DATA} ({len(types)} types, {DATA.stat().st_size // 1024} KB)", file=sys.stderr)


if __name__ == "__main__":
    _regenerate()
