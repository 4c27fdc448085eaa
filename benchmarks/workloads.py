"""Benchmark workloads: the data, and each library's way to score it, in one place.

Each workload makes (y_true, y_pred, sample_weight) of n rows and knows how fastf1, the bare
fastf1 kernel, scikit-learn, torchmetrics and a np.bincount baseline score it, and how many
bytes the scoring must read (for the read-bandwidth probe).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

import fastf1
from fastf1 import _dispatch, _validation

#: sizes for the run: a CI smoke run uses 1,000 rows; the full run sets FASTF1_BENCH_SIZES
SIZES = [int(float(s)) for s in os.environ.get("FASTF1_BENCH_SIZES", "1e3").split(",")]


@dataclass(frozen=True)
class Workload:
    name: str
    form: str  # "labels", "scores", "argmax", "multilabel"
    dtype: str
    k: int  # classes, labels (multilabel) or score columns
    weighted: bool = False

    @property
    def average(self) -> str:
        return "binary" if self.form == "scores" or (self.form == "labels" and self.k == 2) else "macro"


WORKLOADS = [
    *(Workload(f"labels-{d}-K{k}", "labels", d, k)
      for d, k in [("int8", 2), ("int8", 10), ("int8", 100), ("int32", 2), ("int32", 10),
                   ("int32", 100), ("int32", 1000), ("int32", 100000), ("int64", 10),
                   ("int64", 1000)]),
    Workload("labels-int32-K10-weighted", "labels", "int32", 10, weighted=True),
    Workload("scores-float32-threshold", "scores", "float32", 2),
    Workload("multilabel-uint8-L10", "multilabel", "uint8", 10),
    Workload("multilabel-uint8-L100", "multilabel", "uint8", 100),
    Workload("argmax-float32-K10", "argmax", "float32", 10),
    Workload("argmax-float32-K100", "argmax", "float32", 100),
]


@functools.lru_cache(maxsize=2)
def make_data(w: Workload, n: int) -> tuple[Any, Any, Any]:
    """Deterministic data: a Zipf-like class prior, predictions right about 80% of the time."""
    rng = np.random.default_rng(hash((w.name, n)) % 2**32)
    weights = rng.random(n) if w.weighted else None
    if w.form == "multilabel":
        t = (rng.random((n, w.k), dtype=np.float32) < 0.2).astype(np.uint8)
        flip = rng.random((n, w.k), dtype=np.float32) < 0.1
        return t, (t ^ flip).astype(np.uint8), weights
    prior = 1.0 / np.arange(1, w.k + 1)
    t = rng.choice(w.k, size=n, p=prior / prior.sum()).astype(np.int64)
    if w.form == "scores":
        scores = np.clip(t * 0.5 + rng.random(n, dtype=np.float32) * 0.6, 0, 1).astype(np.float32)
        return t.astype(np.int8), scores, weights
    if w.form == "argmax":
        scores = rng.random((n, w.k), dtype=np.float32)
        scores[np.arange(n), t] += 0.6
        return t.astype(np.int32), scores, weights
    p = np.where(rng.random(n) < 0.8, t, rng.integers(0, w.k, n))
    return t.astype(w.dtype), p.astype(w.dtype), weights


def bytes_read(w: Workload, n: int) -> int:
    t, p, weights = make_data(w, n)
    return t.nbytes + p.nbytes + (0 if weights is None else weights.nbytes)


# ---- the libraries ---------------------------------------------------------------------


def fastf1_call(w: Workload, t: Any, p: Any, weights: Any) -> Callable[[], Any]:
    thr = 0.5 if w.form == "scores" else None
    return lambda: fastf1.f1_score(t, p, average=w.average, sample_weight=weights, threshold=thr)


def kernel_call(w: Workload, t: Any, p: Any, weights: Any) -> Callable[[], Any]:
    """The counting pass alone: no validation, no reduction (what the API should approach)."""
    inp = _validation.prepare(t, p, weights, 0.5 if w.form == "scores" else None)
    if w.form == "multilabel":
        return lambda: _dispatch.count(inp)
    lo, hi = _dispatch._guess_range(t, p, None, None) if w.form == "labels" else (0, w.k - 1)
    return lambda: _dispatch._kernel_call(inp.kind, inp.t, inp.p, inp.w, inp.thr, lo,
                                          hi - lo + 1, None, False)


def sklearn_call(w: Workload, t: Any, p: Any, weights: Any) -> Callable[[], Any]:
    import sklearn.metrics as skm

    if w.form == "scores":
        return lambda: skm.f1_score(t, (p >= 0.5).astype(np.int8), average=w.average,
                                    sample_weight=weights)
    if w.form == "argmax":
        return lambda: skm.f1_score(t, p.argmax(axis=1), average=w.average, sample_weight=weights)
    return lambda: skm.f1_score(t, p, average=w.average, sample_weight=weights)


def torchmetrics_call(w: Workload, t: Any, p: Any, weights: Any,
                      validate: bool) -> Callable[[], Any] | None:
    """torchmetrics' functional F1 on CPU tensors (None when it has no such workload)."""
    if weights is not None or w.k > 10000:
        return None  # no sample weights; and for 1e5 classes it allocates a K x K matrix (80 GB)
    import torch
    from torchmetrics.functional.classification import (
        binary_f1_score,
        multiclass_f1_score,
        multilabel_f1_score,
    )

    tt, pp = torch.from_numpy(np.asarray(t, dtype=np.int64)), torch.from_numpy(np.asarray(p))
    if w.form == "multilabel":
        tt = torch.from_numpy(t)
        return lambda: multilabel_f1_score(pp, tt, num_labels=w.k, average="macro",
                                           validate_args=validate)
    if w.form == "scores" or w.k == 2:
        return lambda: binary_f1_score(pp, tt, threshold=0.5, validate_args=validate)
    if w.form == "labels":
        pp = torch.from_numpy(np.asarray(p, dtype=np.int64))
    return lambda: multiclass_f1_score(pp, tt, num_classes=w.k, average="macro",
                                       validate_args=validate)


