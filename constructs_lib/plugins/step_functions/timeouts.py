"""``configureTaskTimeouts: true``: each Task state invoking one of the service's functions (by
``Ref`` / ``Fn::GetAtt`` as its resource, or as ``lambda:invoke``'s ``FunctionName``) gets that
function's timeout as ``TimeoutSeconds`` unless it sets one; a longer one it sets is reported."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from constructs_lib import naming
from constructs_lib.config.data import JsonValue

__all__ = ["configure_task_timeouts"]


def _function_key(ref: JsonValue, timeouts: Mapping[str, int | None]) -> str | None:
    by_logical_id = {naming.lambda_logical_id(k): k for k in timeouts}
    target = None
    if isinstance(ref, dict) and isinstance(ref.get("Ref"), str):
        target = ref["Ref"]
    elif isinstance(ref, dict) and isinstance(ref.get("Fn::GetAtt"), list) and ref["Fn::GetAtt"]:
        target = ref["Fn::GetAtt"][0] if isinstance(ref["Fn::GetAtt"][0], str) else None
    if target is None:
        return None
    return target if target in timeouts else by_logical_id.get(target)


def _tasks(states: JsonValue) -> Iterator[dict[str, Any]]:
    if not isinstance(states, dict):
        return
    for state in states.values():
        if not isinstance(state, dict):
            continue
        if state.get("Type") == "Task":
            yield state
        elif state.get("Type") == "Parallel" and isinstance(state.get("Branches"), list):
            for branch in state["Branches"]:
                yield from _tasks(branch.get("States") if isinstance(branch, dict) else None)
        elif state.get("Type") == "Map":
            wrapper = state.get("ItemProcessor") or state.get("Iterator")
            if isinstance(wrapper, dict):
                yield from _tasks(wrapper.get("States"))


def configure_task_timeouts(
    definition: dict[str, Any], timeouts: Mapping[str, int | None], provider_timeout: int
) -> list[str]:
    """Sets ``TimeoutSeconds`` in ``definition`` (mutated); returns the plugin's warnings.
    ``timeouts``: function key -> its own ``timeout`` (None: the provider's)."""
    warnings = []
    for state in _tasks(definition.get("States")):
        resource = state.get("Resource")
        if isinstance(resource, str) and resource.startswith("arn:aws:states:::lambda:invoke"):
            params = state.get("Parameters")
            key = _function_key(params.get("FunctionName") if isinstance(params, dict) else None, timeouts)
        else:
            key = _function_key(resource, timeouts)
        if key is None:
            continue
        own = timeouts[key]
        limit = own if own is not None else provider_timeout
        if "TimeoutSeconds" not in state and "TimeoutSecondsPath" not in state:
            state["TimeoutSeconds"] = limit
        elif isinstance(state.get("TimeoutSeconds"), int | float) and state["TimeoutSeconds"] > limit:
            warnings.append(
                f"a task's TimeoutSeconds ({state['TimeoutSeconds']}s) is greater than the timeout of "
                f"function {key!r} ({limit}s): the function fails before the state's timeout fires"
            )
    return warnings
