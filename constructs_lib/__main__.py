"""``python -m constructs_lib``."""

import os
import signal
import sys


def _interrupted_early(signum: int, frame: object) -> None:
    """Ctrl-C before the command has started: nothing to undo yet (main() installs its own)."""
    sys.stderr.write("interrupted\n")
    os._exit(130)


signal.signal(signal.SIGINT, _interrupted_early)

from constructs_lib.cli.commands import run  # noqa: E402  (after the handler, on purpose)

run()
