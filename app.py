#!/usr/bin/env python3
"""The CDK app ``cdk.json`` runs in this repository: :mod:`constructs_lib.app` (the app every
project's ``cdk.json`` can run), with this repository's example compose project as the default
when the context names no ``service`` or ``compose``. Context keys: see constructs_lib/app.py.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from constructs_lib.app import main

EXAMPLE = Path(__file__).resolve().parent / "examples" / "seed" / "serverless-compose.yml"

if __name__ == "__main__":
    main(default=EXAMPLE)
