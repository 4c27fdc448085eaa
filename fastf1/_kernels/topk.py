"""Numba kernel of ``top_k_accuracy_score``: one pass over the (n, K) score matrix.

A row is a hit when its true column is among the ``k`` best scores under scikit-learn's tie
rule. scikit-learn sorts each row with a stable ascending argsort and reverses it, so among
equal scores the column with the larger index ranks first. The rank of true column ``c`` is
therefore the number of columns ``i < c`` with ``s[i] > s[c]`` plus the number of columns
``i > c`` with ``s[i] >= s[c]``; the row is a hit when that rank is below ``k``. Counting it
takes one compare per score (no sort, no copy of the matrix).

Rows are ranked four at a time, one per SIMD lane (``simd.rank_rows``, as the fused argmax
of ``cpu`` reads them), for any layout of the matrix: two compares per score count the
columns scoring more and the same as the true one, which settles the rank unless ties
straddle ``k``; such rows (and rows with a bad label, value or weight) are ranked one by
one.

Hits and weights are added per group (``g``: a group code per row, or None for one group),
so one pass scores every group. Checks fused into the pass (``diagnostics``, the layout of
``cpu``): a true index outside ``[0, K)`` (after ``offset``) is not counted but recorded
(OUT, OUT_MIN / OUT_MAX of the label), a row holding NaN or inf is recorded in BADVAL_PRED,
a non-finite weight in BAD_WEIGHT. ``seen`` (with ``present``) marks each (group, true
column) that occurs, so the caller can check that every class occurs in ``y_true``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import overload

from ._jit import JIT
from .cpu import BAD_WEIGHT, BADVAL_PRED, OUT, OUT_MAX, OUT_MIN, new_diagnostics
from .simd import ROWS, rank_rows

#: ``simd.rank_rows`` counts in int32 lanes: wider rows (not a practical size) go one by one
_LANE_COLUMNS_MAX = (1 << 31) - 1


@njit(**JIT)
def _rank(s, r, c):
    """(columns ranked above column c of row r, finite values of the row)."""
    sc = s[r, c]
    above = 0
    finite = 0
    # one branch-free loop over the whole row vectorises; splitting it at c (two loops of
    # varying length) is several times slower at small K
    for i in range(s.shape[1]):
        v = s[r, i]
        above += (v > sc) | ((v == sc) & (i > c))
        finite += (v - v) == 0  # False for NaN and +-inf
    return above, finite


def _group(g, r, goffset):  # pragma: no cover - replaced by the overload below
    raise NotImplementedError


@overload(_group, inline="always")
def _group_impl(g, r, goffset):
    """The group index of row r: 0 without groups; else ``g[r] - goffset`` (goffset has
    g's dtype, and the difference is taken in int64: no overflow)."""
    if g is None or isinstance(g, types.NoneType):
        return lambda g, r, goffset: 0
    return lambda g, r, goffset: np.int64(g[r] - goffset)


@njit(**JIT)
def _add_row(hits, whits, wsum, rows, seen, w, r, q, c, hit, present, d):
    """Count row r (group q, true column c, hit or not); a non-finite weight is recorded
    instead."""
    if w is not None:
        wr = w[r]
        if not np.isfinite(wr):
            d[BAD_WEIGHT] += 1
            return
        wsum[q] += wr
        if hit:
            whits[q] += wr
    hits[q] += hit
    rows[q] += 1
    if present:
        seen[q, c] = True


@njit(**JIT)
def _one_row(t, s, w, g, goffset, k, offset, r, hits, whits, wsum, rows, seen, present, d):
    """Rank and count row r on its own, recording a bad label or value."""
    label = np.int64(t[r])
    c = label - offset
    if c < 0 or c >= s.shape[1]:
        d[OUT] += 1
        d[OUT_MIN] = min(d[OUT_MIN], label)
        d[OUT_MAX] = max(d[OUT_MAX], label)
        return
    above, finite = _rank(s, r, c)
    if finite != s.shape[1]:
        d[BADVAL_PRED] += 1
        return
    _add_row(hits, whits, wsum, rows, seen, w, r, _group(g, r, goffset), c, above < k,
             present, d)


@njit(**JIT)
def top_k_hits(t, s, w, g, goffset, ngroups, k, offset, present):
    """(hits, weighted hits, total weight, rows, seen, diagnostics) of rows ``t`` (integer
    labels, column ``t - offset``) against scores ``s`` (n, K), per group: ``g`` the group
    code of each row (``g - goffset`` in ``[0, ngroups)``, which the caller guarantees) or
    None (one group). ``w`` None: unweighted (the weighted sums are then empty). ``rows``
    counts the rows counted; ``seen[q, c]``: a counted row of group q has true column c
    (``present`` False: not filled, shape (ngroups, 0))."""
    n, n_cols = s.shape
    hits = np.zeros(ngroups, np.int64)
    rows = np.zeros(ngroups, np.int64)
    weighted = w is not None
    whits = np.zeros(ngroups if weighted else 0, np.float64)
    wsum = np.zeros(ngroups if weighted else 0, np.float64)
    seen = np.zeros((ngroups, n_cols if present else 0), np.bool_)
    d = new_diagnostics()
    # one group: its sums stay in registers (stores to ``seen`` could alias the arrays)
    n_hits = np.int64(0)
    n_rows = np.int64(0)
    w_hits = 0.0
    w_sum = 0.0
    ucols = np.uint64(n_cols)
    first = 0  # the rows before it are counted
    if n_cols <= _LANE_COLUMNS_MAX:
        for i in range(0, n - ROWS + 1, ROWS):
            c0 = np.int64(t[i]) - offset
            c1 = np.int64(t[i + 1]) - offset
            c2 = np.int64(t[i + 2]) - offset
            c3 = np.int64(t[i + 3]) - offset
            inside = ((np.uint64(c0) < ucols) & (np.uint64(c1) < ucols)
                      & (np.uint64(c2) < ucols) & (np.uint64(c3) < ucols))
            if inside:
                (a0, a1, a2, a3), (e0, e1, e2, e3), (f0, f1, f2, f3) = rank_rows(
                    s, i, (c0, c1, c2, c3))
                # a row's rank lies between a (scoring more) and a + e - 1 (e: scoring the
                # same, itself included): a hit if a + e <= k, a miss if a >= k; in between
                # ties decide, and the rows are ranked one by one below
                h0, h1, h2, h3 = a0 + e0 <= k, a1 + e1 <= k, a2 + e2 <= k, a3 + e3 <= k
                sure = (f0 & f1 & f2 & f3 & (h0 | (a0 >= k)) & (h1 | (a1 >= k))
                        & (h2 | (a2 >= k)) & (h3 | (a3 >= k)))
                if weighted:
                    w0, w1, w2, w3 = w[i], w[i + 1], w[i + 2], w[i + 3]
                    w4 = w0 + w1 + w2 + w3
                    sure &= w4 - w4 == 0  # finite weights (an overflow is re-checked)
                if sure:
                    q0, q1 = _group(g, i, goffset), _group(g, i + 1, goffset)
                    q2, q3 = _group(g, i + 2, goffset), _group(g, i + 3, goffset)
                    if present:
                        seen[q0, c0] = True
                        seen[q1, c1] = True
                        seen[q2, c2] = True
                        seen[q3, c3] = True
                    if g is None:
                        n_hits += np.int64(h0) + np.int64(h1) + np.int64(h2) + np.int64(h3)
                        n_rows += ROWS
                        if weighted:
                            w_sum += w4
                            w_hits += ((w0 if h0 else 0.0) + (w1 if h1 else 0.0)
                                       + (w2 if h2 else 0.0) + (w3 if h3 else 0.0))
                    else:
                        hits[q0] += h0
                        hits[q1] += h1
                        hits[q2] += h2
                        hits[q3] += h3
                        rows[q0] += 1
                        rows[q1] += 1
                        rows[q2] += 1
                        rows[q3] += 1
                        if weighted:
                            wsum[q0] += w0
                            wsum[q1] += w1
                            wsum[q2] += w2
                            wsum[q3] += w3
                            whits[q0] += w0 if h0 else 0.0
                            whits[q1] += w1 if h1 else 0.0
                            whits[q2] += w2 if h2 else 0.0
                            whits[q3] += w3 if h3 else 0.0
                    continue
            # a bad label, value or weight among the four, a sum that overflowed, or ties
            # that decide a rank: one by one
            for r in range(i, i + ROWS):
                _one_row(t, s, w, g, goffset, k, offset, r, hits, whits, wsum, rows, seen,
                         present, d)
        first = n - n % ROWS
    for r in range(first, n):
        _one_row(t, s, w, g, goffset, k, offset, r, hits, whits, wsum, rows, seen, present, d)
    hits[0] += n_hits
    rows[0] += n_rows
    if weighted:
        whits[0] += w_hits
        wsum[0] += w_sum
    return hits, whits, wsum, rows, seen, d
