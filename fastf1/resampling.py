"""Confidence intervals for the scores: the Poisson bootstrap, every replicate in one pass.

A bootstrap replicate is usually a resample of the rows with replacement, scored anew: n_resamples
passes over the data. The Poisson bootstrap gives row i, in replicate r, a weight k_ir ~ Poisson(1)
instead (the number of times a resample of unfixed size draws it). Since fastf1's scores derive
from per-label counts, replicate r only needs the counts with row i counted k_ir times, so a single
pass over the rows adds up the counts of all replicates at once, on several threads, and every
score of every replicate is then derived from those counts by ``_reduce``, as for the data itself.

The weights come from a counter-based generator (``_kernels.bootstrap``): k_ir is a function of
(key, i, r) only, so the result for a given ``random_state`` is the same bit for bit whatever the
number of threads, and (without sample weights) however Dask cuts the rows into chunks.
"""

from __future__ import annotations

import functools
import math
import numbers
import operator
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

import numpy as np

from . import _chunked, _dispatch, _threads, _validation
from ._kernels import bootstrap as kernels
from ._sklearn_checks import check_dense
from .counts import StatScores, compute_dask_stat_scores

__all__ = ["BootstrapResult", "ConfidenceInterval", "bootstrap"]

METRICS = ("f1", "fbeta", "precision", "recall", "accuracy", "balanced_accuracy", "mcc",
           "kappa", "jaccard")
#: metrics of single-label counts that take no average, labels, pos_label or zero_division
_PLAIN = {"accuracy": StatScores.accuracy_score,
          "balanced_accuracy": StatScores.balanced_accuracy_score,
          "mcc": StatScores.matthews_corrcoef, "kappa": StatScores.cohen_kappa_score}
METHODS = ("percentile", "basic")
#: most replicate counts (n_resamples x labels) per call: each counting thread holds three
#: times that many 8-byte counts (2**23: 200 MB per thread)
MAX_REPLICATE_COUNTS = 1 << 23
#: weighted counts are float sums, whose rounding depends on their order: they are counted in
#: blocks of this many draws (rows x replicates), added in row order whatever the threads
_WEIGHTED_BLOCK_DRAWS = 1 << 22


class ConfidenceInterval(NamedTuple):
    """The interval's bounds: floats, or one array entry per label for ``average=None``."""

    low: Any
    high: Any


@dataclass(frozen=True)
class BootstrapResult:
    """What :func:`bootstrap` found (names as in ``scipy.stats.bootstrap``'s result).

    Attributes
    ----------
    estimate : float or ndarray
        The score of the full data, exactly what the fastf1 (and scikit-learn) metric
        function returns.
    confidence_interval : ConfidenceInterval
        ``(low, high)`` bounds.
    standard_error : float or ndarray
        Standard deviation of the bootstrap distribution (``ddof=1``).
    bootstrap_distribution : ndarray
        The score of each replicate: shape ``(n_resamples,)``, or ``(n_labels, n_resamples)``
        for ``average=None``.
    labels : ndarray or None
        For ``average=None``: the label of each row of the per-label results.
    """

    estimate: Any
    confidence_interval: ConfidenceInterval
    standard_error: Any
    bootstrap_distribution: np.ndarray
    labels: np.ndarray | None = None


