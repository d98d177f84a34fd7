"""Pieces the event-source models share (v3's schema definitions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field

from constructs_lib.config.schema import Base, is_intrinsic

if TYPE_CHECKING:
    #: What type checkers see of :data:`constructs_lib.config.schema.ListOf` (a list once
    #: validated; a single value is accepted too, which only the runtime alias knows).
    ListOf = list
else:
    from constructs_lib.config.schema import ListOf

__all__ = [
    "ArnOrCfn",
    "ArnText",
    "FilterPatterns",
    "InputTransformer",
    "Intrinsic",
    "ListOf",
    "one_input",
]


def _arn(value: str) -> str:
    """An ARN has six parts, ``arn:partition:service:region:account:resource`` (region and account
    may be empty); AWS refuses anything shorter, and the builders read the parts."""
    if not value.startswith("arn:"):
        raise ValueError(f"{value!r} is not an ARN (arn:...)")
    parts = value.split(":", 5)
    if len(parts) < 6 or not parts[1] or not parts[2] or not parts[5]:
        raise ValueError(
            f"{value!r} is not a whole ARN (arn:<partition>:<service>:<region>:<account>:<resource>)"
        )
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


class InputTransformer(Base):
    """``inputTransformer`` of EventBridge targets."""

    input_paths_map: dict[str, Annotated[str, Field(min_length=1)]] | None = None
    input_template: Annotated[str, Field(min_length=1, max_length=8192)]

    def to_cfn(self) -> dict[str, Any]:
        """v3's shape: ``InputTemplate`` then ``InputPathsMap`` when given."""
        out: dict[str, Any] = {"InputTemplate": self.input_template}
        if self.input_paths_map:
            out["InputPathsMap"] = self.input_paths_map
        return out


def one_input(*values: Any) -> None:
    """v3 allows only one of input, inputPath and inputTransformer."""
    if len([v for v in values if v]) > 1:
        raise ValueError("set only one of input, inputPath and inputTransformer")
