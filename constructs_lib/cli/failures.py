"""The last word on a failure nobody anticipated: no traceback reaches a user.

A user error is an :class:`~constructs_lib.errors.SlsCdkError` and prints itself. What CDK refuses
while synthesizing arrives as a jsii ``RuntimeError``; the refusals a project can cause are
recognized here and told as user errors (:func:`user_error`). Anything else is a bug of ours: one
"internal error" line asking for a report, the traceback only with ``SLS_CDK_DEBUG=1``.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from constructs_lib.cli import output
from constructs_lib.errors import LimitError, SlsCdkError

if TYPE_CHECKING:
    from constructs_lib.loader.service import LoadedService, Project

__all__ = [
    "catching_interrupts",
    "debugging",
    "interrupted",
    "located_in",
    "raise_if_interrupted",
    "report_failure",
    "silence_stderr",
    "user_error",
]

_interrupted = threading.Event()
#: the interrupt was raised as KeyboardInterrupt (or is being reported): later signals are moot
_delivered = threading.Event()

_TOO_MANY = re.compile(
    r"TooManyResourcesInStack: Number of resources in stack '(?P<stack>[^']+)': (?P<count>\d+) "
    r"is greater than allowed maximum of (?P<limit>\d+): (?P<types>.*)"
)
_TYPE_COUNT = re.compile(r"(?P<type>[\w:]+) \((?P<n>\d+)\)")


def _too_many(match: re.Match[str]) -> SlsCdkError:
    counts = sorted(((int(m["n"]), m["type"]) for m in _TYPE_COUNT.finditer(match["types"])), reverse=True)
    top = ", ".join(f"{kind} ({n})" for n, kind in counts[:3])
    versions = next((n for n, kind in counts if kind == "AWS::Lambda::Version"), 0)
    hint = "split the service in two (a compose project deploys them together)"
    if versions:
        hint += f", or set provider.versionFunctions: false (removes the {versions} AWS::Lambda::Version)"
    error = LimitError(
        f"stack {match['stack']!r} would hold {match['count']} resources; CloudFormation allows "
        f"{match['limit']} in one stack. Most are {top}",
        hint=hint,
    )
    error.stack = match["stack"]
    return error


#: CDK's refusals a project can cause: ``(pattern of jsii's message, the user error it is)``
_CDK_REFUSALS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], SlsCdkError]], ...] = (
    (_TOO_MANY, _too_many),
)


def located_in(exc: BaseException, project: Project) -> BaseException:
    """``exc`` as the user error it is, located at the service that makes the stack it names
    (``functions:`` of its file), when CDK refused something about one stack; else ``exc``."""
    known = user_error(exc)
    if not isinstance(known, LimitError):
        return exc if known is None else known
    svc = next((s for s in project.services if s.stack_name == known.stack), None)
    if svc is None:
        return known
    where, hint = _limit_site(svc, _count(known.message)), known.hint
    if where[:1] == ("resources",):
        hint = "move some of these resources into a service of their own (a compose project deploys both)"
    located = LimitError(known.message, location=svc.sources.locate(where), path=where, hint=hint)
    located.stack = known.stack
    return located


def _count(message: str) -> int:
    found = re.search(r"would hold (\d+) resources", message)
    return int(found[1]) if found else 0


def _limit_site(svc: LoadedService, total: int) -> tuple[str, ...]:
    """Where a stack with too many resources is located: ``resources.Resources`` when the
    service's own resources are most of them, else ``functions:`` (what v3 generates)."""
    own = svc.model.resources.resources if svc.model.resources else {}
    if own and 2 * len(own) > total:
        return ("resources", "Resources")
    return ("functions",) if svc.model.functions else ()


def debugging() -> bool:
    """``SLS_CDK_DEBUG=1``: let unexpected exceptions show their traceback."""
    return os.environ.get("SLS_CDK_DEBUG", "") not in ("", "0")


def user_error(exc: BaseException) -> SlsCdkError | None:
    """The user error behind ``exc``, when it is one CDK raised about the project."""
    if isinstance(exc, SlsCdkError):
        return exc
    text = str(exc)
    for pattern, make in _CDK_REFUSALS:
        match = pattern.search(text)
        if match:
            return make(match)
    return None


@contextlib.contextmanager
def catching_interrupts() -> Iterator[None]:
    """Ctrl-C raises ``KeyboardInterrupt`` as usual, and is remembered: the same signal also ends
    jsii's Node child, and the error that causes in Python is the interrupt, not a bug."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        _interrupted.set()
        if _delivered.is_set():
            return  # already raised (or being reported): the unwinding and cleanup finish
        if frame is not None and frame.f_code.co_filename.startswith("<frozen importlib"):
            # inside the import system's own bookkeeping (a module lock's weakref callback) an
            # exception is "ignored" and can leave a lock held: raise it a moment later instead
            threading.Timer(0.02, signal.raise_signal, (signal.SIGINT,)).start()
            return
        _delivered.set()
        raise KeyboardInterrupt

    _interrupted.clear()
    _delivered.clear()
    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        _delivered.set()  # a deferred raise still pending must not reach the restored handler
        signal.signal(signal.SIGINT, previous)


def interrupted() -> bool:
    """Whether Ctrl-C was pressed during the command (even where Python ignored the exception)."""
    return _interrupted.is_set()


def raise_if_interrupted() -> None:
    """A Ctrl-C that landed where Python ignores exceptions (a finalizer, a weakref callback) was
    still seen by the handler: before anything is committed, it counts."""
    if _interrupted.is_set():
        raise KeyboardInterrupt


def silence_stderr() -> None:
    """Once an interrupt is reported nothing else reaches stderr: Ctrl-C also ended jsii's Node
    child, and an interrupt that landed inside its start-up leaves objects whose finalizers
    complain at exit ("Exception ignored in ..."), noise the user must not take for a crash."""
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stderr.fileno())
    os.close(devnull)


def report_failure(exc: BaseException) -> int:
    """Print ``exc`` the way a user should see it; the exit code (1, or 130 for Ctrl-C)."""
    if isinstance(exc, KeyboardInterrupt) or _interrupted.is_set():
        _delivered.set()  # a deferred raise must not interrupt the report
        output.error("interrupted")
        if sys.stderr is sys.__stderr__:  # the process's own stderr (not a caller's capture)
            silence_stderr()
        return 130
    known = user_error(exc)
    if known is not None:
        output.error(known.format())  # a group: each error's lines, each line prefixed
        return 1
    if debugging():
        traceback.print_exception(exc, file=sys.stderr)
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    output.error(
        f"internal error ({type(exc).__name__}: {first}). This is a bug in sls-cdk, not in "
        "your project: please report it with the command and the files that cause it"
        + ("" if debugging() else " (SLS_CDK_DEBUG=1 shows the traceback)")
    )
    return 1
