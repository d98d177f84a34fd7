"""Pieces the event-source models share (v3's schema definitions)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from ..config.schema import is_intrinsic

__all__ = ["ArnOrCfn", "ArnText", "FilterPatterns", "Intrinsic"]


def _arn(value: str) -> str:
    if not value.startswith("arn:"):
        raise ValueError(f"{value!r} is not an ARN (arn:...)")
    return value


def _intrinsic(value: Any) -> Any:
    if not is_intrinsic(value):
        raise ValueError("expected an ARN or a CloudFormation intrinsic function ({Fn::GetAtt: ..}, ...)")
    return value


#: ``arn:...`` text.
ArnText = Annotated[str, AfterValidator(_arn)]
#: A CloudFormation intrinsic (``Fn::GetAtt``, ``Fn::ImportValue``, ``Fn::Join``, ``Ref`` ...).
Intrinsic = Annotated[dict[str, Any], AfterValidator(_intrinsic)]
#: v3's ``awsArn``: ARN text or an intrinsic.
ArnOrCfn = ArnText | Intrinsic
#: Lambda event filter patterns (1 to 10 objects).
FilterPatterns = Annotated[list[dict[str, Any]], Field(min_length=1, max_length=10)]
