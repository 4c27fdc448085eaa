"""Numba kernels of the exact ranking scores: sort keys, and the ROC curve's points.

Pure functions over 1-D arrays, no validation (``_sorted_counts`` and ``ranking`` do it).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._config import JIT

_LOW32 = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


@njit(**JIT)
def packed_keys_float32(bits):
    """``(~key(score) << 32) | row`` of float32 scores given as their uint32 bits, where
    ``key`` orders like the floats (sign bit set on non-negatives, all bits flipped on
    negatives; -0.0 as +0.0). Sorted ascending: descending scores, ties in row order.
    Scores must not be NaN."""
    n = bits.shape[0]
    out = np.empty(n, np.uint64)
    for i in range(n):
        u = np.uint64(bits[i])
        if u & np.uint64(0x7FFFFFFF) == np.uint64(0):
            u = np.uint64(0)
        key = (u ^ _LOW32) if u >> np.uint64(31) else (u | np.uint64(0x80000000))
        out[i] = ((_LOW32 - key) << _SHIFT) | np.uint64(i)
    return out


@njit(**JIT)
def packed_keys_int(s, offset):
    """The same keys from integer scores of at most 32 bits: ``key = score + offset``,
    with ``offset`` putting the type's smallest value at 0."""
    n = s.shape[0]
    out = np.empty(n, np.uint64)
    for i in range(n):
        key = np.uint64(np.int64(s[i]) + offset)
        out[i] = ((_LOW32 - key) << _SHIFT) | np.uint64(i)
    return out


@njit(**JIT)
def roc_points(tp, fp, drop_intermediate):
    """scikit-learn's ROC points from counts at ascending distinct thresholds.

    Returns (tps, fps, kept): float64, in descending threshold order, with the point
    (0, 0) put first; ``kept`` the indices (descending order) of the thresholds kept.
    With ``drop_intermediate`` (and more than two thresholds), a threshold is kept if it
    is first, last, or where ``diff(fps, 2)`` or ``diff(tps, 2)`` (in float64, as NumPy
    computes them) is non-zero.
    """
    k = tp.shape[0]
    tps = np.empty(k + 1, np.float64)
    fps = np.empty(k + 1, np.float64)
    kept = np.empty(k, np.int64)
    tps[0] = 0.0
    fps[0] = 0.0
    m = 0
    drop = drop_intermediate and k > 2
    for i in range(k):  # i: descending index; tp[k - 1 - i] its count
        keep = True
        if drop and 0 < i < k - 1:
            t0 = np.float64(tp[k - i])
            t1 = np.float64(tp[k - 1 - i])
            t2 = np.float64(tp[k - 2 - i])
            f0 = np.float64(fp[k - i])
            f1 = np.float64(fp[k - 1 - i])
            f2 = np.float64(fp[k - 2 - i])
            keep = ((f2 - f1) - (f1 - f0)) != 0 or ((t2 - t1) - (t1 - t0)) != 0
        if keep:
            m += 1
            tps[m] = tp[k - 1 - i]
            fps[m] = fp[k - 1 - i]
            kept[m - 1] = i
    return tps[:m + 1], fps[:m + 1], kept[:m]


@njit(**JIT)
def label_presence(t, lo, span):
    """Which of the labels ``lo .. lo + span - 1`` occur in ``t`` (every value in that
    range), and whether every value is integral (floats)."""
    present = np.zeros(span, np.bool_)
    integral = True
    for i in range(t.shape[0]):
        v = t[i]
        k = np.int64(v - lo)
        if k != v - lo:
            integral = False
        else:
            present[k] = True
    return present, integral
