"""fastf1.resampling.bootstrap against the textbook bootstrap loop on the same data.

The naive loop draws n row indices with replacement (NumPy) and scores them with
``sklearn.metrics.f1_score``, once per replicate. It is timed over NAIVE_REPLICATES replicates
and reported per replicate (``extra_info["per_replicate_s"]``); times for 1000 replicates are
that, times 1000. fastf1 runs all n_resamples=1000 replicates in one pass. Compile time is
excluded (a warm-up call precedes timing); ``python3 benchmarks/bench_bootstrap.py`` prints a
table at 10^5 and 10^6 rows with the first-call compile time measured in a fresh process:

    python3 benchmarks/bench_bootstrap.py
    FASTF1_BENCH_SIZES=1e5,1e6 python3 -m pytest benchmarks/bench_bootstrap.py \
        --benchmark-enable --benchmark-json=bench_bootstrap.json

Without FASTF1_BENCH_SIZES the suite runs once at 1,000 rows as a smoke test (CI does this).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest
import workloads as wl

from fastf1.resampling import bootstrap

N_RESAMPLES = 1000
NAIVE_REPLICATES = 20
WORKLOADS = [wl.Workload("labels-int32-K2", "labels", "int32", 2),
             wl.Workload("labels-int32-K10", "labels", "int32", 10)]


def fastf1_call(w: wl.Workload, t: np.ndarray, p: np.ndarray):
    return lambda: bootstrap(t, p, average=w.average, n_resamples=N_RESAMPLES, random_state=0)


def naive_call(w: wl.Workload, t: np.ndarray, p: np.ndarray, replicates: int = NAIVE_REPLICATES):
    """The textbook loop: resample n rows with replacement, score with scikit-learn."""
    import sklearn.metrics as skm

    def run() -> np.ndarray:
        rng = np.random.default_rng(0)
        n = t.shape[0]
        scores = []
        for _ in range(replicates):
            idx = rng.integers(0, n, n)
            scores.append(skm.f1_score(t[idx], p[idx], average=w.average))
        return np.quantile(scores, [0.025, 0.975])

    return run


@pytest.mark.parametrize("n", wl.SIZES, ids=lambda n: f"n={n:.0e}")
@pytest.mark.parametrize("lib", ["fastf1", "naive"])
@pytest.mark.parametrize("w", WORKLOADS, ids=lambda w: w.name)
def test_bootstrap(benchmark, w, lib, n):
    t, p, _ = wl.make_data(w, n)
    func = fastf1_call(w, t, p) if lib == "fastf1" else naive_call(w, t, p)
    func()  # warm-up: compile (fastf1) and first-touch (everyone)
    replicates = N_RESAMPLES if lib == "fastf1" else NAIVE_REPLICATES
    benchmark.group = f"bootstrap {w.name} n={n:.0e}"
    benchmark.extra_info.update(lib=lib, workload=w.name, n=n, replicates=replicates)
    benchmark.pedantic(func, rounds=3 if n >= 10**6 else 5, iterations=1)
    if benchmark.stats is not None:  # None when benchmarks are disabled (the smoke run)
        benchmark.extra_info["per_replicate_s"] = benchmark.stats.stats.min / replicates


# ---- the table: python3 benchmarks/bench_bootstrap.py -----------------------------------

COMPILE_CHILD = """
import time
import numpy as np
from fastf1.resampling import bootstrap
t = np.random.default_rng(0).integers(0, 10, 10**5).astype(np.int32)
p = np.random.default_rng(1).integers(0, 10, 10**5).astype(np.int32)
t0 = time.perf_counter()
bootstrap(t, p, n_resamples=1000, random_state=0)
t1 = time.perf_counter()
bootstrap(t, p, n_resamples=1000, random_state=0)
t2 = time.perf_counter()
print(f"{t1 - t0:.2f} {t2 - t1:.3f}")
"""


def _best(func, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def compile_seconds() -> tuple[float, float]:
    """(first call, second call) on 10^5 int32 rows in a fresh process, empty numba cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = subprocess.run([sys.executable, "-c", COMPILE_CHILD], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    from fastf1 import _threads as _config

    print(f"{os.cpu_count()} CPUs, {_config.NUM_THREADS} counting threads, "
          f"n_resamples={N_RESAMPLES}; naive: {NAIVE_REPLICATES // 2} replicates timed, x "
          f"{N_RESAMPLES // (NAIVE_REPLICATES // 2)}")
    print(f"{'workload':<18}{'rows':>8}{'fastf1 s':>10}{'G row-reps/s':>14}"
          f"{'naive s (est.)':>16}{'speed-up':>10}")
    for n in (10**5, 10**6):
        for w in WORKLOADS:
            t, p, _ = wl.make_data(w, n)
            fast = fastf1_call(w, t, p)
            fast()
            fast_s = _best(fast, 3)
            naive = naive_call(w, t, p, NAIVE_REPLICATES // 2)
            naive_s = _best(naive, 1) * N_RESAMPLES / (NAIVE_REPLICATES // 2)
            print(f"{w.name:<18}{n:>8.0e}{fast_s:>10.3f}{n * N_RESAMPLES / fast_s / 1e9:>14.2f}"
                  f"{naive_s:>16.1f}{naive_s / fast_s:>10.0f}x")
    first, second = compile_seconds()
    print(f"first call in a fresh process, empty numba cache (10^5 rows, K=10): {first:.2f} s "
          f"(compiles); the second call: {second:.3f} s")


if __name__ == "__main__":
    main()
