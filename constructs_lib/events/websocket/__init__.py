"""``websocket`` event (API Gateway v2 WebSocket API): the model.

Forms v3 accepts: ``websocket: $connect`` (a route key) and ``websocket: {route,
routeResponseSelectionExpression, authorizer}``, where ``authorizer`` is a function name, a
function ARN, or ``{name | arn, identitySource}``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnOrCfn

__all__ = ["WebsocketAuthorizer", "WebsocketEvent"]


class WebsocketAuthorizer(Base):
    """A Lambda REQUEST authorizer: a function of this service (``name``) or any function (``arn``)."""

    name: str | None = None
    arn: ArnOrCfn | None = None
    identity_source: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"arn": value} if ":" in value else {"name": value}
        return value

    @model_validator(mode="after")
    def _one(self) -> WebsocketAuthorizer:
        if self.name is None and self.arn is None:
            raise ValueError("a websocket authorizer needs 'name' (a function) or 'arn'")
        if isinstance(self.arn, dict) and self.name is None:
            raise ValueError("an authorizer 'arn' given as a CloudFormation function needs a 'name'")
        return self


class WebsocketEvent(Base):
    """One route of the service's WebSocket API bound to the function."""

    route: str = Field(min_length=1)
    route_response_selection_expression: Literal["$default"] | None = None
    authorizer: WebsocketAuthorizer | None = None

    @model_validator(mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return {"route": value} if isinstance(value, str) else value
