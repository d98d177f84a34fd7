"""``alexaSkill`` and ``alexaSmartHome`` events: invoke permissions for an Alexa app."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base

__all__ = ["AlexaEvent", "AlexaSkillEvent", "AlexaSmartHomeEvent"]

Token = Annotated[str, Field(min_length=0, max_length=256, pattern=r"^[a-zA-Z0-9._\-]+$")]


class AlexaEvent(Base):
    app_id: Token
    enabled: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _string_form(cls, value: Any) -> Any:
        return {"appId": value} if isinstance(value, str) else value


class AlexaSkillEvent(AlexaEvent):
    """``alexaSkill: amzn1.ask.skill.xx`` or ``{appId, enabled}``."""


class AlexaSmartHomeEvent(AlexaEvent):
    """``alexaSmartHome: amzn1.ask.skill.xx`` or ``{appId, enabled}``."""
