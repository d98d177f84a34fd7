"""A serverless.yml service extended in Python, next to ordinary CDK L2 constructs.

    python examples/python/extended/app.py

The YAML keeps its v3 logical IDs (deployable over the stack v3 made); Python adds an S3 bucket
the function may read (the grant lands in v3's generated role), an alarm on the function's
errors and an Aspect that turns on X-Ray tracing for every function.
"""

from __future__ import annotations

from pathlib import Path

import constructs_lib  # before aws_cdk: silences jsii's Node end-of-life banner

# isort: split
import jsii
from aws_cdk import Acknowledgment, App, Aspects, Duration, IAspect, RemovalPolicy, Validations
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import IConstruct

HERE = Path(__file__).resolve().parent


@jsii.implements(IAspect)
class ActiveTracing:
    """Every Lambda function traced with X-Ray (the typed property survives synthesis)."""

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, lambda_.CfnFunction):
            node.tracing_config = lambda_.CfnFunction.TracingConfigProperty(mode="Active")


def build(app: App, *, stage: str = "dev") -> constructs_lib.ServiceStack:
    """The ``reports`` service of serverless.yml, plus what Python adds."""
    stack = constructs_lib.ServiceStack(app, service=constructs_lib.load_service(HERE, stage=stage))
    render = stack.functions["render"]
    bucket = s3.Bucket(
        stack,
        "Reports",
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        removal_policy=RemovalPolicy.RETAIN,
    )
    bucket.grant_read(render)
    Validations.of(bucket).acknowledge(
        Acknowledgment(id="AwsSolutions::AwsSolutions-S1", reason="reports are read by the function only")
    )
    cloudwatch.Alarm(
        stack,
        "RenderErrors",
        metric=render.metric_errors(period=Duration.minutes(5)),
        threshold=1,
        evaluation_periods=1,
    )
    Aspects.of(stack).add(ActiveTracing())
    return stack


if __name__ == "__main__":
    application = App()
    build(application)
    application.synth()
