"""``httpApi`` event (API Gateway v2 HTTP API): the model.

Forms v3 accepts: ``httpApi: '*'`` (the ``$default`` route), ``httpApi: 'GET /path'``, and
``httpApi: {method: GET, path: /path}`` with ``method: '*'`` meaning ANY.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import field_validator, model_validator

from constructs_lib.config.schema import Base

__all__ = ["HTTP_METHODS", "HttpApiEvent"]

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE", "ANY")
_ROUTE = re.compile(r"^(?P<method>[A-Za-z*]+)\s+(?P<path>/\S*)$")


class RouteAuthorizer(Base):
    """``authorizer`` of a route: a configured authorizer's name (with scopes) or ``aws_iam``."""

    name: str | None = None
    scopes: list[str] | None = None
    type: Literal["request", "jwt", "aws_iam"] | None = None
    id: str | dict[str, Any] | None = None
    """An authorizer of the external API (``provider.httpApi.id``)."""

    @model_validator(mode="after")
    def _shape(self) -> RouteAuthorizer:
        if self.type == "aws_iam" and (self.name or self.scopes or self.id is not None):
            raise ValueError("an aws_iam authorizer takes no other properties")
        if self.type != "aws_iam" and not self.name and self.id is None:
            raise ValueError(
                "an authorizer needs the 'name' of one of provider.httpApi.authorizers (or an 'id')"
            )
        return self


class HttpApiEvent(Base):
    """One route of the service's HTTP API bound to the function."""

    method: str
    """HTTP method, upper-cased; ``*`` means ``ANY``; ``*`` with path ``*`` is the default route."""
    path: str
    """Route path starting with ``/``, or ``*`` for ``$default``."""
    authorizer: str | RouteAuthorizer | None = None

    @field_validator("authorizer", mode="before")
    @classmethod
    def _authorizer_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text == "*":
                return {"method": "*", "path": "*"}
            m = _ROUTE.match(text)
            if not m:
                raise ValueError(f"route {value!r} must be '*' or 'METHOD /path' (e.g. 'GET /users')")
            return {"method": m["method"], "path": m["path"]}
        return value

    @field_validator("method")
    @classmethod
    def _method(cls, value: str) -> str:
        method = value.strip().upper()
        method = "ANY" if method == "*" else method
        if method not in HTTP_METHODS:
            raise ValueError(f"method {value!r} must be one of {', '.join(HTTP_METHODS)} or '*'")
        return method

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        path = value.strip()
        if path == "*":
            return path
        if not path.startswith("/"):
            raise ValueError(f"path {value!r} must start with '/' (or be '*')")
        return path

    @property
    def is_default_route(self) -> bool:
        return self.path == "*"

    @property
    def route_key(self) -> str:
        """API Gateway's route key: ``$default`` or ``METHOD /path``."""
        return "$default" if self.is_default_route else f"{self.method} {self.path}"
