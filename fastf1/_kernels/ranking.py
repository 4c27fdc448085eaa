"""Numba kernels of the exact ranking scores: sort keys, and the ROC curve's points.

Pure functions over 1-D arrays, no validation (``_sorted_counts`` and ``ranking`` do it).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._jit import JIT

_LOW32 = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


@njit(**JIT)
def packed_keys_float32(bits, t):
    """``(~key(score) << 32) | (truth << 31) | row`` of float32 scores given as their
    uint32 bits and 0/1 truth ``t`` (fewer than 2**31 rows), where ``key`` orders like
    the floats (sign bit set on non-negatives, all bits flipped on negatives; -0.0 as
    +0.0). Sorted by the high 32 bits, stably: descending scores, ties in row order.
    Scores must not be NaN."""
    n = bits.shape[0]
    out = np.empty(n, np.uint64)
    for i in range(n):
        u = np.uint64(bits[i])
        if u & np.uint64(0x7FFFFFFF) == np.uint64(0):
            u = np.uint64(0)
        key = (u ^ _LOW32) if u >> np.uint64(31) else (u | np.uint64(0x80000000))
        out[i] = ((_LOW32 - key) << _SHIFT) | _truth_row(t, i)
    return out


@njit(**JIT)
def _truth_row(t, i):
    return (np.uint64(0x80000000) if t[i] == 1 else np.uint64(0)) | np.uint64(i)


@njit(**JIT)
def packed_keys_int(s, t, offset):
    """The same keys from integer scores of at most 32 bits: ``key = score + offset``,
    with ``offset`` putting the type's smallest value at 0."""
    n = s.shape[0]
    out = np.empty(n, np.uint64)
    for i in range(n):
        key = np.uint64(np.int64(s[i]) + offset)
        out[i] = ((_LOW32 - key) << _SHIFT) | _truth_row(t, i)
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


@njit(**JIT)
def label_codes(t, lo, lut):
    """``lut[t - lo]`` for every row (-1 where ``t`` falls outside ``lut``): the index of
    each label among the classes; and the number of rows without one."""
    n = t.shape[0]
    out = np.empty(n, np.int64)
    missing = 0
    span = lut.shape[0]
    for i in range(n):
        k = np.int64(t[i] - lo)
        c = lut[k] if 0 <= k < span and k == t[i] - lo else -1
        out[i] = c
        missing += c < 0
    return out, missing


@njit(**JIT)
def clipped_true_proba(p, code, lo, hi, one):
    """The clipped probability of each row's true class, in ``p``'s dtype: ``p[i, code[i]]``
    of an (n, K) matrix; of an (n, 1) column read as ``[1 - p, p]`` (scikit-learn's binary
    stacking, ``1 - p`` rounded in ``p``'s dtype). Clipped to [lo, hi] as ``np.clip``."""
    n = p.shape[0]
    out = np.empty(n, p.dtype)
    column = p.shape[1] == 1
    for i in range(n):
        if column:
            v = p[i, 0] if code[i] == 1 else one - p[i, 0]
        else:
            v = p[i, code[i]]
        out[i] = min(max(v, lo), hi)
    return out


@njit(**JIT)
def binary_brier_rows(p, t01, one):
    """``((1 - t) - (1 - p))**2 + (t - p)**2`` per row, in ``p``'s dtype: scikit-learn's
    row sums of squared differences of the stacked binary labels and probabilities."""
    n = p.shape[0]
    out = np.empty(n, p.dtype)
    zero = one - one
    for i in range(n):
        t = one if t01[i] else zero
        a = (one - t) - (one - p[i])
        b = t - p[i]
        out[i] = a * a + b * b
    return out


@njit(**JIT)
def calibration_bins(p, t01, inner_edges, n_bins):
    """Per bin of ``searchsorted(inner_edges, p)`` (compared in float64): the sum of the
    probabilities and of the truths (float64, added in row order as ``np.bincount`` adds
    its weights) and the number of rows."""
    sums = np.zeros(n_bins, np.float64)
    trues = np.zeros(n_bins, np.float64)
    totals = np.zeros(n_bins, np.int64)
    m = inner_edges.shape[0]
    for i in range(p.shape[0]):
        v = np.float64(p[i])
        a = 0 if v == v else m  # NaN sorts last, as in np.searchsorted
        length = m if v == v else 0
        while length > 0:  # first edge >= v: np.searchsorted(side="left")
            half = length >> 1
            if inner_edges[a + half] < v:
                a = a + half + 1
                length = length - half - 1
            else:
                length = half
        sums[a] += v
        trues[a] += 1.0 if t01[i] else 0.0
        totals[a] += 1
    return sums, trues, totals


