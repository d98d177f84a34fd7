"""sls-cdk: Serverless Framework v3 projects as AWS CDK v2 constructs.

Importing the package is cheap; CDK constructs load on first use (``from constructs_lib import
ServerlessFunction`` imports aws_cdk then), so ``check`` and ``print`` never start jsii.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "ComposeApp": "stacks.compose_app",
    "ServiceStack": "stacks.service_stack",
    "ServerlessFunction": "constructs_lib.constructs.function",
    "ServerlessFunctionUrl": "constructs_lib.constructs.function_url",
    "ServiceHttpApi": "constructs_lib.constructs.http_api",
    "load_service": "constructs_lib.loader.project",
    "load_project": "constructs_lib.loader.project",
}

__all__ = [*_LAZY, "__version__"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'constructs_lib' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
