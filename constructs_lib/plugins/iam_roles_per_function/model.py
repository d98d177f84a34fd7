"""The plugin's own keys (its ``defineCustomProperties`` / ``defineFunctionProperties`` schema),
validated like ours: located errors and warnings, did-you-mean."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from constructs_lib import naming
from constructs_lib.config.model import Service
from constructs_lib.config.model.iam import IamStatement
from constructs_lib.config.model.values import ArnOrCfn
from constructs_lib.config.schema import Base

__all__ = ["PLUGIN", "FunctionRoleKeys", "PluginCustom", "RolesPerFunctionSettings", "role_logical_ids"]

PLUGIN = "serverless-iam-roles-per-function"


class FunctionRoleKeys(Base):
    """``functions.<key>``: the four keys the plugin adds to v3's function schema."""

    iam_role_statements: list[IamStatement] | None = None
    iam_role_statements_inherit: bool | None = None
    iam_role_statements_name: str | None = None
    iam_permissions_boundary: ArnOrCfn | None = None


class PluginCustom(Base):
    """``custom.serverless-iam-roles-per-function`` (``additionalProperties: false``)."""

    default_inherit: bool | None = None
    iam_global_permissions_boundary: ArnOrCfn | None = None


class _Open(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _Custom(_Open):
    plugin: PluginCustom | None = Field(default=None, alias=PLUGIN)


class RolesPerFunctionSettings(_Open):
    """The plugin's keys of a whole serverless.yml (everything else is ours to validate)."""

    custom: _Custom | None = None
    functions: dict[str, FunctionRoleKeys] = Field(default_factory=dict)

    @property
    def options(self) -> PluginCustom:
        return (self.custom.plugin if self.custom else None) or PluginCustom()


def role_logical_id(key: str) -> str:
    """``<F>IamRoleLambdaExecution``: the function's normalized key before the shared role's ID."""
    return f"{naming.normalized_resource_name(key)}{naming.iam_role_lambda_execution_logical_id()}"


def role_logical_ids(model: Service) -> list[str]:
    """The roles the plugin adds: one per function with ``iamRoleStatements`` (when listed)."""
    if PLUGIN not in model.plugin_names:
        return []
    return [
        role_logical_id(key)
        for key, fn in model.functions.items()
        if "iam_role_statements" in fn.model_fields_set
    ]