@njit(**JIT)
def radix_sort_high32(keys):
    """``keys`` (uint64) stably sorted by their high 32 bits: an LSD radix sort, three
    passes of 11 bits, skipping a pass whose digit is the same in every key. Stable, so
    keys packed as (sort key, row) keep tied rows in row order. Returns the sorted keys
    (``keys`` itself or a new array; ``keys`` is overwritten)."""
    n = keys.shape[0]
    buf = np.empty(0, np.uint64)
    src = keys
    for shift in (32, 43, 54):
        sh = np.uint64(shift)
        counts = np.zeros(2049, np.int64)
        for i in range(n):
            counts[np.int64((src[i] >> sh) & np.uint64(0x7FF)) + 1] += 1
        if counts.max() == n:  # one digit for every key: the pass would move nothing
            continue
        for d in range(1, 2049):
            counts[d] += counts[d - 1]
        if buf.shape[0] == 0:
            buf = np.empty(n, np.uint64)
        dst = buf if src is keys else keys
        for i in range(n):
            d = np.int64((src[i] >> sh) & np.uint64(0x7FF))
            dst[counts[d]] = src[i]
            counts[d] += 1
        src = dst
    return src


@njit(**JIT)
def average_precision_terms(tp, fp):
    """``diff(recall) * precision[:-1]`` of scikit-learn's precision-recall curve, from
    counts at ascending distinct thresholds, element for element as NumPy computes them
    (``-sum`` of it, in NumPy's order, is the average precision). With no positives the
    recall is 1 at every threshold, as scikit-learn sets it."""
    k = tp.shape[0]
    out = np.empty(k, np.float64)
    total = np.float64(tp[0])
    for i in range(k):
        ps = tp[i] + fp[i]
        precision = np.float64(tp[i]) / np.float64(ps) if ps != 0 else 0.0
        if total == 0:
            r0 = 1.0
            r1 = 1.0 if i + 1 < k else 0.0
        else:
            r0 = np.float64(tp[i]) / total
            r1 = np.float64(tp[i + 1]) / total if i + 1 < k else 0.0
        out[i] = (r1 - r0) * precision
    return out


@njit(**JIT)
def roc_from_sorted(pos, neg, drop_intermediate):
    """``roc_points`` straight from the ascending scores of the positive and negative rows,
    walked from the top: (tps, fps, thresholds), float64, descending thresholds, with
    (0, 0, inf) put first. The same points and floats as merging the scores into counts
    first; the counts at dropped thresholds are never stored."""
    i = pos.shape[0] - 1
    j = neg.shape[0] - 1
    cap = pos.shape[0] + neg.shape[0] + 1
    tps = np.empty(cap, np.float64)
    fps = np.empty(cap, np.float64)
    thr = np.empty(cap, np.float64)
    tps[0] = 0.0
    fps[0] = 0.0
    thr[0] = np.inf
    m = 1
    tp = 0
    fp = 0
    n_points = 0
    # the last two points made (t0, f0) and (t1, f1, v1); (t1, f1) is decided when the
    # next point arrives: kept if it is the first, or where diff(., 2) is non-zero
    t0 = 0.0
    f0 = 0.0
    t1 = 0.0
    f1 = 0.0
    v1 = 0.0
    while i >= 0 or j >= 0:
        if j < 0 or (i >= 0 and pos[i] > neg[j]):
            v = pos[i]
        else:
            v = neg[j]
        while i >= 0 and pos[i] == v:
            tp += 1
            i -= 1
        while j >= 0 and neg[j] == v:
            fp += 1
            j -= 1
        t2 = np.float64(tp)
        f2 = np.float64(fp)
        if n_points >= 1:
            keep = (n_points == 1 or not drop_intermediate
                    or ((f2 - f1) - (f1 - f0)) != 0 or ((t2 - t1) - (t1 - t0)) != 0)
            if keep:
                tps[m] = t1
                fps[m] = f1
                thr[m] = v1
                m += 1
        t0, f0 = t1, f1
        t1, f1, v1 = t2, f2, np.float64(v)
        n_points += 1
    if n_points >= 1:  # the last point is always kept
        tps[m] = t1
        fps[m] = f1
        thr[m] = v1
        m += 1
    return tps[:m], fps[:m], thr[:m]


@njit(**JIT)
def cumulate_packed(keys, s, w):
    """Weighted tp / fp at each distinct score from keys sorted by ``radix_sort_high32``:
    high 32 bits the (descending) score key, bit 31 the row's truth, the low 31 bits its
    row. The sums ``cumsum(y * w)`` and ``cumsum((1 - y) * w)`` are added row by row in
    that order, as scikit-learn adds them. Returns (thresholds, tps, fps), descending;
    a threshold is the score of the last row of its tie (``s``'s own value, so -0.0
    stays -0.0 where scikit-learn's would)."""
    n = keys.shape[0]
    thr = np.empty(n, s.dtype)
    tps = np.empty(n, np.float64)
    fps = np.empty(n, np.float64)
    tp = 0.0
    fp = 0.0
    k = 0
    for r in range(n):
        key = keys[r]
        i = np.int64(key & np.uint64(0x7FFFFFFF))
        y = 1.0 if key & np.uint64(0x80000000) else 0.0
        tp += y * w[i]
        fp += (1.0 - y) * w[i]
        if r == n - 1 or (keys[r + 1] >> _SHIFT) != (key >> _SHIFT):
            thr[k] = s[i]
            tps[k] = tp
            fps[k] = fp
            k += 1
    return thr[:k], tps[:k], fps[:k]
