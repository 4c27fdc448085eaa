"""fastf1 against scikit-learn, torchmetrics, np.bincount and the read-bandwidth probe.

Every library scores the same data in the same run, so ratios are measured side by side.
Compile time is excluded (a warm-up call precedes timing; see compile_time.py for it).

    FASTF1_BENCH_SIZES=1e3,1e5,1e7 python3 -m pytest benchmarks/bench_core.py \
        --benchmark-enable --benchmark-json=benchmarks/results/bench_core.json
    python3 benchmarks/report.py benchmarks/results/bench_core.json

Without FASTF1_BENCH_SIZES the suite runs once at 1,000 rows as a smoke test (CI does this).
"""

from __future__ import annotations

import importlib.util

import pytest
import workloads as wl

HAS_TORCHMETRICS = importlib.util.find_spec("torchmetrics") is not None
LIBRARIES = ["fastf1", "fastf1-kernel", "sklearn", "torchmetrics", "torchmetrics-novalidate",
             "bincount", "probe"]


def _rounds(lib: str, n: int) -> int:
    slow = lib.startswith(("sklearn", "torchmetrics", "bincount"))
    return 3 if slow and n >= 10**6 else 10 if n >= 10**6 else 50


def _callable(lib, w, n):
    t, p, weights = wl.make_data(w, n)
    if lib == "fastf1":
        return wl.fastf1_call(w, t, p, weights)
    if lib == "fastf1-kernel":
        return wl.kernel_call(w, t, p, weights)
    if lib == "sklearn":
        return wl.sklearn_call(w, t, p, weights)
    if lib.startswith("torchmetrics"):
        if not HAS_TORCHMETRICS:
            pytest.skip("torchmetrics is not installed")
        return wl.torchmetrics_call(w, t, p, weights, validate=lib == "torchmetrics")
    if lib == "bincount":
        return wl.bincount_call(w, t, p, weights)
    return wl.probe_call(w, n)


@pytest.mark.parametrize("n", wl.SIZES, ids=lambda n: f"n={n:.0e}")
@pytest.mark.parametrize("lib", LIBRARIES)
@pytest.mark.parametrize("w", wl.WORKLOADS, ids=lambda w: w.name)
def test_f1(benchmark, w, lib, n):
    if n >= 10**8 and lib.startswith(("sklearn", "torchmetrics", "bincount")):
        pytest.skip("minutes per call at 1e8 rows; compared at 1e7")
    if n * w.k >= 10**9 and w.form == "multilabel" and lib.startswith(("sklearn", "torch")):
        pytest.skip("minutes and ~10 GB per call for 1e9 indicator values; compared at 1e5")
    func = _callable(lib, w, n)
    if func is None:
        pytest.skip(f"{lib} has no equivalent for {w.name}")
    func()  # warm-up: compile (fastf1) and first-touch (everyone)
    benchmark.group = f"{w.name} n={n:.0e}"
    benchmark.extra_info.update(lib=lib, workload=w.name, n=n, bytes=wl.bytes_read(w, n))
    benchmark.pedantic(func, rounds=_rounds(lib, n), iterations=1)


OTHER_FUNCTIONS = ["precision_recall_fscore_support", "confusion_matrix", "classification_report"]


@pytest.mark.parametrize("n", wl.SIZES, ids=lambda n: f"n={n:.0e}")
@pytest.mark.parametrize("lib", ["fastf1", "sklearn"])
@pytest.mark.parametrize("name", OTHER_FUNCTIONS)
def test_other_functions(benchmark, name, lib, n):
    if n >= 10**8 and lib == "sklearn":
        pytest.skip("minutes per call at 1e8 rows")
    import sklearn.metrics as skm

    import fastf1

    w = wl.Workload("labels-int32-K10", "labels", "int32", 10)
    t, p, _ = wl.make_data(w, n)
    func = getattr(fastf1 if lib == "fastf1" else skm, name)
    func(t, p)
    benchmark.group = f"{name} n={n:.0e}"
    benchmark.extra_info.update(lib=lib, workload=name, n=n, bytes=t.nbytes + p.nbytes)
    benchmark.pedantic(func, args=(t, p), rounds=_rounds(lib, n), iterations=1)


@pytest.mark.parametrize("n", wl.SIZES, ids=lambda n: f"n={n:.0e}")
@pytest.mark.parametrize("lib", ["fastf1", "sklearn", "torchmetrics", "numpy", "probe"])
@pytest.mark.parametrize("k", [10, 1000], ids=lambda k: f"K{k}")
@pytest.mark.parametrize("name", wl.SCORECARD)
def test_scorecard(benchmark, name, k, lib, n):
    """The rest of the scorecard on int32 labels (top-k: a float32 score matrix of at most
    ``wl.TOP_K_VALUES`` values), with ``f1_score`` on the same data as the reference.
    "numpy" is the one vectorised compare ``np.count_nonzero(y_true != y_pred)`` that
    scikit-learn's Hamming and zero-one losses come down to; "probe" the parallel read
    of as many bytes (the physical limit of any one-pass scorer)."""
    if n >= 10**8 and lib != "fastf1":
        pytest.skip("minutes per call at 1e8 rows")
    func = wl.scorecard_call(name, lib, k, n)
    if func is None:
        pytest.skip(f"{lib} is not installed or has no {name}")
    func()
    t, p = wl.scorecard_data(name, k, n)
    benchmark.group = f"scorecard K={k} n={n:.0e}"
    benchmark.extra_info.update(lib=lib, workload=f"{name} K={k}", n=t.shape[0],
                                bytes=t.nbytes + p.nbytes)
    benchmark.pedantic(func, rounds=_rounds(lib, n), iterations=1)


@pytest.mark.slow
@pytest.mark.parametrize("lib", ["fastf1", "fastf1-kernel", "probe"])
@pytest.mark.parametrize("w", [w for w in wl.WORKLOADS if w.name in (
    "labels-int8-K2", "labels-int32-K2", "labels-int32-K10", "labels-int32-K1000",
    "scores-float32-threshold",
    "multilabel-uint8-L10", "argmax-float32-K10")], ids=lambda w: w.name)
def test_f1_1e8(benchmark, w, lib):
    """10^8 rows: the data no longer fits in any cache, so the probe reads from memory."""
    n = 10**8
    func = _callable(lib, w, n)
    func()
    benchmark.group = f"{w.name} n={n:.0e}"
    benchmark.extra_info.update(lib=lib, workload=w.name, n=n, bytes=wl.bytes_read(w, n))
    benchmark.pedantic(func, rounds=5, iterations=1)
