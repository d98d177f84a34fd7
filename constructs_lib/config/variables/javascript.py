"""``${file(x.js)}`` / ``${file(x.cjs)}``: the project's JavaScript, run with Node when allowed.

v3 ``require()``s the file (v3-facts.md section 8): an exported function is called (and awaited)
with ``{options, resolveConfigurationProperty, resolveVariable}``, any other export is awaited,
and each step of ``:address`` calls a function or awaits a promise it meets (until one function
has been called). Running a configuration's code is refused unless the user allows it with
``--allow-js`` (``-c allowJs=true`` for ``cdk synth``) or ``custom.slsCdk.allowJavaScript: true``
written in the service file itself; each file run is reported as a located notice.

Our runner (``js_runner.js``) does v3's steps in ``node`` (from ``PATH``) with the service folder
as working directory, one process per reference. ``resolveVariable`` and
``resolveConfigurationProperty`` are asked back over stdin/stdout and answered by this resolver,
so they see the same resolved values ``${self:}`` sees. Limits: the answer must be JSON (a value
holding a CloudFormation function reaches the JavaScript as that object); the module is loaded
anew for each reference (top-level code runs each time); the JavaScript's own output goes to
stderr and is shown only when it fails; a run is stopped after :data:`TIMEOUT_SECONDS` without
a word from it.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING

from constructs_lib.config.data import JsonObject, JsonValue
from constructs_lib.config.variables.base import MISSING, Address
from constructs_lib.errors import SlsCdkError, VariableError

if TYPE_CHECKING:
    from constructs_lib.config.variables.engine import Resolver

__all__ = ["JS_SUFFIXES", "TIMEOUT_SECONDS", "JavaScriptNotice", "allows_javascript", "run_javascript"]

#: What v3 ``require()``s; every other suffix (``.mjs``, ``.ts`` too) v3 reads as text.
JS_SUFFIXES = (".js", ".cjs")
#: Seconds a run may stay silent (between questions, or before its answer).
TIMEOUT_SECONDS = 30.0
RUNNER = Path(__file__).with_name("js_runner.js")
OPT_IN = "--allow-js (cdk: -c allowJs=true) or custom.slsCdk.allowJavaScript: true"


class JavaScriptNotice(SlsCdkError):
    """A located notice: a configuration file was run with Node (printed as ``notice:``)."""

    code = "NOTICE"


def allows_javascript(data: JsonObject) -> bool:
    """``custom.slsCdk.allowJavaScript: true`` written literally in the service file."""
    custom = data.get("custom")
    slscdk = custom.get("slsCdk") if isinstance(custom, dict) else None
    return isinstance(slscdk, dict) and slscdk.get("allowJavaScript") is True


def run_javascript(target: Path, a: Address, r: Resolver) -> JsonValue:
    """The value of ``${file(target):address}``, computed by Node; MISSING for null/undefined."""
    if not r.js_allowed:
        raise VariableError(
            f"{a.text}: JavaScript files are not executed unless allowed ({target.name} was not run)",
            hint=f"allow it with {OPT_IN}, or convert the file to YAML or JSON",
        )
    node = shutil.which("node")
    if node is None:
        raise VariableError(f"{a.text}: running {target.name} needs Node.js, and node is not on PATH")
    r.note_javascript(target)
    with _Run(node, r.ctx.service_dir, f"{a.text}: {target.name}") as run:
        run.send({"file": str(target), "address": a.address or None, "options": dict(r.ctx.options)})
        while True:
            message = run.receive()
            if "ask" in message:
                run.send(_answer(message, r))
                continue
            if "error" in message:
                raise VariableError(f"{a.text}: {_failure(message['error'], target)}")
            return MISSING if message.get("missing") else message.get("value")


class _Run:
    """One runner process: JSON lines in and out; its stderr kept for the message if it dies."""

    def __init__(self, node: str, cwd: Path, shown: str) -> None:
        self.shown = shown
        self.proc = subprocess.Popen(
            [node, str(RUNNER)],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "NODE_OPTIONS": ""},
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()
        self._stderr_reader = threading.Thread(target=self._collect, args=(self.proc.stderr,), daemon=True)
        self._stderr_reader.start()

    def __enter__(self) -> _Run:
        return self

    def __exit__(self, *_: object) -> None:
        self.proc.kill()
        self.proc.wait()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)
        self.lines.put(None)

    def _collect(self, stream: IO[str]) -> None:
        self.stderr.extend(line.rstrip("\n") for line in stream)

    def send(self, message: JsonValue) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(message) + "\n")
            self.proc.stdin.flush()
        except OSError:
            pass  # it ended; what it wrote says why

    def receive(self) -> JsonObject:
        try:
            line = self.lines.get(timeout=TIMEOUT_SECONDS)
        except queue.Empty:
            raise VariableError(
                f"{self.shown} gave no answer within {TIMEOUT_SECONDS:g} s (stopped)"
            ) from None
        if line is None:
            self.proc.wait()
            self._stderr_reader.join(timeout=2)
            said = [text.strip() for text in self.stderr if text.strip()]
            raise VariableError(
                f"{self.shown}: node stopped (exit code {self.proc.returncode}) before giving a value"
                + (f": {said[0]}" if said else "")
            )
        message = json.loads(line)
        assert isinstance(message, dict)
        return message


def _answer(question: JsonObject, r: Resolver) -> JsonObject:
    """The resolver's answer to ``resolveVariable`` / ``resolveConfigurationProperty``."""
    try:
        if question["ask"] == "property":
            path = question.get("path")
            value = r.value_at(tuple(str(k) for k in path)) if isinstance(path, list) else MISSING
        else:
            text = str(question.get("text"))
            value = r.resolve_text(text if question["ask"] == "string" else "${" + text + "}")
    except VariableError as exc:
        return {"failed": exc.message}
    return {"missing": True} if value is MISSING else {"value": value}


_STEPS = {
    "load": "loading {file} failed",
    "function": "the function {file} exports failed",
    "promise": "the promise {file} exports was rejected",
    "value": "{file} gave a value that is not JSON",
    "answer": "{file} asked for a value that could not be resolved",
    "run": "running {file} failed",
}


def _failure(error: JsonValue, target: Path) -> str:
    step = str(error.get("step", "run")) if isinstance(error, dict) else "run"
    message = str(error.get("message", "")) if isinstance(error, dict) else str(error)
    if step.startswith(("function at ", "promise at ")):
        kind, _, address = step.partition(" at ")
        what = "the function at" if kind == "function" else "the promise at"
        return f"{what} {address!r} of {target.name} failed: {message}"
    return _STEPS.get(step, _STEPS["run"]).format(file=target.name) + f": {message}"
