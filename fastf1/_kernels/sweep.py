"""Numba kernels for threshold sweeps: one pass of rows into a per-bin histogram.

A sweep asks, for every threshold ``thr[k]`` of an ascending array, how many positive and
negative rows have ``score >= thr[k]``. One pass puts every row in the bin
``j = searchsorted(thr, score, side="right")`` (the number of thresholds <= score), per
column and true label; cumulative sums of the bins then give the counts at every threshold.
Memory is the histogram's, independent of the number of rows.

Like the kernels of ``cpu``: serial ``nogil`` passes over the rows given, returning counts
(``_dispatch.run`` cuts the rows into ranges counted at the same time and adds the results);
checks that need every row are fused into the pass and reported in ``diagnostics`` (slots below).
Inputs are 2-D (rows, columns): a binary problem is one column.

The exact mode (every distinct score a threshold) sorts instead: ``split_by_truth`` and
``merge_sorted`` (unweighted), ``cumulate_sorted`` (weighted, in scikit-learn's order).
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import overload

from ._jit import JIT

# diagnostics slots (int64): truth values other than 0/1, NaN / inf scores, NaN / inf weights
BAD_TRUE, BAD_SCORE, BAD_WEIGHT = range(3)
NDIAG = 3


def _new_hist(shape, w):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_new_hist)
def _new_hist_impl(shape, w):
    """Zeroed bins: int64 row counts, or float64 weight sums when there are weights."""
    if w is None or isinstance(w, types.NoneType):
        return lambda shape, w: np.zeros(shape, np.int64)
    return lambda shape, w: np.zeros(shape, np.float64)


def _row_weight(w, i):  # pragma: no cover
    raise NotImplementedError


@overload(_row_weight)
def _row_weight_impl(w, i):
    if w is None or isinstance(w, types.NoneType):
        return lambda w, i: np.int64(1)
    return lambda w, i: w[i]


@njit(**JIT)
def bin_index(v, thr, uniform, lo, inv_step):
    """Number of thresholds <= v (``np.searchsorted(thr, v, side="right")``), in float64.

    On a uniform grid the bin is computed, then corrected by exact comparisons with ``thr``
    (linspace values are not exactly ``lo + k * step``); otherwise a binary search.
    """
    n_thr = thr.shape[0]
    if uniform:
        g = (v - lo) * inv_step + 1.0
        j = 0 if not g > 0 else (n_thr if g >= n_thr else np.int64(g))
        while j < n_thr and thr[j] <= v:
            j += 1
        while j > 0 and thr[j - 1] > v:
            j -= 1
        return j
    # branch-free halving (a select, not a jump): scores in random order would
    # mispredict every step of an ordinary binary search
    a = 0
    length = n_thr
    while length > 0:
        half = length >> 1
        a = a + length - half if thr[a + half] <= v else a
        length = half
    return a


def _sweep_hist(t, s, w, thr, uniform, lo, inv_step):
    """Histogram of rows by (column, true label, bin): (C, 2, T + 1), and ``diagnostics``.

    ``t`` (n, C) holds 0/1 truth, ``s`` (n, C) scores, ``w`` (n,) weights or None; ``thr``
    the T ascending float64 thresholds. Values not counted (truth not 0/1, NaN / inf score)
    are recorded in ``diagnostics``; a non-finite weight is counted and recorded.
    """
    n, n_cols = t.shape
    n_thr = thr.shape[0]
    hist = _new_hist((n_cols, 2, n_thr + 1), w)
    d = np.zeros(NDIAG, np.int64)
    for i in range(n):
        wi = _row_weight(w, i)
        if not np.isfinite(wi):
            d[BAD_WEIGHT] += 1
        for c in range(n_cols):
            a = t[i, c]
            v = np.float64(s[i, c])
            if not (a == 0 or a == 1):
                d[BAD_TRUE] += 1
            elif not v - v == 0:  # NaN or inf
                d[BAD_SCORE] += 1
            else:
                hist[c, np.int64(a == 1), bin_index(v, thr, uniform, lo, inv_step)] += wi
    return hist, d


sweep_hist = njit(**JIT)(_sweep_hist)


@njit(**JIT)
def split_by_truth(t, s):
    """The scores of positive rows and of negative rows (1-D ``t``, ``s``), and ``diagnostics``.

    One buffer of n scores: positives fill it from the front, negatives from the back.
    """
    n = t.shape[0]
    buf = np.empty(n, s.dtype)
    d = np.zeros(NDIAG, np.int64)
    n_pos = 0
    back = n
    for i in range(n):
        a = t[i]
        v = s[i]
        if not (a == 0 or a == 1):
            d[BAD_TRUE] += 1
        elif not v - v == 0:
            d[BAD_SCORE] += 1
        elif a == 1:
            buf[n_pos] = v
            n_pos += 1
        else:
            back -= 1
            buf[back] = v
    return buf[:n_pos], buf[back:], d


@njit(**JIT)
def merge_sorted(pos, neg):
    """Distinct scores ascending, with the positives and negatives scoring >= each:
    (thresholds, tp, fp) from the ascending scores of the positive and negative rows."""
    n_pos = pos.shape[0]
    n_neg = neg.shape[0]
    thr = np.empty(n_pos + n_neg, pos.dtype)
    tp = np.empty(n_pos + n_neg, np.int64)
    fp = np.empty(n_pos + n_neg, np.int64)
    i = 0
    j = 0
    k = 0
    while i < n_pos or j < n_neg:
        v = pos[i] if j >= n_neg or (i < n_pos and pos[i] < neg[j]) else neg[j]
        thr[k] = v
        tp[k] = n_pos - i
        fp[k] = n_neg - j
        while i < n_pos and pos[i] == v:
            i += 1
        while j < n_neg and neg[j] == v:
            j += 1
        k += 1
    return thr[:k], tp[:k], fp[:k]


@njit(**JIT)
def cumulate_sorted(t, s, w, order):
    """Weighted tp / fp at each distinct score, walking rows in ``order`` (descending
    scores): the sequential sums of ``cumsum(y * w)`` and ``cumsum((1 - y) * w)`` that
    scikit-learn takes, so the results are the same floats. Returns (thresholds, tps, fps),
    descending."""
    n = order.shape[0]
    thr = np.empty(n, s.dtype)
    tps = np.empty(n, np.float64)
    fps = np.empty(n, np.float64)
    tp = 0.0
    fp = 0.0
    k = 0
    for r in range(n):
        i = order[r]
        y = np.float64(t[i])
        tp += y * w[i]
        fp += (1.0 - y) * w[i]
        if r == n - 1 or s[order[r + 1]] != s[i]:
            thr[k] = s[i]
            tps[k] = tp
            fps[k] = fp
            k += 1
    return thr[:k], tps[:k], fps[:k]


@njit(**JIT)
def check_rows(t, s, w):
    """``diagnostics`` of 1-D truth, scores and weights (the weighted exact mode's check pass)."""
    d = np.zeros(NDIAG, np.int64)
    for i in range(t.shape[0]):
        a = t[i]
        v = s[i]
        d[BAD_TRUE] += not (a == 0 or a == 1)
        d[BAD_SCORE] += not v - v == 0
        d[BAD_WEIGHT] += not np.isfinite(w[i])
    return d