def bootstrap(
    y_true: Any, y_pred: Any, *, metric: str = "f1", average: Any = "macro",
    n_resamples: int = 1000, confidence_level: float = 0.95, method: str = "percentile",
    random_state: Any = None, sample_weight: Any = None, beta: float = 1.0,
    labels: Any = None, pos_label: Any = 1, zero_division: Any = "warn",
    threshold: Any = None,
) -> BootstrapResult:
    """Bootstrap confidence interval of a score, all replicates counted in one pass.

    Parameters
    ----------
    y_true, y_pred, sample_weight, threshold
        Any input the metric functions take: 1-D labels (integers, strings), 1-D binary
        scores with ``threshold``, a 2-D score matrix (argmax), multilabel indicators (or
        scores with ``threshold``); NumPy-like or Dask arrays / DataFrame columns.
    metric : {"f1", "fbeta", "precision", "recall", "accuracy", "balanced_accuracy", "mcc", \
"kappa", "jaccard"}
        The score; ``beta`` is used by "fbeta" only. "accuracy", "balanced_accuracy",
        "mcc" (Matthews correlation) and "kappa" (unweighted Cohen's kappa) ignore
        ``average``, ``labels``, ``pos_label`` and ``zero_division`` and take single-label
        input only.
    beta : float, default 1.0
        The weight of recall in the F-beta score (``metric="fbeta"`` only).
    average, labels, pos_label, zero_division
        As in ``sklearn.metrics.f1_score``, except that ``average`` defaults to "macro"
        (it works for every input form; pass "binary" to score ``pos_label`` alone) and
        "samples" is not available. ``average=None`` bootstraps every label's score at once.
        With ``zero_division="warn"`` the estimate warns as scikit-learn does; replicates
        take the value 0.0 silently (any warning raised while scoring replicates is
        suppressed: with few rows of a class, some replicates lack it).
    n_resamples : int, default 1000
        Number of bootstrap replicates (at least 2).
    confidence_level : float, default 0.95
        The probability that the interval covers the score, in (0, 1).
    method : {"percentile", "basic"}, default "percentile"
        "percentile": the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the
        bootstrap distribution (``np.quantile``'s linear interpolation); "basic": those
        quantiles reflected about the estimate.
    random_state : None, int, numpy.random.Generator or SeedSequence
        Seeds the 64-bit key of the counter-based generator. A Generator is drawn from
        (once); None takes fresh entropy.

    Returns
    -------
    BootstrapResult
        The estimate, the interval, the standard error and the replicate scores.

    Raises
    ------
    ValueError
        An unknown ``metric`` or ``method``, ``n_resamples`` below 2, a confidence level
        outside (0, 1), ``average="samples"``, too many replicate counts
        (``n_resamples x labels`` above 2**23), or bad input as for the metric functions.

    Notes
    -----
    Row i enters replicate r with a weight k_ir ~ Poisson(1) (times its sample weight), drawn
    from a counter-based generator keyed by (seed, i, r): the replicates for a seed do not
    depend on the number of threads, nor, without sample weights, on Dask's chunks (weighted
    sums are added in another order there, so they agree to rounding; so does the weighted
    estimate, as for the metric functions). Replicates have a random
    number of rows (mean n), the usual Poisson-bootstrap approximation of resampling n rows;
    the two distributions agree closely from a few hundred rows on.

    The labels are those of the full data: a replicate that misses a label counts it as
    zero (it then takes the ``zero_division`` value, as with any absent label). A score
    that is NaN in a replicate (``zero_division=np.nan``) makes the interval NaN.

    The cost is O(rows x n_resamples) work and ``3 x labels x n_resamples`` counts per
    thread, plus the scoring of each replicate (see the benchmarks for figures). Dask input is read twice: once for the labels and the estimate, once for
    the replicates. The pass runs on the CPU (GPU arrays are copied to the host); sparse
    multilabel input is densified; ``ignore_index`` is not available.

    Examples
    --------
    >>> import numpy as np, fastf1.resampling
    >>> rng = np.random.default_rng(0)
    >>> y_true = rng.integers(0, 2, 2000)
    >>> y_pred = np.where(rng.random(2000) < 0.8, y_true, 1 - y_true)
    >>> res = fastf1.resampling.bootstrap(y_true, y_pred, average="binary", random_state=1)
    >>> low, high = res.confidence_interval
    >>> bool(low < res.estimate < high), res.bootstrap_distribution.shape
    (True, (1000,))
    """
    check_dense("bootstrap", sample_weight=sample_weight)
    score = _scorer(metric, average, labels, pos_label, beta, zero_division)
    n_resamples = _check_n_resamples(n_resamples)
    _check_interval(confidence_level, method)
    key = np.random.default_rng(random_state).integers(0, 2**64, dtype=np.uint64)

    def estimate_of(stats: StatScores) -> Any:
        # before the long pass: errors of labels / pos_label / average come first
        _check_size(n_resamples, stats.labels.size)
        return score(stats)

    if _validation.is_dask(y_true, y_pred, sample_weight):
        stats, estimate, counts = _dask_counts(y_true, y_pred, sample_weight, threshold,
                                               labels, key, n_resamples, estimate_of)
    else:
        inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device="cpu")
        stats = StatScores._from_counts(_dispatch.count(inp, hint=labels), inp.w is not None,
                                        threshold=threshold)
        estimate = estimate_of(stats)
        counts = replicate_counts(inp, stats.labels, key, n_resamples)
    dist = _replicate_scores(stats, counts, score).T  # (n_resamples,) or (labels, n_resamples)
    alpha = 1 - confidence_level
    low, high = np.quantile(dist, [alpha / 2, 1 - alpha / 2], axis=-1)
    if method == "basic":
        low, high = 2 * estimate - high, 2 * estimate - low
    se = np.std(dist, axis=-1, ddof=1)
    if dist.ndim == 1:
        low, high, se = float(low), float(high), float(se)
        per_label = None
    else:
        per_label = stats.labels if labels is None else np.asarray(labels)
    return BootstrapResult(estimate, ConfidenceInterval(low, high), se, dist, per_label)


