"""``serverless.yml`` as a whole: :class:`Service`, and the rules read from it before it exists
(:func:`config_validation_mode`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.defaults import effective_region, effective_stage
from constructs_lib.config.model.effective import EffectiveFunction, effective_function
from constructs_lib.config.model.function import Function
from constructs_lib.config.model.package import Layer, Package
from constructs_lib.config.model.provider import Provider
from constructs_lib.config.model.resources import ResourcesSection
from constructs_lib.config.schema import Base, Ignored, ListOf
from constructs_lib.config.validate import ValidationMode

__all__ = ["Scripts", "Service", "config_validation_mode"]


class Scripts(Base):
    """``custom.scripts`` of serverless-plugin-scripts."""

    hooks: dict[str, str] = Field(default_factory=dict)
    commands: dict[str, str] = Field(default_factory=dict)


class Service(Base):
    """A whole serverless.yml after variable resolution."""

    service: str
    provider: Provider
    functions: dict[str, Function] = Field(default_factory=dict)
    package: Package | None = None
    custom: JsonObject | None = None
    plugins: ListOf[str] | JsonObject | None = None
    params: dict[str, JsonObject] | None = None
    # keys v3 accepts that never change the template
    framework_version: Ignored = None
    app: Ignored = None
    org: Ignored = None
    tenant: Ignored = None
    console: Ignored = None
    dashboard: Ignored = None
    outputs: Ignored = None
    project_dir: Ignored = None  # v3: "no longer used and is ignored"
    # v3's default (the loaders read it through config_validation_mode())
    config_validation_mode: ValidationMode = "warn"
    variables_resolution_mode: Ignored = None
    deprecation_notification_mode: Ignored = None
    disabled_deprecations: Ignored = None
    unresolved_variables_notification_mode: Ignored = None
    use_dotenv: bool = False
    resources: ResourcesSection | None = None
    layers: dict[str, Layer] = Field(default_factory=dict)
    #: serverless-step-functions' key (validated by constructs_lib.plugins.step_functions); unknown
    #: to v3 when the plugin is not listed (excluded: no did-you-mean proposes it)
    step_functions: JsonObject | None = Field(default=None, alias="stepFunctions", exclude=True)

    @field_validator("service", mode="before")
    @classmethod
    def _service_name(cls, value: JsonValue) -> JsonValue:
        if isinstance(value, dict):  # v3 refuses it too (SERVICE_OBJECT_NOTATION), in every mode
            raise ValueError(
                'object notation for "service" is not supported (as in Serverless v3): write service: <name>'
            )
        return value

    @field_validator("step_functions", mode="before")
    @classmethod
    def _step_functions_listed(cls, value: JsonValue, info: ValidationInfo) -> JsonValue:
        """Without the plugin, v3 does not know the key (an unknown key: ignored in ``warn``)."""
        plugins = info.data.get("plugins")
        listed = plugins.get("modules") if isinstance(plugins, dict) else plugins
        if value is not None and not (isinstance(listed, list) and "serverless-step-functions" in listed):
            raise PydanticCustomError("extra_forbidden", "Extra inputs are not permitted")
        return value

    @field_validator("provider", mode="before")
    @classmethod
    def _provider_name(cls, value: JsonValue) -> JsonValue:
        """``provider: aws``: v3's string form of ``provider: {name: aws}``."""
        return {"name": value} if isinstance(value, str) else value

    @field_validator("service")
    @classmethod
    def _service_text(cls, value: str) -> str:
        if not re.match(r"^[a-zA-Z][0-9a-zA-Z-]+$", value):
            raise ValueError(
                f"service name {value!r} must start with a letter and hold only letters, digits and '-'"
            )
        return value

    @property
    def plugin_names(self) -> list[str]:
        if isinstance(self.plugins, dict):
            return list(self.plugins.get("modules") or [])
        return list(self.plugins or [])

    @property
    def scripts(self) -> Scripts:
        raw = (self.custom or {}).get("scripts")
        return Scripts.model_validate(raw) if isinstance(raw, dict) else Scripts()

    def stage(self, option: str | None = None) -> str:
        """The stage in force for the ``--stage`` option given (see :func:`effective_stage`)."""
        return effective_stage(option, self.provider.stage)

    def region(self, option: str | None = None) -> str:
        """The region in force for the ``--region`` option given (see :func:`effective_region`)."""
        return effective_region(option, self.provider.region)

    def function(self, key: str, *, stage: str) -> EffectiveFunction:
        """Function ``key`` with provider values and defaults merged key by key, as v3 does."""
        return effective_function(self, key, stage=stage)


def config_validation_mode(data: Mapping[str, JsonValue], *, strict: bool = False) -> ValidationMode:
    """What the keys and events v3 ignores do in ``data`` (a resolved serverless.yml, not validated
    yet): ``error`` when ``strict`` (``--strict``), else its ``configValidationMode``, else
    :class:`Service`'s default; a value that is not a mode counts as ``error`` (and validation
    then reports it)."""
    if strict:
        return "error"
    mode = data.get("configValidationMode", Service.model_fields["config_validation_mode"].default)
    return "warn" if mode == "warn" else "off" if mode == "off" else "error"
