"""The plugin's keys of one serverless.yml validated at their places: the machines as strictly
as the plugin's Joi schema (an error in every mode), their events (keys the plugin does not read
ignored, with a warning), alarms and notifications (malformed: the plugin says so and makes none;
so do we), and what the plugin does that we cannot (``validate: true``)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from constructs_lib.config.data import JsonValue
from constructs_lib.config.source import SourceMap
from constructs_lib.config.validate import ValidationMode, validate
from constructs_lib.errors import ConfigError, ErrorGroup, SchemaError, SlsCdkError
from constructs_lib.plugins.step_functions.model import (
    AlarmsRoot,
    EventsRoot,
    MachineEvent,
    MachinesRoot,
    NotificationsRoot,
    Root,
    StepFunctions,
    StepFunctionsTop,
)

__all__ = ["PLUGIN", "PluginWarning", "Settings", "settings"]

PLUGIN = "serverless-step-functions"


class PluginWarning(SchemaError):
    """A warning, not raised: what the plugin itself only logs (and then skips)."""

    code = "PLUGIN_WARNING"


@dataclass
class Settings:
    config: StepFunctions
    #: machine key -> its events (the plugin's keys only)
    events: dict[str, list[MachineEvent]] = field(default_factory=dict)
    #: machine key -> alarms / notifications as written, when well formed
    alarms: dict[str, Any] = field(default_factory=dict)
    notifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[SlsCdkError] = field(default_factory=list)


def _machines_of(raw: JsonValue) -> dict[str, Any]:
    machines = raw.get("stateMachines") if isinstance(raw, dict) else None
    return machines if isinstance(machines, dict) else {}


def _part(raw: dict[str, Any], key: str) -> dict[str, Any]:
    """``{stepFunctions: {stateMachines: {<name>: {key: ...}}}}`` of the machines that set it."""
    machines = {
        name: {key: copy.deepcopy(m[key])} for name, m in _machines_of(raw).items() if m.get(key) is not None
    }
    return {"stepFunctions": {"stateMachines": machines}}


def _skipped(
    part: dict[str, Any], model: type[Any], sources: SourceMap, what: str
) -> tuple[Any, list[SlsCdkError]]:
    """A part validated on its own: when malformed, the plugin logs it and makes nothing."""
    warnings: list[SlsCdkError] = []
    machines = part["stepFunctions"]["stateMachines"]
    kept: dict[str, Any] = {}
    for name, value in machines.items():
        one = {"stepFunctions": {"stateMachines": {name: value}}}
        try:
            validate(model, one, sources, unknown_keys="error")
        except SlsCdkError as exc:
            for p in exc.errors if isinstance(exc, ErrorGroup) else [exc]:
                warnings.append(
                    PluginWarning(
                        f"{p.message}: the plugin makes no {what} for this state machine (malformed)",
                        location=p.location,
                        path=p.path,
                        hint=p.hint,
                    )
                )
            continue
        kept[name] = value[next(iter(value))]
    return kept, warnings


def settings(data: dict[str, Any], sources: SourceMap, mode: ValidationMode) -> Settings:
    """The plugin's keys of ``data`` (the resolved serverless.yml); raises its errors together."""
    raw = data.get("stepFunctions")
    where = ("stepFunctions",)
    if raw is None:
        return Settings(StepFunctions())
    strict = {"stepFunctions": copy.deepcopy(raw)}
    for m in _machines_of(strict["stepFunctions"]).values():
        if isinstance(m, dict):
            m.pop("events", None)
    root, warnings = validate(Root, strict, sources, unknown_keys=mode)
    machines, _ = validate(
        MachinesRoot, {"stepFunctions": {"stateMachines": _machines_of(strict["stepFunctions"])}}, sources
    )
    top = root.step_functions or StepFunctionsTop()
    config = StepFunctions(
        state_machines=machines.step_functions.state_machines,
        activities=top.activities,
        validate_=top.validate_,
        no_output=top.no_output,
    )
    out = Settings(config, warnings=[*warnings])
    if isinstance(raw, dict) and "stateMachines" not in raw:
        message = "stepFunctions must have required property 'stateMachines'"
        if mode == "error":
            raise SchemaError(message, location=sources.locate(where), path=where)
        if mode == "warn":
            out.warnings.append(
                SchemaError(message + " (Serverless v3 warns)", location=sources.locate(where), path=where)
            )
    if config.validate_:
        out.warnings.append(
            PluginWarning(
                "validate: true: sls-cdk cannot run the plugin's definition validation (asl-validator); "
                "the definitions are not checked",
                location=sources.locate((*where, "validate")),
                path=(*where, "validate"),
            )
        )
    events_mode: ValidationMode = "off" if mode == "off" else "warn"
    events, ignored = validate(EventsRoot, _part(raw, "events"), sources, unknown_keys=events_mode)
    out.warnings += ignored
    out.events = {k: list(v.events or []) for k, v in events.step_functions.state_machines.items()}
    out.alarms, more = _skipped(_part(raw, "alarms"), AlarmsRoot, sources, "alarms")
    out.warnings += list(more)
    out.notifications, more = _skipped(
        _part(raw, "notifications"), NotificationsRoot, sources, "notifications"
    )
    out.warnings += list(more)
    for key, machine in config.state_machines.items():
        if machine.role is not None and machine.iam_role_statements is not None:
            path = (*where, "stateMachines", key, "iamRoleStatements")
            raise ConfigError(
                f"state machine {key!r} has both role and iamRoleStatements (the plugin refuses it)",
                location=sources.locate(path),
                path=path,
            )
        if machine.type == "EXPRESS" and key in out.notifications:
            path = (*where, "stateMachines", key, "notifications")
            out.warnings.append(
                PluginWarning(
                    "notifications are not supported on Express Workflows: the plugin makes none",
                    location=sources.locate(path),
                    path=path,
                )
            )
            del out.notifications[key]
    return out
