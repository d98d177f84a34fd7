"""Process-level speed-ups for our entry points (the CLI, app.py), never for library users.

:func:`skip_runtime_type_checks`: skip jsii's per-call runtime type checks.

jsii checks every argument of every call into aws-cdk-lib with typeguard (skipped only under
``python -O``); for a 100-service project that is about 15 % of the synth time. Our entry points
(``sls-cdk synth``, ``app.py``) turn it off; the test suite keeps it on (``SLS_CDK_TYPE_CHECKS=1``,
set in ``tests/conftest.py``), so a wrongly typed call still fails there. Code that imports the
constructs as a library keeps jsii's default.

:func:`short_lived`: no cyclic garbage collection. Importing aws-cdk-lib creates thousands of
classes, and the collector's passes over them cost ~0.2 s of a 2.5 s seed synth; reference
counting still frees almost everything (a 100-service synth peaks 9 MB higher without it).

:func:`exit_fast`: leave without tearing the interpreter down. Once aws-cdk-lib is loaded, freeing
its ~70 generated modules and their classes at exit takes about 0.5 s, a quarter of a seed synth;
the operating system reclaims the memory at once. Exit handlers still run (they stop jsii's Node
process and remove temporary folders) and standard output and error are flushed.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
from typing import Any, NoReturn

__all__ = ["exit_fast", "exit_now", "short_lived", "skip_runtime_type_checks"]


def _accept(**_: Any) -> None:
    return None


def skip_runtime_type_checks() -> bool:
    """Turn jsii's runtime type checks off (unless ``SLS_CDK_TYPE_CHECKS=1``); True if done."""
    if os.environ.get("SLS_CDK_TYPE_CHECKS") == "1":
        return False
    try:
        from jsii import _type_checking
    except ImportError:  # pragma: no cover - jsii always ships it today
        return False
    if not hasattr(_type_checking, "_resolved_check"):  # a jsii that changed its internals
        return False
    _type_checking._resolved_check = _accept
    return True


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a reader that went away
            stream.flush()


def exit_now(code: int) -> NoReturn:
    """Run the exit handlers, flush, and end the process without interpreter teardown."""
    _flush()
    quiet_exit_handlers()
    try:
        atexit._run_exitfuncs()
    finally:
        _flush()
        os._exit(code)


def quiet_exit_handlers() -> None:
    """An exit handler that fails now (jsii's stop of a Node child that Ctrl-C already ended)
    cannot matter any more: no traceback on the way out."""
    sys.unraisablehook = lambda unraisable: None


def exit_fast(code: int) -> NoReturn:
    """:func:`exit_now` once aws-cdk-lib is loaded; a normal ``sys.exit`` otherwise."""
    quiet_exit_handlers()
    if "aws_cdk" in sys.modules:
        exit_now(code)
    sys.exit(code)


def short_lived() -> None:
    """Turn the cyclic garbage collector off for the rest of this (short-lived) process."""
    gc.disable()