def bincount_call(w: Workload, t: Any, p: Any, weights: Any) -> Callable[[], Any] | None:
    """The textbook baseline: one np.bincount of t * K + p (labels only)."""
    if w.form != "labels" or w.k > 10000:
        return None
    k = w.k
    return lambda: np.bincount(t.astype(np.int64) * k + p, weights=weights, minlength=k * k)


@numba.njit(parallel=True, cache=True)
def _sum_words(words: np.ndarray) -> np.uint64:
    total = np.uint64(0)
    for i in numba.prange(words.shape[0]):
        total += words[i]
    return total


def probe_call(w: Workload, n: int) -> Callable[[], Any]:
    """Read-bandwidth probe: a parallel sum over as many bytes as the workload reads."""
    words = np.ones(max(bytes_read(w, n) // 8, 1), dtype=np.uint64)
    return lambda: _sum_words(words)


# ---- the rest of the scorecard (bench_core.test_scorecard) -------------------------------

#: functions of the per-class counts; "f1_score" is the reference time on the same data
SCORECARD = ["f1_score", "balanced_accuracy_score", "matthews_corrcoef", "cohen_kappa_score",
             "jaccard_score", "hamming_loss", "zero_one_loss", "class_likelihood_ratios",
             "top_k_accuracy_score", "f1_score[argmax]"]
#: most score values of a top-k matrix (float32): 10^7 rows of K = 10; fewer rows for K = 1000
TOP_K_VALUES = 10**8


def scorecard_data(name: str, k: int, n: int) -> tuple[Any, Any]:
    """(y_true, y_pred): int32 labels, binary for the likelihood ratios, a float32 score
    matrix of at most ``TOP_K_VALUES`` values for top-k (and its f1_score reference)."""
    if name in ("top_k_accuracy_score", "f1_score[argmax]"):
        t, scores, _ = make_data(Workload(f"argmax-float32-K{k}", "argmax", "float32", k),
                                 max(min(n, TOP_K_VALUES // k), k))
        t[:k] = np.arange(k)  # every class occurs (scikit-learn needs it for top-k)
        return t, scores
    kk = 2 if name == "class_likelihood_ratios" else k
    t, p, _ = make_data(Workload(f"labels-int32-K{kk}", "labels", "int32", kk), n)
    return t, p


def scorecard_call(name: str, lib: str, k: int, n: int) -> Callable[[], Any] | None:
    if name == "class_likelihood_ratios" and k != 10:
        return None  # binary only: one K is enough
    t, p = scorecard_data(name, k, n)
    if lib in ("numpy", "probe"):
        # the floors of the label-compare losses (and of F1 on the same labels)
        if name not in ("hamming_loss", "zero_one_loss", "f1_score"):
            return None
        if lib == "numpy":
            return lambda: np.count_nonzero(t != p)
        words = np.ones(max((t.nbytes + p.nbytes) // 8, 1), dtype=np.uint64)
        return lambda: _sum_words(words)
    average = {"average": "macro"} if name.startswith(("jaccard", "f1")) else {}
    if name == "top_k_accuracy_score":
        average = {"k": 3}
    base = name.split("[")[0]
    if lib == "fastf1":
        func = getattr(fastf1, base)
        return lambda: func(t, p, **average)
    if lib == "sklearn":
        import sklearn.metrics as skm

        func = getattr(skm, base)
        if name == "f1_score[argmax]":  # the argmax is part of scikit-learn's work
            return lambda: func(t, p.argmax(axis=1), **average)
        return lambda: func(t, p, **average)
    return _torchmetrics_scorecard(name, k, t, p)


def _torchmetrics_scorecard(name: str, k: int, t: Any, p: Any,
                            validate: bool = True) -> Callable[[], Any] | None:
    """torchmetrics' functional counterpart of ``name`` on CPU tensors (``validate``: its
    ``validate_args``); y_true is converted to int64 once, outside the timed call."""
    try:
        import torch
        from torchmetrics.functional import classification as tmc
    except ImportError:
        return None
    tt, pp = torch.from_numpy(t.astype(np.int64)), torch.from_numpy(np.asarray(p))
    kw = {"num_classes": k, "validate_args": validate}
    calls = {
        "f1_score": lambda: tmc.multiclass_f1_score(pp.long(), tt, average="macro", **kw),
        "balanced_accuracy_score": lambda: tmc.multiclass_recall(pp.long(), tt,
                                                                 average="macro", **kw),
        "matthews_corrcoef": lambda: tmc.multiclass_matthews_corrcoef(pp.long(), tt, **kw),
        "cohen_kappa_score": lambda: tmc.multiclass_cohen_kappa(pp.long(), tt, **kw),
        "jaccard_score": lambda: tmc.multiclass_jaccard_index(pp.long(), tt, average="macro",
                                                              **kw),
        "hamming_loss": lambda: tmc.multiclass_hamming_distance(pp.long(), tt,
                                                                average="micro", **kw),
        "top_k_accuracy_score": lambda: tmc.multiclass_accuracy(pp, tt, top_k=3,
                                                                average="micro", **kw),
        "f1_score[argmax]": lambda: tmc.multiclass_f1_score(pp, tt, average="macro", **kw),
    }
    return calls.get(name)


#: seconds to wait, untimed, after each call of a side-by-side run: the probe's OpenMP
#: threads (numba ``parallel=True``) spin on for milliseconds after their work ends, and
#: would take a core from whichever call is timed next, and add to its CPU time
SETTLE_S = 0.05


def best_of_rounds(calls: dict[str, Callable[[], Any]],
                   rounds: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Best wall-clock seconds of each call over its ``rounds``, the calls taking turns
    within a round (so a change in the machine's load hits them alike), and the process
    CPU seconds (all threads) of that best round. Each call is timed after an untimed
    ``SETTLE_S`` pause (the threads of the call before it stop spinning)."""
    best: dict[str, tuple[float, float]] = {name: (np.inf, np.inf) for name in calls}
    for r in range(max(rounds.values(), default=0)):
        for name, f in calls.items():
            if r >= rounds[name]:
                continue
            time.sleep(SETTLE_S)
            c0, t0 = time.process_time(), time.perf_counter()
            f()
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            if wall < best[name][0]:
                best[name] = (wall, cpu)
    return best
