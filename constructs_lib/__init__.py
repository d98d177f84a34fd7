"""sls-cdk: Serverless Framework v3 projects as AWS CDK v2 constructs.

The public API is this one import::

    from constructs_lib import ServiceStack, ServerlessFunction, load_service

Importing the package is cheap; CDK constructs load on first use (``from constructs_lib import
ServerlessFunction`` imports aws_cdk then), so ``check`` and ``print`` never start jsii. Importing
it first also silences jsii's Node end-of-life banner (the pinned CDK CLI's Node is what counts).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

__version__ = "0.1.0"

_LAZY = {
    # stacks
    "ComposeApp": "stacks.compose_app",
    "ServiceStack": "stacks.service_stack",
    # constructs
    "ServerlessFunction": "constructs_lib.constructs.function",
    "ServerlessFunctionUrl": "constructs_lib.constructs.function_url",
    "ServiceHttpApi": "constructs_lib.constructs.http_api",
    "ServerlessLayer": "constructs_lib.constructs.layer",
    "ServiceRole": "constructs_lib.constructs.iam_role",
    # loading
    "load_service": "constructs_lib.loader.project",
    "load_project": "constructs_lib.loader.project",
    "python_service": "constructs_lib.loader.python_service",
    # the model's settings a Python caller passes
    "FunctionUrl": "constructs_lib.config.model",
    "UrlCors": "constructs_lib.config.model",
    "HttpApiConfig": "constructs_lib.config.model",
    "Cors": "constructs_lib.config.model",
    # errors
    "SlsCdkError": "constructs_lib.errors",
}

__all__ = [  # literal, so type checkers see the exports
    "ComposeApp",
    "Cors",
    "FunctionUrl",
    "HttpApiConfig",
    "ServerlessFunction",
    "ServerlessFunctionUrl",
    "ServerlessLayer",
    "ServiceHttpApi",
    "ServiceRole",
    "ServiceStack",
    "SlsCdkError",
    "UrlCors",
    "__version__",
    "load_project",
    "load_service",
    "python_service",
]

if TYPE_CHECKING:  # what type checkers see; at runtime each name loads on first use
    from constructs_lib.config.model import Cors, FunctionUrl, HttpApiConfig, UrlCors
    from constructs_lib.constructs.function import ServerlessFunction
    from constructs_lib.constructs.function_url import ServerlessFunctionUrl
    from constructs_lib.constructs.http_api import ServiceHttpApi
    from constructs_lib.constructs.iam_role import ServiceRole
    from constructs_lib.constructs.layer import ServerlessLayer
    from constructs_lib.errors import SlsCdkError
    from constructs_lib.loader.project import load_project, load_service
    from constructs_lib.loader.python_service import python_service
    from stacks.compose_app import ComposeApp
    from stacks.service_stack import ServiceStack


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'constructs_lib' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
