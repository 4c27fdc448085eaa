"""Counts at every distinct score: the one sort behind every exact curve and ranking score.

``distinct_counts`` returns, for each distinct score ``v`` (ascending), the positives and
negatives scoring ``>= v``: scikit-learn's ``confusion_matrix_at_thresholds`` read
backwards. ``precision_recall_curve``, ``roc_curve``, ``det_curve``, ``roc_auc_score`` and
``average_precision_score`` all derive from it.

* Unweighted: integer counts do not depend on the order in which rows are added, so the
  scores of positive and of negative rows are split apart (one pass), the two parts are
  sorted at the same time (NumPy's sort releases the GIL) and merged. Exact int64 counts;
  the only extra memory is one copy of the scores.
* Weighted: float sums depend on the order, so rows are walked in scikit-learn's order
  (zero weights dropped, then a stable sort by descending score) and the sums are
  scikit-learn's floats. Scores of at most 32 bits are sorted as packed 64-bit keys
  (order-preserving score bits, truth, row): a stable radix sort on the score bits,
  no comparison sort of the rows.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ._kernels import sweep as kern
from ._kernels.ranking import (
    cumulate_packed,
    packed_keys_float32,
    packed_keys_int,
    radix_sort_high32,
)
from ._threads import PARALLEL_MIN_ROWS, map_ranges

__all__ = ["distinct_counts", "precision_recall_from_counts", "sorted_parts"]


def distinct_counts(t: np.ndarray, s: np.ndarray,
                    w: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(thresholds, tp, fp, diag): distinct scores ascending, and the positives / negatives
    scoring ``>= thresholds[k]`` (int64, or float64 with weights) of 1-D 0/1 truth ``t``,
    numeric scores ``s`` and float64 weights ``w`` (or None).

    ``diag`` (``_kernels.sweep`` slots) reports truth values other than 0/1 and NaN / inf
    scores or weights; when it is non-zero the other results are empty.
    """
    if w is None:
        pos, neg, diag = sorted_parts(t, s)
        if diag.any():
            return (*_empty(s.dtype, np.int64), diag)
        thr, tp, fp = kern.merge_sorted(pos, neg)
        return thr, tp, fp, diag
    diag = kern.check_rows(t, s, w)
    if diag.any():
        return (*_empty(s.dtype, np.float64), diag)
    keep = w != 0
    if not keep.all():
        t, s, w = t[keep], s[keep], w[keep]
    if s.shape[0] == 0:
        return (*_empty(s.dtype, np.float64), diag)
    if s.dtype.itemsize <= 4 and s.shape[0] < 1 << 31:
        thr, tps, fps = cumulate_packed(_packed_sorted(t, s), s, w)
    else:
        order = s.shape[0] - 1 - np.argsort(s[::-1], kind="stable")[::-1]
        thr, tps, fps = kern.cumulate_sorted(t, s, w, order)
    return thr[::-1], tps[::-1], fps[::-1], diag


def sorted_parts(t: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores of the positive rows, of the negative rows, diag): each part ascending.

    The parts are two disjoint slices of one buffer, sorted in place, at the same time
    when both are large enough to pay for handing one to another thread.
    """
    pos, neg, diag = kern.split_by_truth(t, s)
    if diag.any():
        return pos, neg, diag
    if min(pos.shape[0], neg.shape[0]) >= PARALLEL_MIN_ROWS:
        parts = (pos, neg)
        map_ranges(lambda lo, hi: parts[lo].sort(), [(0, 1), (1, 2)])
    else:
        pos.sort()
        neg.sort()
    return pos, neg, diag


def _packed_sorted(t: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Rows by descending score, ties in row order (scikit-learn's
    ``argsort(stable=True, descending=True)``), as packed keys: score key, truth, row."""
    if s.dtype.kind == "f":
        keys = packed_keys_float32(s.astype(np.float32, copy=False).view(np.uint32), t)
    else:  # bool (as uint8) and integers of at most 32 bits
        low = 0 if s.dtype.kind in "bu" else -(1 << (8 * s.dtype.itemsize - 1))
        keys = packed_keys_int(s, t, -low)
    return radix_sort_high32(keys)


def _empty(dtype: Any, count_dtype: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.empty(0, dtype), np.empty(0, count_dtype), np.empty(0, count_dtype)


def precision_recall_from_counts(thr: np.ndarray, tp: np.ndarray, fp: np.ndarray,
                                 drop_intermediate: bool,
                                 stacklevel: int = 2) -> tuple[np.ndarray, ...]:
    """scikit-learn's ``precision_recall_curve`` arithmetic on the counts of
    ``distinct_counts``: (precision, recall, thresholds), thresholds ascending."""
    # scikit-learn's orientation (descending thresholds) and steps from here on
    tps, fps, thresholds = tp[::-1], fp[::-1], thr[::-1]
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.flatnonzero(np.concatenate(
            [[True], np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), [True]]))
        tps, fps, thresholds = tps[keep], fps[keep], thresholds[keep]
    ps = tps + fps
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(ps != 0, np.divide(tps, ps), 0.0)
    if tps[-1] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all "
                      "thresholds.", stacklevel=stacklevel + 1)
        recall = np.full(tps.shape, 1.0)
    else:
        recall = tps / tps[-1]
    return (np.concatenate([precision[::-1], [1.0]]), np.concatenate([recall[::-1], [0.0]]),
            thresholds[::-1])
