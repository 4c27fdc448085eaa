"""Calls from many Python threads at once (as TensorFlow makes them), and a fork after use."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import sklearn.metrics as skm

import fastf1


def _problem(seed, n):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 7, n), rng.integers(0, 7, n)


def test_concurrent_calls_give_exact_results():
    problems = [_problem(seed, n) for seed, n in enumerate([300_000, 1_000, 200_000, 70_000] * 4)]
    expected = [skm.f1_score(t, p, average="macro") for t, p in problems]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            got = list(pool.map(lambda tp: fastf1.f1_score(*tp, average="macro"), problems))
            assert got == expected


def _child_f1(args):
    t, p = args
    return fastf1.f1_score(t, p, average="macro")


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX only")
def test_fork_after_parallel_use():
    t, p = _problem(0, 300_000)
    expected = fastf1.f1_score(t, p, average="macro")  # parallel launch in the parent
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        got = pool.map(_child_f1, [(t, p)] * 2, chunksize=1)
    assert got == [expected, expected]


_SERIAL_AFTER_PARALLEL = """
import sys, numba, numpy as np
from fastf1._kernels import cpu
t = np.arange(100_000) % 3
if sys.argv[1] == "parallel":
    cpu.count_classes_parallel(t, t, None, 0, 3, 0, False, 4)
else:
    cpu.count_classes_serial(t, t, None, 0, 3, 0, False, 4)
    try:
        numba.threading_layer()
    except ValueError:  # no parallel region ever launched: the serial code ran
        sys.exit(0)
    sys.exit("the serial twin launched a parallel region")
"""


def test_serial_twin_never_loads_parallel_code_from_disk_cache(tmp_path):
    # numba's disk cache is keyed by function name, not by parallel=: one shared name made
    # the serial twin run the cached parallel code, and workqueue abort under TensorFlow
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    for mode in ("parallel", "serial"):
        done = subprocess.run([sys.executable, "-c", _SERIAL_AFTER_PARALLEL, mode], env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
