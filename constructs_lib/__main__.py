"""``python -m constructs_lib``."""

from constructs_lib.cli.commands import run

run()
