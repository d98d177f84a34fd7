"""Stack classes: :class:`ServiceStack` (one Serverless service) and :class:`ComposeApp`."""

from .compose_app import ComposeApp
from .service_stack import ServiceStack

__all__ = ["ComposeApp", "ServiceStack"]
