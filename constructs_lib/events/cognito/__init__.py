"""``cognitoUserPool`` event: a user pool this stack creates, with the function as a trigger
(``existing: true`` pools need v3's custom resource and are not supported yet)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ...config.schema import Base, NotSupported
from ..common import ArnOrCfn

__all__ = ["CUSTOM_SENDER_SOURCES", "CognitoUserPoolEvent"]

CUSTOM_SENDER_SOURCES = ("CustomSMSSender", "CustomEmailSender")

Trigger = Literal[
    "PreSignUp",
    "PostConfirmation",
    "PreAuthentication",
    "PostAuthentication",
    "PreTokenGeneration",
    "CustomMessage",
    "DefineAuthChallenge",
    "CreateAuthChallenge",
    "VerifyAuthChallengeResponse",
    "UserMigration",
    "CustomSMSSender",
    "CustomEmailSender",
]


class CognitoUserPoolEvent(Base):
    pool: Annotated[str, Field(max_length=128, pattern=r"^[\w\s+=,.@-]+$")]
    trigger: Trigger
    existing: bool = False
    force_deploy: NotSupported = None
    kms_key_id: ArnOrCfn | None = None

    @model_validator(mode="after")
    def _existing(self) -> CognitoUserPoolEvent:
        if self.existing:
            raise ValueError(
                "existing: true (a pool made elsewhere) is not supported yet: v3 wires it through its own "
                "custom resource; set the trigger on that pool instead"
            )
        return self
