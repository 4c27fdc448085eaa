"""Numba kernels of the one-pass Poisson bootstrap.

Each row i takes part in replicate r with a weight ~ Poisson(1) drawn from a counter-based
generator: the draw is a pure function of (key, global row index i, r), so a range of rows
counts every replicate on its own, on any thread, and the counts of all ranges add up to the
same integers whichever way the rows were cut (threads, Dask chunks).

The generator is splitmix64 read at a counter: ``mix(key + c * GAMMA)``, splitmix64's output
when its state is ``key + c * GAMMA``, for ``c = i * n_pairs + j`` (``j = r // 2``). One 64-bit value feeds two replicates (its low and high 32 bits), each turned into
Poisson(1) by inversion against an integer CDF table (``POISSON_CDF``).

Like the counting kernels in ``cpu.py``: pure, no validation messages, counts of labels
already known to be valid (the ordinary counting pass has checked every row). A row whose
index falls outside the label table is not counted but returned as ``nbad`` (the data changed
between the two passes), so a bad index never reads outside an array.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ._jit import JIT
from .cpu import _label_index, _row_predicted

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_LOW32 = np.uint64(0xFFFFFFFF)


def _poisson1_cdf() -> np.ndarray:
    """Thresholds T_k = round(P(X <= k) * 2**32) of X ~ Poisson(1), as uint64.

    For a uniform 32-bit u, ``sum(u >= T_k)`` is a Poisson(1) draw; the table stops where
    T_k reaches 2**32 (k = 12: the tail beyond it has probability ~2e-10, below 2**-32).
    """
    thresholds = []
    cdf = 0.0
    for k in range(64):
        cdf += math.exp(-1.0) / math.factorial(k)
        t = round(cdf * 2.0**32)
        if t >= 2**32:
            break
        thresholds.append(t)
    return np.array(thresholds, np.uint64)


POISSON_CDF = _poisson1_cdf()
# a compile-time trip count: the inversion loop unrolls and the draws vectorise
_NCDF = POISSON_CDF.shape[0]


@njit(**JIT)
def _mix(z):
    """splitmix64's output function."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(**JIT)
def poisson_weights(key, row, cdf, out, hbuf):
    """``out[r]`` = the Poisson(1) weight of global row ``row`` in replicate r.

    ``out`` has an even length (two replicates per 64-bit value; replicates past the
    caller's n_resamples are drawn and ignored); ``hbuf`` (uint64, half that length) is
    scratch. Hashing and inversion are two loops because each vectorises on its own
    (fused into one loop, neither does).
    """
    n_pairs = hbuf.shape[0]
    base = key + np.uint64(row) * np.uint64(n_pairs) * _GAMMA
    for j in range(n_pairs):
        hbuf[j] = _mix(base + np.uint64(j) * _GAMMA)
    for j in range(n_pairs):
        h = hbuf[j]
        u0 = h & _LOW32
        u1 = h >> np.uint64(32)
        k0 = 0
        k1 = 0
        for m in range(_NCDF):  # branch-free inversion
            k0 += u0 >= cdf[m]
            k1 += u1 >= cdf[m]
        out[2 * j] = k0
        out[2 * j + 1] = k1


@njit(**JIT)
def _row_weights(w, i, key, row, cdf, kbuf, hbuf):
    """Fill ``kbuf`` with row i's replicate weights: Poisson draws, times w[i] if weighted."""
    poisson_weights(key, row, cdf, kbuf, hbuf)
    if w is not None:
        wi = w[i]
        for r in range(kbuf.shape[0]):
            kbuf[r] *= wi


def _label_counts(t, p, w, thr, offset, lut, key, row0, cdf, cnt):
    """Add each replicate's per-label counts of 1-D truth into ``cnt`` (3, K, R): rows tp,
    true, pred; int64, or float64 holding weight * Poisson draw when ``w`` is given.

    The label index of a value v is ``lut[v - offset]`` (``_label_index``); predictions are
    labels (1-D p), the argmax of a score row (2-D p) or ``p >= thr`` (1-D scores, thr a
    float). ``row0`` is the global index of row 0. Returns the number of rows not counted.
    """
    n = t.shape[0]
    n_res = cnt.shape[2]
    kbuf = np.zeros(n_res + (n_res & 1), cnt.dtype)
    hbuf = np.zeros(kbuf.shape[0] // 2, np.uint64)
    ucap = np.uint64(lut.shape[0])
    nbad = 0
    for i in range(n):
        ra, ok_a = _label_index(t[i], offset)
        rb, ok_b = _row_predicted(p, i, thr, offset)
        a = lut[ra] if ok_a and np.uint64(ra) < ucap else -1
        b = lut[rb] if ok_b and np.uint64(rb) < ucap else -1
        if a < 0 or b < 0:
            nbad += 1
            continue
        _row_weights(w, i, key, row0 + i, cdf, kbuf, hbuf)
        for r in range(n_res):
            cnt[1, a, r] += kbuf[r]
        for r in range(n_res):
            cnt[2, b, r] += kbuf[r]
        if a == b:
            for r in range(n_res):
                cnt[0, a, r] += kbuf[r]
    return nbad


label_counts = njit(**JIT)(_label_counts)


def _multilabel_counts(T, P, w, thr, key, row0, cdf, cnt):
    """``_label_counts`` for indicator matrices: column j of T / P is label j; P holds 0/1
    indicators, or scores compared with ``thr[j]`` (a float64 array) when thr is given."""
    n, n_labels = T.shape
    n_res = cnt.shape[2]
    kbuf = np.zeros(n_res + (n_res & 1), cnt.dtype)
    hbuf = np.zeros(kbuf.shape[0] // 2, np.uint64)
    for i in range(n):
        _row_weights(w, i, key, row0 + i, cdf, kbuf, hbuf)
        for j in range(n_labels):
            a = T[i, j] != 0
            if thr is None:
                b = P[i, j] != 0
            else:
                b = P[i, j] >= thr[j]
            if a:
                for r in range(n_res):
                    cnt[1, j, r] += kbuf[r]
            if b:
                for r in range(n_res):
                    cnt[2, j, r] += kbuf[r]
            if a and b:
                for r in range(n_res):
                    cnt[0, j, r] += kbuf[r]
    return 0


multilabel_counts = njit(**JIT)(_multilabel_counts)
