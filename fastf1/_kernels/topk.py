"""Numba kernel of ``top_k_accuracy_score``: one pass over the (n, K) score matrix.

A row is a hit when its true column is among the ``k`` best scores under scikit-learn's tie
rule. scikit-learn sorts each row with a stable ascending argsort and reverses it, so among
equal scores the column with the larger index ranks first. The rank of true column ``c`` is
therefore the number of columns ``i < c`` with ``s[i] > s[c]`` plus the number of columns
``i > c`` with ``s[i] >= s[c]``; the row is a hit when that rank is below ``k``. Counting it
takes one branch-free loop over the row (no sort, no copy of the matrix).

Checks fused into the pass (``diagnostics``, the layout of ``cpu``): a true index outside
``[0, K)`` (after ``offset``) is not counted but recorded (OUT, OUT_MIN / OUT_MAX of the
label), a row holding NaN or inf is recorded in BADVAL_PRED, a non-finite weight in
BAD_WEIGHT. ``hist`` counts the rows of each true column, so the caller can check that
every class occurs in ``y_true``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._jit import JIT
from .cpu import BAD_WEIGHT, BADVAL_PRED, OUT, OUT_MAX, OUT_MIN, new_diagnostics


@njit(**JIT)
def _rank(row, c):
    """(columns ranked above column c under the stable-descending rule, finite values)."""
    sc = row[c]
    above = 0
    finite = 0
    # one branch-free loop over the whole row vectorises; splitting it at c (two loops of
    # varying length) is several times slower at small K
    for i in range(row.shape[0]):
        v = row[i]
        above += (v > sc) | ((v == sc) & (i > c))
        finite += (v - v) == 0  # False for NaN and +-inf
    return above, finite


@njit(**JIT)
def top_k_hits(t, s, w, k, offset):
    """(hits, weighted hits, total weight, rows per true column, diagnostics) of rows ``t``
    (integer labels, column ``t - offset``) against scores ``s`` (n, K); ``w`` None:
    unweighted."""
    n, n_cols = s.shape
    hist = np.zeros(n_cols, np.int64)
    diagnostics = new_diagnostics()
    hits = np.int64(0)
    whits = 0.0
    wsum = 0.0
    for r in range(n):
        label = np.int64(t[r])
        c = label - offset
        if c < 0 or c >= n_cols:
            diagnostics[OUT] += 1
            diagnostics[OUT_MIN] = min(diagnostics[OUT_MIN], label)
            diagnostics[OUT_MAX] = max(diagnostics[OUT_MAX], label)
            continue
        above, finite = _rank(s[r], c)
        if finite != n_cols:
            diagnostics[BADVAL_PRED] += 1
            continue
        hist[c] += 1
        hit = above < k
        if w is None:
            hits += hit
        else:
            wr = w[r]
            if not np.isfinite(wr):
                diagnostics[BAD_WEIGHT] += 1
                continue
            hits += hit
            wsum += wr
            if hit:
                whits += wr
    return hits, whits, wsum, hist, diagnostics
