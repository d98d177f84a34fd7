"""``ComposeApp``: a CDK app holding one :class:`ServiceStack` per service.

Build it from a path (a compose file, a serverless.yml or its folder) or add services one by one;
``dependsOn`` between compose services becomes stack dependencies, so ``cdk deploy --all`` deploys
in compose's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aws_cdk import App

from constructs_lib.config.project import LoadedService, Project, load_project

from .service_stack import ServiceStack

__all__ = ["ComposeApp"]


class ComposeApp(App):
    """One CDK app, one stack per service. ``stacks`` maps service names to stacks."""

    def __init__(self, *, project: Project | None = None, **app_kwargs: Any) -> None:
        app_kwargs.setdefault("builtin_cloud_formation_validation", False)
        super().__init__(**app_kwargs)
        self.stacks: dict[str, ServiceStack] = {}
        if project is not None:
            for service in project.services:
                self.add_service(service)

    @classmethod
    def from_path(
        cls,
        path: str | Path,
        *,
        stage: str | None = None,
        region: str | None = None,
        options: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        **app_kwargs: Any,
    ) -> ComposeApp:
        project = load_project(Path(path), stage=stage, region=region, options=options, params=params)
        return cls(project=project, **app_kwargs)

    def add_service(self, service: LoadedService) -> ServiceStack:
        """Add one service; its compose dependencies must already be in the app."""
        name = service.compose_name or service.name
        if name in self.stacks:
            raise ValueError(f"service {name!r} is already in the app")
        stack = ServiceStack(self, service=service)
        for dep in service.depends_on:
            other = self.stacks.get(dep)
            if other is None:
                raise ValueError(f"service {name!r} depends on {dep!r}, which is not in the app yet")
            stack.add_dependency(other)
        self.stacks[name] = stack
        return stack
