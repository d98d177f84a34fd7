"""Packaging: ``package`` of the service and of each function, and ``layers``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from constructs_lib.config.model.values import Architecture, Runtime
from constructs_lib.config.schema import Base, Ignored, ListOf

__all__ = ["FunctionPackage", "Layer", "LayerPackage", "Package"]


class FunctionPackage(Base):
    """``functions.<key>.package``; patterns apply when the function is packaged individually."""

    artifact: str | None = None
    individually: bool = False
    patterns: ListOf[str] = Field(default_factory=list)
    include: ListOf[str] = Field(default_factory=list)
    exclude: ListOf[str] = Field(default_factory=list)


class Package(FunctionPackage):
    """``package`` at service level: a function's keys, plus those only the service has. Without
    ``artifact`` the service folder is zipped."""

    exclude_dev_dependencies: Ignored = None
    path: Ignored = None  # where `sls package` writes and `sls deploy` reads: not the template


class LayerPackage(Base):
    artifact: str | None = None
    patterns: ListOf[str] = Field(default_factory=list)
    include: ListOf[str] = Field(default_factory=list)
    exclude: ListOf[str] = Field(default_factory=list)


_LAYER_NAME = r"^((arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+)$"
_LAYER_ACCOUNT = r"^(\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$"


class Layer(Base):
    """``layers.<key>``: a Lambda layer from an artifact (``package.artifact``) or a folder of the
    service (``path``, zipped as v3 zips it)."""

    path: Annotated[str, Field(min_length=1)] | None = None
    package: LayerPackage | None = None
    name: Annotated[str, Field(min_length=1, max_length=140, pattern=_LAYER_NAME)] | None = None
    description: Annotated[str, Field(max_length=256)] | None = None
    compatible_runtimes: list[Runtime] | None = None
    compatible_architectures: list[Architecture] | None = None
    license_info: Annotated[str, Field(max_length=512)] | None = None
    allowed_accounts: list[Annotated[str, Field(pattern=_LAYER_ACCOUNT)]] | None = None
    retain: bool = False

    @property
    def artifact(self) -> str | None:
        return self.package.artifact if self.package else None

    @model_validator(mode="after")
    def _source(self) -> Layer:
        if self.path is None and self.artifact is None:
            raise ValueError("a layer needs a 'path' (a folder to zip) or 'package.artifact'")
        return self
