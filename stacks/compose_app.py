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

from constructs_lib.errors import ComposeError, did_you_mean
from constructs_lib.loader.project import load_project
from constructs_lib.loader.rebind import rebind_imports
from constructs_lib.loader.service import LoadedService, Project
from stacks.service_stack import ServiceStack

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
        """Add one service; its compose dependencies must already be in the app.

        ``${other.Output}`` params become ``Fn::ImportValue`` of v3's export name when both stacks
        share a region (an output without an export gets v3's name), else a CDK cross-region
        reference (an SSM-backed custom resource pair that CDK manages)."""
        name = service.compose_name or service.name
        if name in self.stacks:
            raise ValueError(f"service {name!r} is already in the app")
        service, cross_region = self._wire_outputs(name, service)
        stack = ServiceStack(self, service=service, cross_region_references=cross_region or None)
        for dep in service.depends_on:
            other = self.stacks.get(dep)
            if other is None:
                raise ValueError(f"service {name!r} depends on {dep!r}, which is not in the app yet")
            stack.add_stack_dependency(other)
        self.stacks[name] = stack
        return stack

    def _wire_outputs(self, name: str, service: LoadedService) -> tuple[LoadedService, bool]:
        replacements: dict[str, Any] = {}
        cross_region = False
        for ref in service.output_refs:
            producer = self.stacks.get(ref.service)
            if producer is None:
                raise ComposeError(f"service {name!r} reads {ref.service!r}, which is not in the app yet")
            out = producer.output(ref.output)
            if out is None:
                keys = producer.output_keys()
                guess = did_you_mean(ref.output, keys)
                raise ComposeError(
                    f"service {name!r} uses ${{{ref.service}.{ref.output}}} (param {ref.param!r}), "
                    f"but service {ref.service!r} has no output {ref.output!r}",
                    path=("services", name, "params", ref.param),
                    hint=f"did you mean {guess!r}?" if guess else f"its outputs: {', '.join(keys)}",
                )
            if producer.service.region == service.region:
                if out.export_name is None:
                    out.export_name = ref.export_name  # resources.Outputs: give it v3's name
                replacements[ref.export_name] = {"Fn::ImportValue": out.export_name}
                continue
            value = producer.output_reference(ref.output)
            if value is None:
                raise ComposeError(
                    f"service {name!r} ({service.region}) reads output {ref.output!r} of {ref.service!r} "
                    f"({producer.service.region}); across regions only Ref / Fn::GetAtt outputs can be wired",
                    path=("services", name, "params", ref.param),
                )
            replacements[ref.export_name] = value
            cross_region = True
        if all(value == {"Fn::ImportValue": export} for export, value in replacements.items()):
            return service, cross_region
        return rebind_imports(service, replacements), cross_region
