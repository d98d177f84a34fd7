"""v3's defaults that are needed outside the typed model, and the rules that pick the stage and
the region: the option given, else the configuration's value, else v3's default.

Every other default is declared on its field in :mod:`constructs_lib.config.model`. This module
imports nothing heavy, so loaders can use it before the model exists.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "DEFAULT_DEPLOYMENT_PREFIX",
    "DEFAULT_REGION",
    "DEFAULT_STAGE",
    "effective_region",
    "effective_stage",
    "plain_stage",
]

DEFAULT_STAGE = "dev"
DEFAULT_REGION = "us-east-1"
#: ``provider.deploymentPrefix``: the first part of the artifacts' S3 keys.
DEFAULT_DEPLOYMENT_PREFIX = "serverless"


def effective_stage(option: str | None, configured: str | None = None) -> str:
    """The stage in force: the option (``--stage``), else ``provider.stage``, else ``dev``."""
    return option or configured or DEFAULT_STAGE


def effective_region(option: str | None, configured: str | None = None) -> str:
    """The region in force: the option (``--region``), else ``provider.region``, else ``us-east-1``."""
    return option or configured or DEFAULT_REGION


def plain_stage(data: Mapping[str, object], option: str | None = None) -> str:
    """:func:`effective_stage` over raw data, before variables are resolved: ``provider.stage``
    counts only when it is plain text (a value still holding ``${...}`` is not known yet)."""
    provider = data.get("provider")
    stage = provider.get("stage") if isinstance(provider, Mapping) else None
    return effective_stage(option, stage if isinstance(stage, str) and "${" not in stage else None)
