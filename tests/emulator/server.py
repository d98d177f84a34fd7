"""The emulator's server process: moto's server with our CloudFormation models registered first.

``python -m tests.emulator.server PORT``; it binds 127.0.0.1 only and exits when its parent (the
test run that started it) is gone, so a killed test run leaves no server behind."""

from __future__ import annotations

import os
import sys
import threading
import time


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(0)


def main() -> None:
    port = sys.argv[1]
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from moto import server

    from tests.emulator.models import register

    register()
    server.main(["-H", "127.0.0.1", "-p", port])


if __name__ == "__main__":
    main()
