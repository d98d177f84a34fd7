"""A service written in Python: the ``LoadedService`` of a serverless.yml that has no functions.

``ServiceStack(app, service="orders", stage="prod")`` starts from it; functions, events and
resources are then added in Python. The provider settings are given as serverless.yml writes
them (``{"runtime": "python3.12", "memorySize": 512}``) and validated by the same model, so every
default is v3's and a bad value is the same error YAML gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from constructs_lib.config.model import Service
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import validate
from constructs_lib.loader.service import LoadedService

__all__ = ["python_service"]


def python_service(
    name: str,
    *,
    stage: str | None = None,
    region: str | None = None,
    provider: Mapping[str, Any] | None = None,
    folder: Path | None = None,
) -> LoadedService:
    """Service ``name`` with ``provider`` settings (v3's defaults for the rest); ``folder`` is
    where relative paths are read from (default: the working directory)."""
    data: dict[str, Any] = {"service": name, "provider": {"name": "aws", **(provider or {})}}
    model, warnings = validate(Service, data, SourceMap(""), unknown_keys="error")
    where = (folder or Path.cwd()).resolve()
    return LoadedService(
        model=model,
        file=where / "serverless.yml",
        dir=where,
        stage=model.stage(stage),
        region=model.region(region),
        functions={},
        sites={},
        data=data,
        warnings=tuple(warnings),
        label="(python)",
    )
