"""Exact ranking scores and log loss: fastf1 against scikit-learn on the same data.

``roc_auc_score``, ``average_precision_score`` and ``log_loss`` of float32 probabilities
from a realistic binary model (10% positives; scores are the logistic of a shifted
normal, so they spread over (0, 1) with few ties), unweighted and weighted. Compile time
is excluded by a warm-up call; ``python3 benchmarks/bench_ranking.py`` measures it apart.

    FASTF1_BENCH_SIZES=1e6,1e7 python3 -m pytest benchmarks/bench_ranking.py \\
        --benchmark-enable --benchmark-json=bench_ranking.json
    python3 benchmarks/bench_ranking.py 1e6,1e7 [rounds]  # side by side, compile time

Without FASTF1_BENCH_SIZES the suite runs once at 1,000 rows as a smoke test (CI does this).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pytest
import sklearn.metrics as skm
import workloads as wl

import fastf1

METRICS = ["roc_auc_score", "average_precision_score", "log_loss"]
LIBRARIES = {"fastf1": fastf1, "sklearn": skm}


@lru_cache(maxsize=2)
def make_data(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(y, p, w): 0/1 truth with 10% positives, float32 probabilities, float64 weights."""
    rng = np.random.default_rng(n)
    y = (rng.random(n) < 0.1).astype(np.int64)
    logit = rng.normal(-2.0 + 2.0 * y, 1.5)
    p = (1.0 / (1.0 + np.exp(-logit))).astype(np.float32)
    return y, p, rng.random(n)


def make_call(lib: str, metric: str, n: int, weighted: bool) -> Callable[[], Any]:
    y, p, w = make_data(n)
    func = getattr(LIBRARIES[lib], metric)
    weights = w if weighted else None
    return lambda: func(y, p, sample_weight=weights)


@pytest.mark.parametrize("n", wl.SIZES, ids=lambda n: f"n={n:.0e}")
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("lib", sorted(LIBRARIES))
def test_ranking(benchmark, lib, metric, weighted, n):
    func = make_call(lib, metric, n, weighted)
    func()  # warm-up: compile (fastf1) and first-touch (everyone)
    benchmark.group = f"{metric} {'weighted' if weighted else 'unweighted'} n={n:.0e}"
    benchmark.extra_info.update(lib=lib, workload=metric, n=n, weighted=weighted)
    benchmark.pedantic(func, rounds=1 if lib == "sklearn" and n >= 10**6 else 3,
                       iterations=1)


# ---- side by side: python3 benchmarks/bench_ranking.py [sizes] ---------------------------

_COMPILE_CHILD = """
import time
import numpy as np
import fastf1
rng = np.random.default_rng(0)
y = (rng.random(10**5) < 0.1).astype(np.int64)
p = rng.random(10**5, dtype=np.float32)
w = rng.random(10**5)
for name in ("roc_auc_score", "average_precision_score", "log_loss"):
    t0 = time.perf_counter()
    getattr(fastf1, name)(y, p)
    getattr(fastf1, name)(y, p, sample_weight=w)
    print(f"{name} {time.perf_counter() - t0:.3f}")
"""


def first_call_seconds() -> dict[str, float]:
    """First unweighted and weighted call of each metric in a fresh process with an empty
    numba cache: compile time (plus two 10^5-row calls)."""
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run([sys.executable, "-c", _COMPILE_CHILD], check=True, text=True,
                             capture_output=True, env=dict(os.environ, NUMBA_CACHE_DIR=cache))
    return {name: float(sec) for name, sec in (line.split() for line in out.stdout.splitlines())}


def main(sizes: list[int], rounds: int = 3) -> None:
    """Both libraries in one process, alternating call by call; best of ``rounds``."""
    from report import machine

    print(f"Machine: {machine()}.")
    print("| rows | metric | weights | scikit-learn | fastf1 | ratio | equal |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        for metric in METRICS:
            for weighted in (False, True):
                calls = {lib: make_call(lib, metric, n, weighted) for lib in LIBRARIES}
                results = {lib: call() for lib, call in calls.items()}  # warm-up
                best = dict.fromkeys(LIBRARIES, np.inf)
                for _ in range(rounds):
                    for lib, call in calls.items():
                        t0 = time.perf_counter()
                        call()
                        best[lib] = min(best[lib], time.perf_counter() - t0)
                ratio = best["sklearn"] / best["fastf1"]
                same = results["fastf1"] == results["sklearn"]
                print(f"| {n:.0e} | {metric} | {'yes' if weighted else 'no'} | "
                      f"{best['sklearn']:.3f} s | {best['fastf1']:.3f} s | {ratio:.1f}x | "
                      f"{'bit-equal' if same else 'DIFFERENT'} |", flush=True)
    compile_s = first_call_seconds()
    print("First calls in a fresh process, empty numba cache (unweighted + weighted, 10^5 "
          "rows): " + ", ".join(f"{k} {v:.2f} s" for k, v in compile_s.items()) + ".")


if __name__ == "__main__":
    main([int(float(x)) for x in (sys.argv[1] if len(sys.argv) > 1 else "1e6,1e7").split(",")],
         int(sys.argv[2]) if len(sys.argv) > 2 else 3)
