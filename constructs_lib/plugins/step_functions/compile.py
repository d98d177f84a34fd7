"""Everything the plugin adds to the template during ``sls package``, in its hooks' order: at
``package:compileFunctions`` the roles, state machines, activities, alarms and notifications; at
``package:compileEvents`` the schedules, then the event rules."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from constructs_lib import naming
from constructs_lib.config.data import js_stringify
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode
from constructs_lib.errors import ConfigError, SlsCdkError
from constructs_lib.plugins.step_functions.alarms import alarms, notifications
from constructs_lib.plugins.step_functions.context import Context
from constructs_lib.plugins.step_functions.events import machine_events
from constructs_lib.plugins.step_functions.machines import (
    OUTPUT_DESCRIPTION,
    activity,
    activity_logical_id,
    machine_logical_id,
    machine_output_id,
    state_machine,
)
from constructs_lib.plugins.step_functions.model import Alarms, HttpEvent, Notifications
from constructs_lib.plugins.step_functions.role import machine_role
from constructs_lib.plugins.step_functions.settings import PLUGIN, PluginWarning, Settings, settings
from constructs_lib.plugins.step_functions.timeouts import configure_task_timeouts

__all__ = ["Compiled", "compile_plugin"]


@dataclass
class Compiled:
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: ``(logical ID, value, description)``, exported like every v3 output
    outputs: list[tuple[str, Any, str]] = field(default_factory=list)
    warnings: list[SlsCdkError] = field(default_factory=list)


def _merge_policies(pairs: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """``mergeResourcePolicies``: one topic / queue policy per target set, statements by Sid."""
    kinds = {"AWS::SNS::TopicPolicy": "Topics", "AWS::SQS::QueuePolicy": "Queues"}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    out: dict[str, dict[str, Any]] = {}
    for logical_id, resource in pairs:
        kind = kinds.get(resource["Type"])
        if kind is None:
            out[logical_id] = resource
            continue
        targets = resource["Properties"][kind]
        key = (kind, js_stringify(sorted(_stable(t) for t in targets)))
        statements = resource["Properties"]["PolicyDocument"]["Statement"]
        incoming = statements if isinstance(statements, list) else [statements]
        merged = groups.get(key)
        if merged is None:
            merged = copy.deepcopy(resource)
            merged["Properties"]["PolicyDocument"]["Statement"] = []
            groups[key] = merged
            out[logical_id] = merged
        have = merged["Properties"]["PolicyDocument"]["Statement"]
        seen = {s.get("Sid") for s in have}
        for s in incoming:
            if s.get("Sid") not in seen:
                seen.add(s.get("Sid"))
                have.append(s)
    return out


def _stable(value: Any) -> str:
    def sort(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: sort(v[k]) for k in sorted(v)}
        if isinstance(v, list):
            return [sort(x) for x in v]
        return v

    return js_stringify(sort(value))


def compile_plugin(
    data: dict[str, Any], sources: SourceMap, ctx: Context, mode: ValidationMode = "warn"
) -> Compiled:
    """What the plugin adds for the resolved serverless.yml ``data``."""
    found: Settings = settings(data, sources, mode)
    out = Compiled(warnings=list(found.warnings))
    machines = found.config.state_machines
    res = out.resources
    for key, machine in machines.items():
        if machine.role is None:
            where = ("stepFunctions", "stateMachines", key)
            try:
                res[f"{machine_logical_id(key, machine)}Role"] = machine_role(key, machine, ctx)
            except ConfigError as exc:
                exc.location = exc.location or sources.locate(exc.path or where)
                raise
    for key, machine in machines.items():
        logical_id = machine_logical_id(key, machine)
        if machine.configure_task_timeouts and isinstance(machine.definition, dict):
            definition = copy.deepcopy(machine.definition)
            path = ("stepFunctions", "stateMachines", key, "definition")
            for message in configure_task_timeouts(definition, ctx.timeouts, ctx.provider_timeout):
                out.warnings.append(PluginWarning(message, location=sources.locate(path), path=path))
            machine = machine.model_copy(update={"definition": definition})
        res[logical_id] = state_machine(key, machine, ctx)
        if not found.config.no_output:
            out.outputs.append((machine_output_id(key, machine), {"Ref": logical_id}, OUTPUT_DESCRIPTION))
    for name in found.config.activities:
        res[activity_logical_id(name)] = activity(name)
        out.outputs.append(
            (activity_logical_id(name) + "Arn", {"Ref": activity_logical_id(name)}, OUTPUT_DESCRIPTION)
        )
    for key, raw in found.alarms.items():
        machine = machines[key]
        made, skipped = alarms(
            machine.name or key, machine_logical_id(key, machine), Alarms.model_validate(raw), ctx
        )
        res.update(made)
        if skipped:
            metrics = ("stepFunctions", "stateMachines", key, "alarms", "metrics")
            message = f"unknown metrics {', '.join(skipped)}: the plugin makes no alarms for them"
            out.warnings.append(PluginWarning(message, location=sources.locate(metrics), path=metrics))
    pairs = []
    for key, raw in found.notifications.items():
        machine = machines[key]
        config = Notifications.model_validate(raw)
        try:
            pairs += notifications(machine.name or key, machine_logical_id(key, machine), raw, config, ctx)
        except ConfigError as exc:
            exc.path = exc.path or ("stepFunctions", "stateMachines", key, "notifications")
            raise
    res.update(_merge_policies(pairs))
    rules: dict[str, dict[str, Any]] = {}
    for key, items in found.events.items():
        if key not in machines:
            continue
        schedules, more = machine_events(key, machine_logical_id(key, machines[key]), items, ctx)
        res.update(schedules)
        rules.update(more)
    res.update(rules)
    return out


def context_for(
    service: str,
    stage: str,
    region: str,
    functions: Mapping[str, str | None],
    provider: Any,
    own_functions: Mapping[str, Any] | None = None,
) -> Context:
    """The :class:`Context` of a service (``provider`` its validated model)."""
    generated = provider.iam.role if provider.iam is not None else None
    path = getattr(generated, "path", None)
    compiled = frozenset(naming.lambda_logical_id(k) for k in functions)
    timeouts = {k: getattr(fn, "timeout", None) for k, fn in (own_functions or {}).items()}
    return Context(
        service=service,
        stage=stage,
        region=region,
        functions=dict(functions),
        provider_tags=dict(provider.tags) if provider.tags else None,
        permissions_boundary=provider.role_permissions_boundary,
        role_path=path,
        compiled=compiled | {"IamRoleLambdaExecution", "ServerlessDeploymentBucket"},
        timeouts=timeouts,
        provider_timeout=provider.timeout,
    )


def plugin_output(
    data: dict[str, Any],
    sources: SourceMap,
    model: Any,
    names: Mapping[str, str | None],
    where: tuple[str, str],
    mode: ValidationMode = "warn",
) -> Compiled | None:
    """What the plugin adds to one service (``None`` when it is not listed): ``model`` the
    validated :class:`~constructs_lib.config.model.Service`, ``names`` its functions' names,
    ``where`` its stage and region."""
    from constructs_lib.loader.plugins import lists_plugin

    if not lists_plugin(data.get("plugins"), PLUGIN):
        return None
    ctx = context_for(model.service, where[0], where[1], names, model.provider, model.functions)
    try:
        return compile_plugin(data, sources, ctx, mode)
    except ConfigError as exc:  # the compilers' own refusals, located at what they compile
        exc.path = exc.path or ("stepFunctions",)
        exc.location = exc.location or sources.locate(exc.path)
        raise


def machine_http_events(
    data: dict[str, Any],
    sources: SourceMap,
    model: Any,
    names: Mapping[str, str | None],
    where: tuple[str, str],
) -> tuple[list[tuple[str, HttpEvent]], Context] | None:
    """The ``http`` events of the state machines (``(machine logical ID, event)`` in order) and
    the plugin's context, when the plugin is listed and some machine has one."""
    from constructs_lib.loader.plugins import lists_plugin

    if not lists_plugin(data.get("plugins"), PLUGIN) or not isinstance(data.get("stepFunctions"), dict):
        return None
    found = settings(data, sources, "warn")
    events = [
        (machine_logical_id(key, found.config.state_machines[key]), item.http)
        for key, items in found.events.items()
        if key in found.config.state_machines
        for item in items
        if item.http is not None
    ]
    if not events:
        return None
    return events, context_for(model.service, where[0], where[1], names, model.provider, model.functions)
