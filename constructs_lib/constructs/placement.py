"""Where the L1 resources go in the construct tree: directly under their stack, with the logical
ID as construct ID.

CDK names a resource that sits directly under its stack after its construct ID (when it is
alphanumeric, as all of v3's logical IDs are), so no ``override_logical_id`` call is needed: one
jsii round trip less per resource, which is ~12 per function. Construct paths then read like
the template (``test-dev/EnvLambdaFunction``). The grouping constructs (``ServerlessFunction``,
``ServiceHttpApi`` ...) stay as the Python objects that own and configure those resources.
Outputs stay nested under them: v3 sometimes names an output like a resource
(``<F>LambdaFunctionUrl``), and one scope cannot hold both.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, Stack
from constructs import Construct

__all__ = ["output", "remember_stack", "stack_of"]

_KEY = "_sls_cdk_stack"


def stack_of(scope: Construct) -> Stack:
    """``Stack.of(scope)``, remembered on the Python object (one jsii call per construct)."""
    cached: Stack | None = scope.__dict__.get(_KEY)
    if cached is None:
        cached = Stack.of(scope)
        scope.__dict__[_KEY] = cached
    return cached


def remember_stack(construct: Construct, scope: Construct) -> None:
    """When ``construct`` was created directly in a stack, :func:`stack_of` needs no jsii call."""
    if isinstance(scope, Stack):
        construct.__dict__[_KEY] = scope


def output(
    scope: Construct,
    logical_id: str,
    *,
    value: str,
    description: str | None,
    export: str,
    nested: bool = False,
    pinned: bool = True,
) -> CfnOutput:
    """A stack output with v3's logical ID and export name, directly under the stack, or ``nested``
    under ``scope`` when v3 gives a resource the same name (``<F>LambdaFunctionUrl``: one scope
    cannot hold both). Not ``pinned`` (a function written in Python): nested, with CDK's path ID."""
    if not nested:
        return CfnOutput(
            stack_of(scope), logical_id, value=value, description=description, export_name=export
        )
    if not pinned:  # beside the resource of the same name, under the same construct
        return CfnOutput(
            scope, f"{logical_id}Output", value=value, description=description, export_name=export
        )
    out = CfnOutput(scope, logical_id, value=value, description=description, export_name=export)
    out.override_logical_id(logical_id)
    return out
