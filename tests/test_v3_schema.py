"""Our model knows every key Serverless v3 knows.

In ``warn`` mode (v3's default) a key our model does not have is ignored with "v3 ignores it": that
is only true if v3's own schema does not have the key either. ``tests/reference/v3-schema.json`` is
v3.40.0's whole schema (core, aws provider, every built-in event; dumped by
``tests/reference/regenerate.py``); this test walks it beside our pydantic model and fails on any key
v3 accepts that our model lacks. A key v3 knows that we do not translate must be declared
``NotSupported`` (an error in every mode), one that never changes the template ``Ignored``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from constructs_lib.config.model import Service
from constructs_lib.config.validate import _container_item, _models_in
from constructs_lib.events import NOT_SUPPORTED_YET, REGISTRY

SCHEMA = json.loads((Path(__file__).parent / "reference" / "v3-schema.json").read_text())
#: v3's internal placeholder in its list of event schemas, not a key a user writes
_INTERNAL = {"__schemaWorkaround__"}


class Walk:
    """v3's schema and our annotations side by side; collects what ours lacks."""

    def __init__(self) -> None:
        self.missing: list[str] = []
        self.checked = 0

    @staticmethod
    def deref(schema: Any) -> Any:
        while isinstance(schema, dict) and "$ref" in schema:
            schema = SCHEMA["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    @staticmethod
    def fields(model: Any) -> dict[str, Any]:
        return {(f.alias or name): f.annotation for name, f in model.model_fields.items()}

    @staticmethod
    def items(ours: list[Any]) -> list[Any]:
        return [item for annotation in ours for item in _container_item(annotation)]

    def walk(self, schema: Any, ours: list[Any], path: list[str]) -> None:
        schema = self.deref(schema)
        if not isinstance(schema, dict):
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for branch in schema.get(key, []):
                self.walk(branch, ours, path)
        models = [m for annotation in ours for m in _models_in(annotation)]
        props = schema.get("properties", {})
        intrinsic = props and all(k == "Ref" or k.startswith("Fn::") for k in props)
        if models and not intrinsic:  # no model on our side: free-form there (JSON, a map)
            for name, sub in props.items():
                found = [self.fields(m)[name] for m in models if name in self.fields(m)]
                self.checked += 1
                if found:
                    self.walk(sub, found, [*path, name])
                else:
                    self.missing.append(".".join([*path, name]))
        for sub in schema.get("patternProperties", {}).values():
            self.walk(sub, self.items(ours), [*path, "*"])
        if isinstance(schema.get("additionalProperties"), dict):
            self.walk(schema["additionalProperties"], self.items(ours), [*path, "*"])
        if isinstance(schema.get("items"), dict):
            if path[-1:] == ["events"]:
                self.events(schema["items"], path)
            else:
                self.walk(schema["items"], self.items(ours), [*path, "*"])

    def events(self, schema: Any, path: list[str]) -> None:
        for branch in self.deref(schema).get("anyOf", []):
            for event_type, body in self.deref(branch).get("properties", {}).items():
                self.checked += 1
                if event_type in REGISTRY:
                    self.walk(body, [REGISTRY[event_type].model], [*path, "*", event_type])
                elif event_type not in NOT_SUPPORTED_YET and event_type not in _INTERNAL:
                    self.missing.append(".".join([*path, "*", event_type]) + " (event type)")


def test_every_v3_key_is_in_the_model() -> None:
    walk = Walk()
    walk.walk(SCHEMA, [Service], [])
    assert walk.checked > 500, "the walk did not reach v3's keys"
    assert walk.missing == []


def test_the_walk_finds_a_missing_key() -> None:
    """The walk itself must fail on a key v3 knows and the model lacks."""
    walk = Walk()
    walk.walk({"properties": {"provider": {"properties": {"noSuchKeyInOurModel": {}}}}}, [Service], [])
    assert walk.missing == ["provider.noSuchKeyInOurModel"]
