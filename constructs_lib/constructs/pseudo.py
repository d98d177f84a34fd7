"""Strings holding ``${aws:accountId}`` / ``${aws:partition}`` markers (see
:mod:`constructs_lib.config.variables.pseudo`), written as CloudFormation.

The markers travel through every construct as plain text (names, log group names, ARNs built from
names); the stack's synthesizer (:class:`MarkerRewriting`) rewrites its template once, when it is
written: inside an
``Fn::Sub`` string (v3's log-group ARNs) a marker becomes the ``${AWS::AccountId}`` placeholder
itself, anywhere else its string becomes ``{"Fn::Sub": "my-bucket-${AWS::AccountId}"}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import jsii
from aws_cdk import (
    DockerImageAssetLocation,
    DockerImageAssetSource,
    FileAssetLocation,
    FileAssetSource,
    IStackSynthesizer,
    ISynthesisSession,
    Stack,
)

from constructs_lib.config.variables.pseudo import MARKERS, as_placeholders, as_sub, holds_pseudo

__all__ = ["MarkerRewriting", "rewrite_markers"]


def rewrite_markers(value: Any, *, in_sub: bool = False) -> Any:
    """``value`` (a template or part of one) with every marked string made CloudFormation."""
    if isinstance(value, str):
        if not holds_pseudo(value):
            return value
        return as_placeholders(value) if in_sub else {"Fn::Sub": as_sub(value)}
    if isinstance(value, list):
        return [rewrite_markers(v) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "Fn::Sub" and isinstance(item, str):
            out[key] = rewrite_markers(item, in_sub=True)
        elif key == "Fn::Sub" and isinstance(item, list) and item and isinstance(item[0], str):
            out[key] = [rewrite_markers(item[0], in_sub=True), *rewrite_markers(item[1:])]
        else:
            out[key] = rewrite_markers(item)
    return out


@jsii.implements(IStackSynthesizer)
class MarkerRewriting:
    """A stack synthesizer that delegates to CDK's ``inner`` one, then rewrites the markers of the
    template it wrote (a wrapper: CDK's synthesizers keep state a Python subclass cannot reach).

    The template's asset (uploaded when ``cdk deploy`` needs it) keeps the key CDK computed
    before the rewrite; only the name of that object moves, never what is deployed."""

    def __init__(self, inner: IStackSynthesizer) -> None:
        self.inner = inner
        self._stack: Stack | None = None

    @property
    def bootstrap_qualifier(self) -> str | None:
        return self.inner.bootstrap_qualifier

    @property
    def lookup_role(self) -> Any:
        return self.inner.lookup_role

    def bind(self, stack: Stack) -> None:
        self._stack = stack
        self.inner.bind(stack)

    def add_file_asset(self, asset: FileAssetSource) -> FileAssetLocation:
        return cast(FileAssetLocation, jsii.invoke(self.inner, "addFileAsset", [asset]))

    def add_docker_image_asset(self, asset: DockerImageAssetSource) -> DockerImageAssetLocation:
        return cast(DockerImageAssetLocation, jsii.invoke(self.inner, "addDockerImageAsset", [asset]))

    def synthesize(self, session: ISynthesisSession) -> None:
        self.inner.synthesize(session)
        assert self._stack is not None
        path = Path(session.assembly.outdir) / self._stack.template_file
        text = path.read_text(encoding="utf-8")
        if any(marker in text for marker in MARKERS):
            template = rewrite_markers(json.loads(text))
            path.write_text(json.dumps(template, indent=1, ensure_ascii=False), encoding="utf-8")
