"""The local AWS emulator of the end-to-end tests: a moto server subprocess of ours on a free
127.0.0.1 port, with the CloudFormation models moto lacks registered (:mod:`tests.emulator.models`),
so the tests deploy exactly what ``synth`` wrote.

One server per test run (:func:`shared`), stopped when the run ends; :func:`env` is what the CDK CLI
and boto3 need to talk to it. Facts of the emulator, not of the product: its change-set updates are
broken, so deploys use ``--method=direct``; like AWS it needs the named deployment bucket and an
external role to exist first, and ``cdk bootstrap`` for stacks whose code goes to CDK's bucket.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

__all__ = ["ACCOUNT", "Emulator", "shared"]

ACCOUNT = "123456789012"  # moto's account
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Emulator:
    """A running server: :attr:`url`, :attr:`env`; :meth:`stop` ends it."""

    def __init__(self, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with open(log, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.emulator.server", str(self.port)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self._wait()
        self.env = {
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.url,
            # the CDK CLI's S3 client reads the bucket from a virtual-hosted URL
            "AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION": f"http://localhost:{self.port}",
            "AWS_EC2_METADATA_DISABLED": "true",
            "CDK_DISABLE_VERSION_CHECK": "1",
            "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        }

    def _wait(self) -> None:
        for _ in range(300):
            if self.proc.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"emulator did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


_SHARED: list[Emulator] = []


def shared(log_dir: Path, at_end: Callable[[Callable[[], None]], None]) -> Emulator:
    """The run's one emulator, started on first use; ``at_end`` gets its ``stop`` then."""
    if not _SHARED:
        _SHARED.append(Emulator(log_dir / "moto.log"))
        at_end(_SHARED[0].stop)
    return _SHARED[0]
