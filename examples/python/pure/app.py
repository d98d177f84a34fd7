"""A service written in Python only: one function with an HTTP API route and a function URL.

    python examples/python/pure/app.py     # synthesizes into cdk.out/ (or: cdk synth --app ...)

Everything not written here defaults as Serverless v3's (memory, timeout, log group, version,
names ``orders-<stage>-hello``), and the stack is named ``orders-<stage>`` as v3 names it.
"""

from __future__ import annotations

from pathlib import Path

import constructs_lib  # before aws_cdk: silences jsii's Node end-of-life banner

# isort: split
from aws_cdk import App

HERE = Path(__file__).resolve().parent


def build(app: App, *, stage: str = "dev") -> constructs_lib.ServiceStack:
    """The ``orders`` service in ``app``."""
    stack = constructs_lib.ServiceStack(
        app,
        service="orders",
        stage=stage,
        provider={"runtime": "python3.14", "architecture": "arm64", "logRetentionInDays": 14},
    )
    hello = constructs_lib.ServerlessFunction(
        stack,
        "hello",
        handler="handler.hello",
        code=HERE / "src",
        url=constructs_lib.FunctionUrl(authorizer="aws_iam"),
        environment={"GREETING": "hello"},
    )
    stack.http_api.add_route("GET /hello", hello)
    return stack


if __name__ == "__main__":
    application = App()
    build(application)
    application.synth()
