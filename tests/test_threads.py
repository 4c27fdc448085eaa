"""Calls from many Python threads at once (as TensorFlow makes them), and a fork after use."""

from __future__ import annotations

import multiprocessing
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


_NO_THREADING_LAYER = """
import sys, numba, numpy as np, fastf1
t = np.arange(1_000_000) % 7
fastf1.f1_score(t, t[::-1].copy(), average="macro")  # counted on two threads
try:
    numba.threading_layer()
except ValueError:  # numba never started a threading layer
    sys.exit(0)
sys.exit("fastf1 started a numba threading layer")
"""


def test_no_numba_threading_layer_is_started():
    # fastf1's kernels are serial nogil functions run on its own thread pool: no numba
    # threading layer (workqueue aborts on concurrent calls; OpenMP is not fork-safe)
    done = subprocess.run([sys.executable, "-c", _NO_THREADING_LAYER],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
