"""``cognitoUserPool`` event: a user pool this stack creates, with the function as a trigger, or
(``existing: true``) a pool made elsewhere, wired by the ``Custom::CognitoUserPool`` resource."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from constructs_lib.config.schema import Base
from constructs_lib.events.common import ArnOrCfn

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
    force_deploy: bool | None = None
    kms_key_id: ArnOrCfn | None = None

    @model_validator(mode="after")
    def _existing(self) -> CognitoUserPoolEvent:
        if self.force_deploy and not self.existing:
            raise ValueError("forceDeploy only applies to existing: true pools")
        return self
