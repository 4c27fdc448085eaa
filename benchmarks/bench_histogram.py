"""ScoreHistogram (binned ROC AUC) against scikit-learn's exact roc_auc_score, side by side.

* ``fastf1-histogram``: ``ScoreHistogram().update(y, s)`` then ``roc_auc_score()`` (the
  default 2**20 bins; one pass also gives AP, log loss, Brier and calibration);
* ``fastf1-exact``: ``fastf1.roc_auc_score`` (one sort);
* ``sklearn``: ``sklearn.metrics.roc_auc_score``;
* ``torchmetrics-binned``: ``torchmetrics`` binary AUROC with 1000 thresholds, if installed;
* ``probe``: a parallel sum over the bytes the scoring reads (int8 truth + float32 score).

Data: a realistic model, 10% positives, float32 probabilities ``sigmoid(z)`` with
``z ~ N(2, 1.5)`` for positives and ``N(-1, 1.5)`` for negatives.

    FASTF1_BENCH_SIZES=1e6,1e7 python3 -m pytest benchmarks/bench_histogram.py \
        --benchmark-enable --benchmark-json=bench_histogram.json
    python3 benchmarks/bench_histogram.py 1e6,1e7   # the table, the bound figure, compile time

Without FASTF1_BENCH_SIZES the suite runs once at 1,000 rows as a smoke test (CI does this).
"""

from __future__ import annotations

import functools
import os
import pathlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import workloads as wl

import fastf1

LIBRARIES = ["fastf1-histogram", "fastf1-exact", "sklearn", "torchmetrics-binned", "probe"]
RESULTS = pathlib.Path(__file__).parent / "results"


@functools.lru_cache(maxsize=1)
def make_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    y = (rng.random(n) < 0.1).astype(np.int8)
    z = rng.normal(0.0, 1.5, n) + np.where(y == 1, 2.0, -1.0)
    return y, (1.0 / (1.0 + np.exp(-z))).astype(np.float32)


def make_call(lib: str, n: int) -> Callable[[], Any] | None:
    y, s = make_data(n)
    if lib == "fastf1-histogram":
        return lambda: fastf1.ScoreHistogram().update(y, s).roc_auc_score()
    if lib == "fastf1-exact":
        return lambda: fastf1.roc_auc_score(y, s)
    if lib == "sklearn":
        import sklearn.metrics as skm

        return lambda: skm.roc_auc_score(y, s)
    if lib == "torchmetrics-binned":
        try:
            import torch
            from torchmetrics.functional.classification import binary_auroc
        except ImportError:
            return None
        ts, ty = torch.from_numpy(s), torch.from_numpy(y.astype(np.int64))
        return lambda: binary_auroc(ts, ty, thresholds=1000)
    words = np.ones(max(5 * n // 8, 1), dtype=np.uint64)
    return lambda: wl._sum_words(words)


def _rounds(lib: str, n: int) -> int:
    if lib in ("sklearn", "fastf1-exact", "torchmetrics-binned"):
        return 1 if n >= 10**7 else 3
    return 3 if n >= 10**7 else 10


@pytest.mark.parametrize("n", wl.SIZES, ids=lambda n: f"n={n:.0e}")
@pytest.mark.parametrize("lib", LIBRARIES)
def test_roc_auc(benchmark, lib, n):
    func = make_call(lib, n)
    if func is None:
        pytest.skip(f"{lib} is not installed")
    func()  # warm-up: compile (fastf1) and first-touch (everyone)
    benchmark.group = f"roc-auc n={n:.0e}"
    benchmark.extra_info.update(lib=lib, workload="roc-auc-float32", n=n)
    benchmark.pedantic(func, rounds=_rounds(lib, n), iterations=1)


@pytest.mark.slow
@pytest.mark.parametrize("lib", ["fastf1-histogram", "probe"])
def test_roc_auc_1e8(benchmark, lib):
    """10^8 rows: past every cache; the histogram against the probe."""
    func = make_call(lib, 10**8)
    func()
    benchmark.group = "roc-auc n=1e+08"
    benchmark.pedantic(func, rounds=3, iterations=1)


# ---- the table and the figure: python3 benchmarks/bench_histogram.py [sizes] ---------------

_COMPILE_CHILD = """
import time
import numpy as np
import fastf1
rng = np.random.default_rng(0)
y = rng.integers(0, 2, 10**6).astype(np.int8)
s = rng.random(10**6, dtype=np.float32)
t0 = time.perf_counter()
fastf1.ScoreHistogram().update(y, s).roc_auc_score()
print(f"{time.perf_counter() - t0:.3f}")
"""


def first_call_seconds() -> float:
    """The first histogram in a fresh process with an empty numba cache (10^6 rows)."""
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run([sys.executable, "-c", _COMPILE_CHILD], check=True, text=True,
                             capture_output=True, env=dict(os.environ, NUMBA_CACHE_DIR=cache))
    return float(out.stdout)


def best_of(func: Callable[[], Any], rounds: int) -> float:
    best = np.inf
    for _ in range(rounds):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def bound_figure(n: int, path: pathlib.Path) -> list[tuple[int, float, float]]:
    """The AUC and AP bounds against the number of bins, on ``n`` rows; a PNG at ``path``."""
    y, s = make_data(n)
    rows = []
    for bits in range(8, 23, 2):
        h = fastf1.ScoreHistogram(1 << bits).update(y, s)
        rows.append((1 << bits, h.roc_auc_error_bound(), h.average_precision_error_bound()))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    bins = [r[0] for r in rows]
    ax.loglog(bins, [r[1] for r in rows], "o-", label="ROC AUC bound")
    ax.loglog(bins, [r[2] for r in rows], "s-", label="AP bound")
    ax.axvline(fastf1.histogram.DEFAULT_BINS, color="grey", ls=":", label="default bins")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("bins")
    ax.set_ylabel("half-width of the guaranteed range")
    ax.set_title(f"bounds on {n:.0e} float32 probabilities (10% positives)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return rows


def main(sizes: list[int]) -> None:
    from report import machine

    print(f"Machine: {machine()}.")
    print("| rows | " + " | ".join(LIBRARIES) + " | sklearn / histogram | probe / histogram |")
    print("|---|" + "---|" * (len(LIBRARIES) + 2))
    for n in sizes:
        times = {}
        for lib in LIBRARIES:
            func = make_call(lib, n)
            if func is None or (lib in ("sklearn", "fastf1-exact", "torchmetrics-binned")
                                and n > 10**7):
                times[lib] = np.nan
                continue
            func()  # compile / first touch; the data are in memory for everyone
            times[lib] = best_of(func, _rounds(lib, n))
        cells = [f"{times[lib]:.3f} s" for lib in LIBRARIES]
        h = times["fastf1-histogram"]
        print(f"| {n:.0e} | " + " | ".join(cells)
              + f" | {times['sklearn'] / h:.0f}x | {100 * times['probe'] / h:.0f}% |")
    RESULTS.mkdir(exist_ok=True)
    rows = bound_figure(10**6, RESULTS / "histogram_bounds.png")
    print("\n| bins | AUC bound | AP bound |  (10^6 rows)\n|---|---|---|")
    for bins, auc, ap in rows:
        print(f"| 2^{bins.bit_length() - 1} | {auc:.2e} | {ap:.2e} |")
    print(f"\nFirst call in a fresh process, empty numba cache (10^6 rows): "
          f"{first_call_seconds():.2f} s.")


if __name__ == "__main__":
    main([int(float(x)) for x in (sys.argv[1] if len(sys.argv) > 1 else "1e6,1e7").split(",")])
