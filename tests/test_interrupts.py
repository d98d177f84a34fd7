"""Ctrl-C at any moment of a synth: exit 130 with one line ("error: interrupted"), no traceback, no
partial output, no process left behind (jsii's Node child and forked workers included). The
signal goes to the whole process group, as a terminal sends it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import REFERENCE, ROOT

#: moments from loading YAML to writing the assembly (a synth of the compose case takes ~2 s here)
_RANDOM = random.Random(17)
DELAYS = [0.3, *sorted(round(_RANDOM.uniform(0.3, 2.5), 2) for _ in range(7))]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("delay", DELAYS)
def test_sigint_at_any_moment(tmp_path: Path, delay: float) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "constructs_lib", "synth", str(REFERENCE / "00-compose"), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    deadline = time.monotonic() + 5
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(proc.pid), "a process of the synth outlived it"
    assert "Traceback" not in err and "internal error" not in err, err
    assert proc.returncode in (0, 130), err
    if delay < 1.0:  # still loading YAML: the interrupt always lands
        assert proc.returncode == 130, err
    if proc.returncode == 130:
        assert err.splitlines()[-1] == "error: interrupted", err
        assert not out.exists(), "an interrupted synth left output"
    else:
        assert (out / "manifest.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] in ([], ["out"]), "staging folders left behind"
