"""Stack classes: :class:`ServiceStack` (one Serverless service) and :class:`ComposeApp`."""

from stacks.compose_app import ComposeApp
from stacks.service_stack import ServiceStack

__all__ = ["ComposeApp", "ServiceStack"]
