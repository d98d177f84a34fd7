"""``resources``: raw CloudFormation merged into the stack."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from constructs_lib.config.data import JsonObject, JsonValue

__all__ = ["ResourcesSection"]


class ResourcesSection(BaseModel):
    """``resources``: raw CloudFormation merged into the stack (v3 deep-merges it)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    aws_template_format_version: str | None = Field(default=None, alias="AWSTemplateFormatVersion")
    description: str | None = Field(default=None, alias="Description")
    conditions: JsonObject = Field(default_factory=dict, alias="Conditions")
    mappings: JsonObject = Field(default_factory=dict, alias="Mappings")
    metadata: JsonObject = Field(default_factory=dict, alias="Metadata")
    parameters: JsonObject = Field(default_factory=dict, alias="Parameters")
    resources: dict[str, JsonObject] = Field(default_factory=dict, alias="Resources")
    outputs: dict[str, JsonObject] = Field(default_factory=dict, alias="Outputs")
    transform: JsonValue = Field(default=None, alias="Transform")
    extensions: dict[str, JsonObject] = Field(default_factory=dict)

    @field_validator("extensions")
    @classmethod
    def _extension_attributes(cls, value: dict[str, JsonObject]) -> dict[str, JsonObject]:
        allowed = (
            "Condition",
            "CreationPolicy",
            "DeletionPolicy",
            "UpdatePolicy",
            "UpdateReplacePolicy",
            "Properties",
            "DependsOn",
            "Metadata",
        )
        for name, attrs in value.items():
            for attr in attrs:
                if attr not in allowed:
                    raise ValueError(
                        f"extensions.{name}.{attr}: only {', '.join(allowed)} can be extended (as in v3)"
                    )
        return value
