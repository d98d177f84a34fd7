"""``python -m constructs_lib`` and the ``sls-cdk`` command: Ctrl-C is handled from the first
line, before the command's modules load (:func:`constructs_lib.cli.commands.main` then installs
its own handler)."""

import os
import signal
import sys


def _interrupted_early(signum: int, frame: object) -> None:
    """Ctrl-C before the command has started: nothing to undo yet."""
    sys.stderr.write("error: interrupted\n")  # the format of constructs_lib.cli.output
    os._exit(130)


def main() -> None:
    signal.signal(signal.SIGINT, _interrupted_early)
    from constructs_lib.cli.commands import run

    run()


if __name__ == "__main__":
    main()
