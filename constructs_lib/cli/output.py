"""The one format of what sls-cdk tells the user on stderr (every command, and ``app.py``).

* A diagnostic is an ``error:``, ``warning:`` or ``note:``, and that prefix starts every one of its
  lines: a grouped error's each error, a hint, an ``included from`` line (:func:`say`).
* Colour (the prefix only) on a terminal, never with ``NO_COLOR`` set (https://no-color.org) or
  ``TERM=dumb``, never into a pipe or a file (:func:`colour`).
* A warning is printed once per run (:func:`warning`): compose services that share a
  ``${file()}`` with a problem, or a warning reached on two paths, print it once.
* A long synth shows one progress line on a terminal, overwritten in place
  (``[3/8] synthesizing auth-dev``), and nothing when stderr is not a terminal (:class:`Progress`);
  forked synth workers count on the same line.

Command output (templates, ``info``, ``print``, the answer of ``invoke``) goes to stdout and is not
a diagnostic.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Literal, TextIO

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized

    from constructs_lib.errors import SlsCdkError

__all__ = [
    "Progress",
    "colour",
    "error",
    "no_colour_asked",
    "note",
    "prefixed",
    "reset",
    "say",
    "terminal",
    "warning",
]

Kind = Literal["error", "warning", "note"]

#: the prefix's colour (bold red, bold yellow, bold cyan)
_COLOURS: dict[str, str] = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}
_RESET = "\x1b[0m"
_CLEAR_LINE = "\r\x1b[K"

#: the warnings printed in this run (their identity: see :func:`warning`)
_printed: set[str] = set()


def reset() -> None:
    """A new run (``main()`` may run several times in one process): no warning printed yet."""
    _printed.clear()


def _err(stream: TextIO | None) -> TextIO:
    return stream if stream is not None else sys.stderr


def terminal(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (stderr) is a terminal."""
    isatty = getattr(_err(stream), "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed
        return False


def no_colour_asked() -> bool:
    """``NO_COLOR`` is set (and not empty), or ``TERM=dumb``: no colour anywhere, the CDK CLI's
    output included."""
    return os.environ.get("NO_COLOR", "") != "" or os.environ.get("TERM") == "dumb"


def colour(stream: TextIO | None = None) -> bool:
    """Colour on ``stream``: a terminal, unless :func:`no_colour_asked`."""
    return not no_colour_asked() and terminal(stream)


def prefixed(kind: Kind, text: str, *, coloured: bool = False) -> str:
    """``text`` with ``kind:`` before each of its lines (no line break at the end)."""
    head = f"{_COLOURS[kind]}{kind}:{_RESET}" if coloured else f"{kind}:"
    return "\n".join(f"{head} {line}" if line else head for line in text.splitlines() or [""])


def say(kind: Kind, text: str, stream: TextIO | None = None) -> None:
    """Print one diagnostic on ``stream`` (stderr), every line prefixed."""
    out = _err(stream)
    out.write(prefixed(kind, text, coloured=colour(out)) + "\n")
    out.flush()


def error(text: str, stream: TextIO | None = None) -> None:
    say("error", text, stream)


def note(text: str, stream: TextIO | None = None) -> None:
    say("note", text, stream)


def _identity(problem: SlsCdkError) -> str:
    """A warning's identity: where it is (without the chain of files that included it) and what it
    says; the same line of a shared file is one warning, whichever service reads it."""
    where = problem.location
    place = f"{where.file}:{where.line}:{where.column}" if where is not None else ""
    return f"{problem.code}|{place}|{problem.path}|{problem.message}"


def warning(problem: SlsCdkError | str, stream: TextIO | None = None, *, kind: Kind = "warning") -> bool:
    """Print a warning (a located error object, or text) unless this run printed it already;
    whether it was printed."""
    key = problem if isinstance(problem, str) else _identity(problem)
    if key in _printed:
        return False
    _printed.add(key)
    say(kind, problem if isinstance(problem, str) else problem.format(), stream)
    return True


class Progress:
    """One line on a terminal for ``total`` steps: :meth:`step` shows ``[k/total] <what>``
    over the previous step, :meth:`close` clears it. Nothing at all when stderr is not a terminal,
    or for a single step. ``shared``: steps are counted across forked processes (create it before
    forking; only the creating process should :meth:`close` it)."""

    def __init__(self, total: int, *, shared: bool = False, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = _err(stream)
        self.shown = total > 1 and terminal(self.stream)
        self._count = 0
        self._shared: Synchronized[int] | None = None
        if self.shown and shared:
            import multiprocessing  # only here: a synth that forks, on a terminal

            self._shared = multiprocessing.get_context("fork").Value("i", 0)

    def step(self, what: str) -> None:
        """The next step starts: ``[k/total] what``."""
        if not self.shown:
            return
        if self._shared is not None:
            with self._shared.get_lock():
                self._shared.value += 1
                count = self._shared.value
        else:
            self._count += 1
            count = self._count
        self._write(f"{_CLEAR_LINE}[{min(count, self.total)}/{self.total}] {what}")

    def close(self) -> None:
        """Clear the line (what follows starts at the line's beginning)."""
        if self.shown:
            self._write(_CLEAR_LINE)

    def _write(self, text: str) -> None:
        """One write call, so that processes sharing the terminal never interleave a line."""
        try:
            os.write(self.stream.fileno(), text.encode())
        except (OSError, ValueError, AttributeError):
            self.stream.write(text)
            self.stream.flush()
