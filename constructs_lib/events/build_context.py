"""``BuildContext``: what an event type's ``build`` is handed instead of the stack.

Builders translate; they never raise a user error (their ``check`` ran at load). They add raw
resources (``raw``), statements to the generated role (``role``), framework outputs
(``add_output``), and routes to the service's APIs, which are made on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aws_cdk import CfnOutput, Stack

from constructs_lib.config.model import Provider, Service
from constructs_lib.events.sites import EventSite

if TYPE_CHECKING:
    from constructs_lib.constructs.function import ServerlessFunction
    from constructs_lib.constructs.http_api import ServiceHttpApi
    from constructs_lib.constructs.iam_role import ServiceRole
    from constructs_lib.constructs.raw import RawResources
    from constructs_lib.loader.service import LoadedService

__all__ = ["BuildContext"]


@dataclass(frozen=True)
class BuildContext:
    """One service's build state, shared by every event builder of its stack."""

    stack: Stack
    """The scope resources are created in (v3's logical IDs sit directly under the stack)."""
    service: LoadedService
    functions: Mapping[str, ServerlessFunction]
    role: ServiceRole | None
    """The generated ``IamRoleLambdaExecution``; None when every function brings its own role."""
    raw: RawResources
    _add_output: Callable[[str, Any, str | None], CfnOutput] = field(repr=False)
    _http_api: Callable[[], ServiceHttpApi] = field(repr=False)

    @property
    def model(self) -> Service:
        return self.service.model

    @property
    def provider(self) -> Provider:
        return self.service.model.provider

    @property
    def service_name(self) -> str:
        return self.service.name

    @property
    def stage(self) -> str:
        return self.service.stage

    @property
    def region(self) -> str:
        return self.service.region

    @property
    def http_api(self) -> ServiceHttpApi:
        """The service's HTTP API, created when the first ``httpApi`` event asks for it."""
        return self._http_api()

    def add_output(self, key: str, value: Any, description: str | None = None) -> CfnOutput:
        """An output v3 makes, exported as ``sls-<service>-<stage>-<key>``; ``value`` may be raw CFN."""
        return self._add_output(key, value, description)

    def function(self, site: EventSite[Any]) -> ServerlessFunction:
        """The function construct an event belongs to."""
        return self.functions[site.key]
