"""Threshold sweeps: fastf1 against scikit-learn on the same scores, side by side.

* ``fastf1-sweep-1001``: ``threshold_sweep`` over ``np.linspace(0, 1, 1001)``, one pass;
* ``sklearn-f1-loop-101``: the usual loop, ``f1_score(y, y_score >= t)`` for 101 thresholds;
* ``sklearn-prc`` / ``fastf1-prc``: ``precision_recall_curve`` (every distinct score).

Data: the ``scores-float32-threshold`` workload (int8 truth, float32 scores). Compile time
is excluded by a warm-up call; ``python3 benchmarks/bench_curves.py`` measures it apart.

    FASTF1_BENCH_SIZES=1e6,1e7 python3 -m pytest benchmarks/bench_curves.py \
        --benchmark-enable --benchmark-json=bench_curves.json
    python3 benchmarks/bench_curves.py 1e6,1e7     # the README table, and compile time

Without FASTF1_BENCH_SIZES the suite runs once at 1,000 rows as a smoke test (CI does this).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import workloads as wl

from fastf1.curves import precision_recall_curve, threshold_sweep

WORKLOAD = next(w for w in wl.WORKLOADS if w.name == "scores-float32-threshold")
LIBRARIES = ["fastf1-sweep-1001", "sklearn-f1-loop-101", "sklearn-prc", "fastf1-prc"]


def make_call(lib: str, n: int) -> Callable[[], Any]:
    t, s, _ = wl.make_data(WORKLOAD, n)
    if lib == "fastf1-sweep-1001":
        return lambda: threshold_sweep(t, s, thresholds=1001).f1(zero_division=0.0)
    if lib == "fastf1-prc":
        return lambda: precision_recall_curve(t, s)
    import sklearn.metrics as skm

    if lib == "sklearn-prc":
        return lambda: skm.precision_recall_curve(t, s)
    grid = np.linspace(0, 1, 101)
    return lambda: [skm.f1_score(t, s >= thr, zero_division=0.0) for thr in grid]


def _rounds(lib: str, n: int) -> int:
    if lib.startswith("sklearn"):
        return 1 if n >= 10**6 else 3
    return 5 if n >= 10**6 else 20


@pytest.mark.parametrize("n", wl.SIZES, ids=lambda n: f"n={n:.0e}")
@pytest.mark.parametrize("lib", LIBRARIES)
def test_threshold_sweep(benchmark, lib, n):
    func = make_call(lib, n)
    func()  # warm-up: compile (fastf1) and first-touch (everyone)
    benchmark.group = f"threshold-sweep n={n:.0e}"
    benchmark.extra_info.update(lib=lib, workload="threshold-sweep", n=n)
    benchmark.pedantic(func, rounds=_rounds(lib, n), iterations=1)


# ---- the README table: python3 benchmarks/bench_curves.py [sizes] ------------------------

_COMPILE_CHILD = """
import time
import numpy as np
from fastf1.curves import precision_recall_curve, threshold_sweep
rng = np.random.default_rng(0)
y = rng.integers(0, 2, 10**6).astype(np.int8)
s = rng.random(10**6, dtype=np.float32)
t0 = time.perf_counter()
threshold_sweep(y, s)
t1 = time.perf_counter()
precision_recall_curve(y, s)
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f}")
"""


def first_call_seconds() -> tuple[float, float]:
    """First threshold_sweep and first precision_recall_curve in a fresh process with an
    empty numba cache: compile time (plus one 10^6-row call)."""
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run([sys.executable, "-c", _COMPILE_CHILD], check=True, text=True,
                             capture_output=True, env=dict(os.environ, NUMBA_CACHE_DIR=cache))
    sweep, curve = out.stdout.split()
    return float(sweep), float(curve)


def best_of(func: Callable[[], Any], rounds: int) -> float:
    best = np.inf
    for _ in range(rounds):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def main(sizes: list[int]) -> None:
    from report import machine

    print(f"Machine: {machine()}.")
    print("| rows | " + " | ".join(LIBRARIES) + " |")
    print("|---|" + "---|" * len(LIBRARIES))
    for n in sizes:
        cells = []
        for lib in LIBRARIES:
            func = make_call(lib, n)
            if lib.startswith("fastf1"):
                func()  # compile; the data are already in memory for everyone
            cells.append(f"{best_of(func, _rounds(lib, n)):.3f} s")
        print(f"| {n:.0e} | " + " | ".join(cells) + " |")
    sweep, curve = first_call_seconds()
    print(f"First call in a fresh process, empty numba cache (10^6 rows): threshold_sweep "
          f"{sweep:.2f} s, precision_recall_curve {curve:.2f} s.")


if __name__ == "__main__":
    main([int(float(x)) for x in (sys.argv[1] if len(sys.argv) > 1 else "1e6,1e7").split(",")])
