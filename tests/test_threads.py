"""Calls from many Python threads at once (as TensorFlow makes them), and a fork after use."""

from __future__ import annotations

import multiprocessing
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
