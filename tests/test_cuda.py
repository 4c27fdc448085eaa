"""Run the CUDA checks (tests/cuda_checks.py) in a fresh interpreter.

numba decides once, when it is first imported, whether numba.cuda is the real driver or the
CUDA simulator; a subprocess makes that choice independent of everything else in this
session. Without a GPU the checks run on the simulator (as in CI); with one, on the GPU.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("numba.cuda")
CHECKS = pathlib.Path(__file__).with_name("cuda_checks.py")
HAS_GPU = os.path.exists("/dev/nvidiactl")


@pytest.mark.parametrize("mode", ["simulator", "gpu"])
def test_cuda_checks(mode):
    if mode == "gpu" and not HAS_GPU:
        pytest.skip("no CUDA GPU on this machine")
    env = dict(os.environ)
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    if mode == "simulator":
        env["NUMBA_ENABLE_CUDASIM"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(CHECKS), "-q", "-p", "no:cacheprovider",
         "-p", "no:warnings", "-o", "addopts=", "-m", "not slow"],
        env=env, capture_output=True, text=True, cwd=CHECKS.parent.parent)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
