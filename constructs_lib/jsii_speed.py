"""Skip jsii's per-call runtime type checks when synthesizing from the command line.

jsii checks every argument of every call into aws-cdk-lib with typeguard (skipped only under
``python -O``); for a 100-service project that is about 15 % of the synth time. Our entry points
(``sls-cdk synth``, ``app.py``) turn it off; the test suite keeps it on (``SLS_CDK_TYPE_CHECKS=1``,
set in ``tests/conftest.py``), so a wrongly typed call still fails there. Code that imports the
constructs as a library keeps jsii's default.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["skip_runtime_type_checks"]


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
    _type_checking._resolved_check = _accept  # type: ignore[attr-defined]
    return True