# ---- arguments ---------------------------------------------------------------------------


def _scorer(metric: str, average: Any, labels: Any, pos_label: Any, beta: Any,
            zero_division: Any) -> Callable[[StatScores], Any]:
    """The score of a StatScores, as the metric function computes it (arguments checked)."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    if metric in _PLAIN:
        return _PLAIN[metric]
    _validation.check_average(average)
    if average == "samples":
        raise ValueError("average='samples' is not available: its scores are per row, "
                         "not per label counts")
    _validation.check_zero_division(zero_division)
    _validation.check_beta(beta)
    args = dict(labels=labels, pos_label=pos_label, average=average, zero_division=zero_division)
    if metric == "fbeta":
        return lambda s: s.fbeta_score(beta=beta, **args)
    if metric == "jaccard":
        _validation.check_zero_division_01(zero_division, "jaccard_score")
    method = {"jaccard": StatScores.jaccard_score, "f1": StatScores.f1_score, "precision": StatScores.precision_score,
              "recall": StatScores.recall_score}[metric]
    return lambda s: method(s, **args)


def _check_n_resamples(n_resamples: Any) -> int:
    if (not isinstance(n_resamples, numbers.Integral) or isinstance(n_resamples, bool)
            or n_resamples < 2):
        raise ValueError(f"n_resamples must be an integer >= 2, got {n_resamples!r}")
    return int(n_resamples)


def _check_interval(confidence_level: Any, method: Any) -> None:
    if (not isinstance(confidence_level, numbers.Real) or isinstance(confidence_level, bool)
            or not 0 < float(confidence_level) < 1):
        raise ValueError(f"confidence_level must be a number in (0, 1), got {confidence_level!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def _check_size(n_resamples: int, n_labels: int) -> None:
    if n_resamples * n_labels > MAX_REPLICATE_COUNTS:
        raise ValueError(
            f"{n_resamples} resamples x {n_labels} labels = {n_resamples * n_labels} replicate "
            f"counts, more than the {MAX_REPLICATE_COUNTS} fastf1.resampling allows (each "
            "counting thread holds three 8-byte counts per label and replicate); "
            "use fewer resamples")


# ---- counting ----------------------------------------------------------------------------


def replicate_counts(inp: _validation.Inputs, labels: np.ndarray, key: np.uint64,
                     n_resamples: int, row0: int = 0) -> np.ndarray:
    """Every replicate's per-label counts of the rows of ``inp``: shape (3, K, n_resamples),
    rows tp, true, pred of ``labels`` (K of them, those of the full data); int64, float64
    when weighted. ``row0`` is the global index of the first row (a Dask chunk's start)."""
    shape = (3, labels.size, n_resamples)
    dtype = np.int64 if inp.w is None else np.float64
    w, cdf = inp.w, kernels.POISSON_CDF
    if inp.kind == "multilabel":
        t, p = (_dispatch._dense_block(x, 0, inp.n) for x in (inp.t, inp.p))

        def kernel(lo: int, hi: int, cnt: np.ndarray) -> int:
            return kernels.multilabel_counts(t[lo:hi], p[lo:hi], None if w is None else w[lo:hi],
                                             inp.thr, key, row0 + lo, cdf, cnt)
    else:
        t, p, offset, lut = _label_table(inp, labels)

        def kernel(lo: int, hi: int, cnt: np.ndarray) -> int:
            return kernels.label_counts(t[lo:hi], p[lo:hi], None if w is None else w[lo:hi],
                                        inp.thr, offset, lut, key, row0 + lo, cdf, cnt)

    def count(lo: int, hi: int) -> np.ndarray:
        cnt = np.zeros(shape, dtype)
        if kernel(lo, hi, cnt):
            raise ValueError("the data changed between the counting pass and the bootstrap "
                             "pass (a label that the first pass did not see)")
        return cnt

    return _sum_ranges(count, inp.n, w is not None, n_resamples)


def _label_table(inp: _validation.Inputs, labels: np.ndarray) -> tuple[Any, Any, int, np.ndarray]:
    """(t, p, offset, lut) for ``kernels.label_counts``: value v has label index
    ``lut[v - offset]`` (-1: none). Numbers in a narrow range are looked up directly; strings
    and widely spread numbers are first encoded into the sorted labels (np.searchsorted)."""
    if inp.kind == "labels" and (
            labels.dtype.kind in "US"
            or int(labels[-1]) > np.iinfo(np.int64).max  # the kernel's v - offset is int64
            or int(labels[-1]) - int(labels[0]) >= _dispatch.DENSE_SPAN_MAX):
        codes = [np.searchsorted(labels, x).astype(np.int64) for x in (inp.t, inp.p)]
        return codes[0], codes[1], 0, np.arange(labels.size)
    if inp.kind == "labels":
        offset, span = int(labels[0]), int(labels[-1]) - int(labels[0]) + 1
    else:  # class indices: 0/1 against scores, or the columns of a score matrix
        offset, span = 0, 2 if inp.kind == "scores" else inp.p.shape[1]
    lut = np.full(span, -1, np.int64)
    lut[labels.astype(np.int64) - offset] = np.arange(labels.size)
    if inp.bools:  # a byte other than 0 / 1 viewed as bool is True (a pass, small here)
        inp = _validation.canonical_bools(inp)
    return inp.t, inp.p, offset, lut


def _sum_ranges(count: Callable[[int, int], np.ndarray], n_rows: int, weighted: bool,
                n_resamples: int) -> np.ndarray:
    """``count`` over ranges of rows on the counting threads, summed."""
    ranges = _threads.row_ranges(n_rows, cost=n_resamples)
    if not weighted:  # integers: every cut of the rows adds up to the same counts
        return functools.reduce(np.add, _threads.map_ranges(count, ranges))
    # fixed blocks of rows, a wave of one per thread at a time, added in row order: the
    # float sums round the same way whatever the number of threads
    size = max(1, _WEIGHTED_BLOCK_DRAWS // n_resamples)
    blocks = [(lo, min(n_rows, lo + size)) for lo in range(0, n_rows, size)]
    total: np.ndarray | None = None
    for start in range(0, len(blocks), len(ranges)):
        for part in _threads.map_ranges(count, blocks[start:start + len(ranges)]):
            total = part if total is None else np.add(total, part, out=total)
    return cast(np.ndarray, total)  # None only for no rows, which never get here


def _replicate_scores(stats: StatScores, counts: np.ndarray,
                      score: Callable[[StatScores], Any]) -> np.ndarray:
    """``score`` of each replicate's counts: (n_resamples,) or (n_resamples, labels)."""
    rep = stats._copy()  # the same labels and input kind; the counts change per replicate
    out = []
    with warnings.catch_warnings():
        # a replicate may lack a class: its zero divisions are expected (the estimate
        # warned already where scikit-learn would), and so is pos_label's note
        warnings.simplefilter("ignore")
        for r in range(counts.shape[2]):
            rep._tp, rep._true, rep._pred = counts[0, :, r], counts[1, :, r], counts[2, :, r]
            rep.total = rep._true.sum()  # single-label rows: one true label each (accuracy)
            try:
                out.append(score(rep))
            except ZeroDivisionError:  # a replicate of zero total weight: no accuracy
                out.append(np.nan)
    return np.asarray(out, dtype=np.float64)


# ---- Dask --------------------------------------------------------------------------------


def _dask_counts(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any, hint: Any,
                 key: np.uint64, n_resamples: int,
                 estimate_of: Callable[[StatScores], Any]) -> tuple[StatScores, Any, np.ndarray]:
    """Two passes over the chunks: the counts (labels and estimate), then each chunk's
    replicate counts from its global row offset, summed in a tree."""
    import dask

    stats = compute_dask_stat_scores(y_true, y_pred, sample_weight=sample_weight,
                                     threshold=threshold, labels=hint)
    estimate = estimate_of(stats)
    t_parts, p_parts, w_parts = _chunked.aligned_chunks(y_true, y_pred, sample_weight)
    lengths = getattr(y_true, "chunks", ((math.nan,),))[0]
    if any(math.isnan(n) for n in lengths):  # Series / unknown chunk sizes: ask the chunks
        lengths = dask.compute(*(dask.delayed(len)(t) for t in t_parts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).tolist()
    counts = _chunked.count_chunks(_chunk_counts, [t_parts, p_parts, w_parts, starts],
                                   threshold, stats.labels, key, n_resamples,
                                   add=operator.add, empty=StatScores)
    return stats, estimate, counts.compute()


def _chunk_counts(t: Any, p: Any, w: Any, row0: int, threshold: Any, labels: np.ndarray,
                  key: np.uint64, n_resamples: int) -> np.ndarray:
    t, p, w = _chunked.as_numpy(t), _chunked.as_numpy(p), _chunked.as_numpy(w)
    if len(t) == 0:
        return np.zeros((3, labels.size, n_resamples), np.int64 if w is None else np.float64)
    inp = _validation.prepare(t, p, w, threshold, allow_all_zero_weights=True, device="cpu")
    return replicate_counts(inp, labels, key, n_resamples, row0)
