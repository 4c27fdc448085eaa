"""ScoreHistogram (binned ROC AUC) against scikit-learn's exact roc_auc_score, side by side.

* ``fastf1-histogram``: ``ScoreHistogram().update(y, s)`` then ``roc_auc_score()`` (the
  default bins; one pass also gives AP, log loss, Brier and calibration);
* ``fastf1-binned``: ``fastf1.roc_auc_score(y, s, bins=2**18)`` (the same bins, counted
  with nothing else: no log-loss, Brier or calibration sums; scikit-learn's input checks);
* ``fastf1-exact``: ``fastf1.roc_auc_score`` (one sort);
* ``sklearn``: ``sklearn.metrics.roc_auc_score``;
* ``torchmetrics-binned``: ``torchmetrics`` binary AUROC with 1000 thresholds, if installed;
* ``probe``: a parallel sum over the bytes the scoring reads (int8 truth + float32 score).

Data: a realistic model, 10% positives, float32 probabilities ``sigmoid(z)`` with
``z ~ N(2, 1.5)`` for positives and ``N(-1, 1.5)`` for negatives.

    FASTF1_BENCH_SIZES=1e6,1e7 python3 -m pytest benchmarks/bench_histogram.py \
        --benchmark-enable --benchmark-json=bench_histogram.json
    python3 -m pytest benchmarks/bench_histogram.py -m slow --benchmark-enable   # 10^8 rows
    python3 benchmarks/bench_histogram.py 1e6,1e7 --big 1e8
        # the table (every library in turns within each round), the bound against the
        # number of bins at the largest size (and its figure), the first-call compile time

Without FASTF1_BENCH_SIZES the suite runs once at 1,000 rows as a smoke test (CI does this).
"""

from __future__ import annotations

import functools
import os
import pathlib
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import workloads as wl
from workloads import best_of_rounds

import fastf1

LIBRARIES = ["fastf1-histogram", "fastf1-binned", "fastf1-exact", "sklearn", "torchmetrics-binned",
             "probe"]
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
    if lib == "fastf1-binned":
        return lambda: fastf1.roc_auc_score(y, s, bins=fastf1.histogram.DEFAULT_BINS)
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
    if lib == "torchmetrics-binned":  # a pass over the rows per threshold: slow
        return 1
    if lib in ("sklearn", "fastf1-exact"):
        return 2 if n >= 10**7 else 3
    return 5 if n >= 10**7 else 10


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
@pytest.mark.parametrize("lib", ["fastf1-histogram", "fastf1-binned", "probe"])
def test_roc_auc_1e8(benchmark, lib):
    """10^8 rows: past every cache; the histogram against the probe."""
    func = make_call(lib, 10**8)
    func()
    benchmark.group = "roc-auc n=1e+08"
    benchmark.pedantic(func, rounds=3, iterations=1)


# ---- the table and the figure: python3 benchmarks/bench_histogram.py [sizes] [--big N] ----

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




def side_by_side(libs: list[str], n: int) -> dict[str, tuple[float, float]]:
    """Best wall-clock seconds of each library over its rounds (``_rounds``), and the
    process CPU seconds of that round (``best_of_rounds``)."""
    calls = {lib: make_call(lib, n) for lib in libs}
    calls = {lib: f for lib, f in calls.items() if f is not None}
    for lib, f in calls.items():
        if lib in ("fastf1-histogram", "fastf1-binned", "fastf1-exact", "probe"):
            f()  # compile (numba); the data are in memory for everyone
    return best_of_rounds(calls, {lib: _rounds(lib, n) for lib in calls})


def bound_table(n: int, path: pathlib.Path | None) -> list[tuple[int, float, float]]:
    """The AUC and AP bounds against the number of bins, on ``n`` rows; a PNG at ``path``."""
    y, s = make_data(n)
    rows = []
    for bits in range(8, 25, 2):
        h = fastf1.ScoreHistogram(1 << bits).update(y, s)
        rows.append((1 << bits, h.roc_auc_error_bound(), h.average_precision_error_bound()))
    if path is None:
        return rows
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    bins = [r[0] for r in rows]
    ax.loglog(bins, [r[1] for r in rows], "o-", label="ROC AUC bound")
    ax.loglog(bins, [r[2] for r in rows], "s-", label="AP bound")
    ax.axvline(fastf1.histogram.DEFAULT_BINS, color="grey", ls=":", label="default bins")
    ax.axhline(1e-5, color="C0", ls="--", lw=0.8, label="AUC goal 1e-5")
    ax.axhline(1e-4, color="C1", ls="--", lw=0.8, label="AP goal 1e-4")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("bins")
    ax.set_ylabel("half-width of the guaranteed range")
    ax.set_title(f"bounds on {n:.0e} float32 probabilities (10% positives)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return rows


def _cell(best: dict[str, tuple[float, float]], lib: str) -> str:
    return f"{best[lib][0]:.3f} s" if lib in best else "-"


def main(sizes: list[int], big: int | None) -> None:
    from report import machine

    print(f"Machine: {machine()}.\n")
    print("| rows | histogram (update + AUC) | roc_auc_score(bins=) | fastf1 exact | "
          "scikit-learn | torchmetrics binned | probe | sklearn / histogram | "
          "sklearn / bins= | probe / histogram | sklearn / exact |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    cpu_notes = []
    for n in sizes + ([big] if big else []):
        libs = LIBRARIES if n <= 10**7 else ["fastf1-histogram", "fastf1-binned", "probe"]
        best = side_by_side(libs, n)
        h = best["fastf1-histogram"][0]
        sk = f"{best['sklearn'][0] / h:.0f}x" if "sklearn" in best else "-"
        sk_fn = (f"{best['sklearn'][0] / best['fastf1-binned'][0]:.0f}x" if "sklearn" in best
                 else "-")
        exact = (f"{best['sklearn'][0] / best['fastf1-exact'][0]:.1f}x"
                 if "fastf1-exact" in best else "-")
        print(f"| {n:.0e} | " + " | ".join(_cell(best, lib) for lib in LIBRARIES)
              + f" | {sk} | {sk_fn} | {100 * best['probe'][0] / h:.1f}% | {exact} |")
        cpu_notes.append(f"{n:.0e} rows: " + ", ".join(
            f"{lib} {best[lib][1]:.3f} s CPU ({best[lib][1] / n * 1e9:.1f} ns a row)"
            for lib in ("fastf1-histogram", "fastf1-binned")))
    print("\nCPU time of the best round, all threads: " + "; ".join(cpu_notes) + ".")
    n_bound = max(sizes)
    RESULTS.mkdir(exist_ok=True)
    rows = bound_table(n_bound, RESULTS / "histogram_bounds.png")
    print(f"\n| bins | AUC bound | AP bound |  ({n_bound:.0e} rows)\n|---|---|---|")
    for bins, auc, ap in rows:
        print(f"| 2^{bins.bit_length() - 1} | {auc:.2e} | {ap:.2e} |")
    print(f"\nFirst call in a fresh process, empty numba cache (10^6 rows): "
          f"{first_call_seconds():.2f} s.")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="ScoreHistogram against scikit-learn's "
                                     "exact roc_auc_score, side by side")
    parser.add_argument("sizes", nargs="?", default="1e6,1e7",
                        help="rows, comma-separated (default: 1e6,1e7)")
    parser.add_argument("--big", type=float, default=None,
                        help="also time the histogram and the probe alone at this many rows")
    args = parser.parse_args()
    main([int(float(x)) for x in args.sizes.split(",")],
         None if args.big is None else int(args.big))
