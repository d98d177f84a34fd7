"""``python -m constructs_lib``."""

from .cli import run

run()
