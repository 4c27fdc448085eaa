"""Threshold sweeps: precision, recall and F at every threshold from one pass over the scores.

``threshold_sweep`` puts every row into the bin of its score among the thresholds (a
histogram per column and true label, see ``_kernels.sweep``); the counts at every threshold
are cumulative sums of the bins, and every score is derived from them by ``_reduce``, as
for the other fastf1 metrics. So the precision at ``thresholds[k]`` is exactly
``precision_score(y_true, y_score >= thresholds[k])``, for every ``k``, in one pass.

``thresholds="exact"`` takes every distinct score as a threshold (a sort, O(n) memory);
``precision_recall_curve`` is built on it and returns scikit-learn's arrays.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _chunked, _reduce, _validation
from ._dispatch import run
from ._kernels import sweep as kern
from ._sklearn_checks import (
    check_bool,
    check_consistent_length,
    check_dense,
    column,
    type_of_target,
)
from ._sorted_counts import distinct_counts, precision_recall_from_counts

__all__ = ["ThresholdSweep", "precision_recall_curve", "threshold_sweep"]


@dataclass(eq=False)
class ThresholdSweep:
    """Counts of a binary (or per-column multilabel) classifier at many thresholds.

    At threshold ``thresholds[k]`` a row is predicted positive when
    ``score >= thresholds[k]`` (compared in float64). Sweeps are additive: two sweeps
    over the same thresholds add (``a + b``) to the sweep of both inputs.

    Attributes
    ----------
    thresholds : ndarray of shape (T,)
        Ascending thresholds.
    tp, fp, fn, tn : ndarray of shape (T,), or (L, T) for multilabel input
        True / false positives and negatives at each threshold: int64, or float64 with
        sample weights.
    exact : bool
        The thresholds are the distinct scores of the input (``thresholds="exact"``).

    Examples
    --------
    >>> from fastf1.curves import threshold_sweep
    >>> sweep = threshold_sweep([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], thresholds=[0.3, 0.5])
    >>> sweep.tp, sweep.fp
    (array([2, 1]), array([1, 0]))
    >>> sweep.precision()
    array([0.66666667, 1.        ])
    >>> sweep.best_threshold()
    0.3
    """

    thresholds: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray
    exact: bool = False

    @property
    def multilabel(self) -> bool:
        """Whether this holds one sweep per column of multilabel input."""
        return self.tp.ndim == 2

    def __repr__(self) -> str:
        cols = f", {self.tp.shape[0]} columns" if self.multilabel else ""
        kind = "exact" if self.exact else "grid"
        return f"ThresholdSweep({self.thresholds.shape[0]} thresholds ({kind}){cols})"

    # ---- scores: _reduce's formulas, element by element -------------------------------

    def _prf(self, beta: float, zero_division: Any, warn_for: tuple[str, ...]) -> tuple:
        _validation.check_zero_division(zero_division)
        _validation.check_beta(beta)
        shape = self.tp.shape
        p, r, f, _ = _reduce.precision_recall_fscore(
            self.tp.ravel(), (self.tp + self.fn).ravel(), (self.tp + self.fp).ravel(),
            beta=beta, average=None, warn_for=warn_for, zero_division=zero_division)
        return p.reshape(shape), r.reshape(shape), f.reshape(shape)

    def precision(self, *, zero_division: Any = "warn") -> np.ndarray:
        """``tp / (tp + fp)`` at each threshold (``precision_score``'s zero_division)."""
        return self._prf(1.0, zero_division, ("precision",))[0]

    def recall(self, *, zero_division: Any = "warn") -> np.ndarray:
        """``tp / (tp + fn)`` at each threshold (``recall_score``'s zero_division)."""
        return self._prf(1.0, zero_division, ("recall",))[1]

    def fbeta(self, beta: float, *, zero_division: Any = "warn") -> np.ndarray:
        """F-beta at each threshold (``fbeta_score``'s formula and zero_division)."""
        return self._prf(beta, zero_division, ("f-score",))[2]

    def f1(self, *, zero_division: Any = "warn") -> np.ndarray:
        """F1 at each threshold."""
        return self.fbeta(1.0, zero_division=zero_division)

    def best_threshold(self, beta: float = 1.0) -> Any:
        """The threshold of the highest F-beta (a float; an array per column for multilabel).

        Ties go to the lowest such threshold (the one of highest recall); undefined F
        (no true and no predicted positives) counts as 0.
        """
        if self.thresholds.shape[0] == 0:
            raise ValueError("the sweep has no thresholds")
        best = self.thresholds[np.argmax(self.fbeta(beta, zero_division=0.0), axis=-1)]
        return best if self.multilabel else best.item()

    # ---- adding sweeps --------------------------------------------------------------

    def __add__(self, other: Any) -> ThresholdSweep:
        """The sweep of both inputs: grid sweeps need the same thresholds; exact sweeps
        merge onto the union of their thresholds (still exact: every distinct score)."""
        if not isinstance(other, ThresholdSweep):
            return NotImplemented
        if self.tp.shape[:-1] != other.tp.shape[:-1]:
            raise ValueError(f"cannot add sweeps of {self.tp.shape[:-1] or 'binary'} and "
                             f"{other.tp.shape[:-1] or 'binary'} columns")
        if self.exact != other.exact:
            raise ValueError("cannot add an exact sweep and a grid sweep")
        if not self.exact:
            if not np.array_equal(self.thresholds, other.thresholds):
                raise ValueError("cannot add sweeps over different threshold grids")
            return ThresholdSweep(self.thresholds, self.tp + other.tp, self.fp + other.fp,
                                  self.fn + other.fn, self.tn + other.tn)
        grid = np.union1d(self.thresholds, other.thresholds)
        mine, theirs = self._counts_at(grid), other._counts_at(grid)
        tp, fp, fn, tn = (a + b for a, b in zip(mine, theirs))
        return ThresholdSweep(grid, tp, fp, fn, tn, exact=True)

    def _counts_at(self, grid: np.ndarray) -> tuple[np.ndarray, ...]:
        """(tp, fp, fn, tn) at other thresholds; exact sweeps only: no score lies between
        two of their thresholds, so a threshold counts as the next one up (or none)."""
        idx = np.searchsorted(self.thresholds, grid, side="left")
        positives, negatives = self._totals()

        def at(a: np.ndarray, past_end: Any) -> np.ndarray:
            end = np.broadcast_to(np.asarray(past_end)[..., None], a.shape[:-1] + (1,))
            end = end.astype(a.dtype)
            return np.concatenate([a, end], axis=-1)[..., idx]

        return (at(self.tp, 0), at(self.fp, 0), at(self.fn, positives), at(self.tn, negatives))

    def _totals(self) -> tuple[Any, Any]:
        if self.thresholds.shape[0] == 0:
            return np.zeros(self.tp.shape[:-1], self.tp.dtype), np.zeros(self.tp.shape[:-1],
                                                                           self.tp.dtype)
        return self.tp[..., 0] + self.fn[..., 0], self.fp[..., 0] + self.tn[..., 0]


# ---- threshold_sweep ------------------------------------------------------------------


def threshold_sweep(y_true: Any, y_score: Any, *, thresholds: Any = 1001,
                    sample_weight: Any = None, pos_label: Any = None) -> ThresholdSweep:
    """tp, fp, fn and tn at every threshold, counted in one pass over the rows.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Binary labels, or a 0/1 multilabel indicator matrix (one sweep per column; a
        single column, shape (n, 1), is read as 1-D, as scikit-learn does).
    y_score : array-like of the shape of y_true
        Scores: probabilities, or any real values with an explicit ``thresholds`` array.
    thresholds : int, array-like or "exact", default=1001
        An int ``T``: ``np.linspace(0, 1, T)``, a grid for probabilities. An array: those
        thresholds (ascending, distinct, finite). ``"exact"``: every distinct score (sorts
        the scores: O(n) memory and time n log n; the grid modes need memory for the
        histogram only, whatever the number of rows).
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights; the counts are then float64 sums of weights.
    pos_label : int, float, bool or str, default=None
        The positive class of 1-D ``y_true``, as in scikit-learn: by default 1 when the labels
        are in {0, 1} or {-1, 1}; required otherwise (e.g. string labels). With
        ``pos_label``, every other label is negative.

    Returns
    -------
    ThresholdSweep
        Counts per threshold: precision, recall, F-beta and the best threshold derive
        from it. At ``thresholds[k]`` they equal scikit-learn's scores of
        ``y_score >= thresholds[k]`` (compared in float64).

    Notes
    -----
    Dask arrays are accepted: every chunk is swept where it lives and the sweeps are
    added. ``pos_label=None`` is then inferred per chunk.

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1.curves import threshold_sweep
    >>> y_true = np.array([0, 0, 1, 1, 1])
    >>> y_score = np.array([0.1, 0.6, 0.35, 0.8, 0.9])
    >>> sweep = threshold_sweep(y_true, y_score, thresholds=5)
    >>> sweep.thresholds
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    >>> sweep.tp
    array([3, 3, 2, 2, 0])
    >>> sweep.f1(zero_division=0)
    array([0.75      , 0.85714286, 0.66666667, 0.8       , 0.        ])
    >>> sweep.best_threshold()
    0.25
    """
    check_dense("threshold_sweep", sample_weight=sample_weight)
    if _validation.is_dask(y_true, y_score, sample_weight):
        return _sweep_dask(y_true, y_score, sample_weight, _grid(thresholds), pos_label)
    return _sweep(y_true, y_score, sample_weight, _grid(thresholds), pos_label, False)


def _grid(thresholds: Any) -> Any:
    """"exact", or the thresholds as an ascending float64 array."""
    if isinstance(thresholds, str):
        if thresholds != "exact":
            raise ValueError(f"thresholds must be an int, an array or 'exact', got {thresholds!r}")
        return thresholds
    if isinstance(thresholds, numbers.Integral) and not isinstance(thresholds, bool):
        if thresholds < 1:
            raise ValueError(f"thresholds must be at least 1, got {thresholds}")
        return np.linspace(0.0, 1.0, int(thresholds))
    try:
        grid = np.asarray(thresholds, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"thresholds must be an int, an array or 'exact': {exc}") from exc
    if grid.ndim != 1 or grid.shape[0] == 0:
        raise ValueError(f"thresholds must be a non-empty 1-D array, got shape {grid.shape}")
    if not np.isfinite(grid).all():
        raise ValueError("thresholds contains NaN or inf")
    if (np.diff(grid) <= 0).any():
        raise ValueError("thresholds must be strictly increasing")
    return grid


def _sweep(y_true: Any, y_score: Any, sample_weight: Any, grid: Any, pos_label: Any,
           allow_all_zero: bool) -> ThresholdSweep:
    """Validate and format (no pass over the rows), count, derive the counts."""
    t, s = (_validation.squeeze_column(_validation.as_array(y, name))
            for y, name in ((y_true, "y_true"), (y_score, "y_score")))
    if _validation._is_sparse(t) or _validation._is_sparse(s):
        raise TypeError("threshold sweeps need dense y_true and y_score")
    n = t.shape[0] if t.ndim else 0
    if t.ndim in (1, 2) and s.ndim == t.ndim:
        _validation.check_length("y_score", s.shape[0], n)
    if t.ndim not in (1, 2) or t.shape != s.shape:
        raise ValueError(f"y_true and y_score must both be 1-D (binary) or both 2-D of the "
                         f"same shape (multilabel); got shapes {t.shape} and {s.shape}")
    if n == 0:
        raise _chunked.empty_input_error()
    w = _validation.as_weights(sample_weight, n, allow_all_zero, second="y_score")
    if s.dtype.kind not in "biuf":
        raise TypeError(f"y_score must hold numbers, got dtype {s.dtype}")
    s = _validation.bool_bytes(s) if s.dtype.kind == "b" else s
    t, inferable = _truth(t, pos_label)

    def count(t: np.ndarray) -> tuple[Any, np.ndarray]:
        if isinstance(grid, str):
            return _count_exact(t, s, w)
        return _count_grid(t, s, w, grid)

    result, diagnostics = count(t)
    if diagnostics[kern.BAD_TRUE] and inferable:
        t = _infer_truth(t)  # {-1, 1} labels, or an error
        result, diagnostics = count(t)
    _check_sweep_diagnostics(diagnostics, t.ndim == 2)
    return result


def _truth(t: np.ndarray, pos_label: Any) -> tuple[np.ndarray, bool]:
    """Truth the kernels count as 0/1, and whether other labels may still be inferred."""
    if t.ndim == 2:
        if pos_label not in (None, 1):
            raise ValueError("pos_label is for 1-D y_true; multilabel columns are 0/1")
        if t.dtype.kind not in "biuf":
            raise ValueError(f"y_true must be a numeric 0/1 indicator matrix, got {t.dtype}")
        return (_validation.bool_bytes(t) if t.dtype.kind == "b" else t), False
    if pos_label is not None:
        # every label but pos_label is negative (scikit-learn's one-vs-rest)
        if t.dtype.kind == "f" and np.isnan(t).any():
            raise ValueError("y_true contains NaN")
        return (t == pos_label).view(np.uint8), False
    if t.dtype.kind in "US":
        _infer_truth(t)  # raises: strings need pos_label
    return (_validation.bool_bytes(t) if t.dtype.kind == "b" else t), True


def _infer_truth(t: np.ndarray) -> np.ndarray:
    """scikit-learn's rule when pos_label is None: labels in {0, 1} or {-1, 1}, positive 1."""
    classes = np.unique(t)
    if t.dtype.kind == "f" and np.isnan(classes).any():
        raise ValueError("y_true contains NaN")
    if t.dtype.kind not in "US" and np.isin(classes, (-1, 1)).all():
        return (t == 1).view(np.uint8)
    shown = ", ".join(repr(c) for c in classes[:10].tolist()) + (", ..." if classes.size > 10 else "")
    if classes.size > 2:  # scikit-learn's type check comes before its pos_label rule
        raise ValueError(f"multiclass format is not supported: y_true takes value in "
                         f"{{{shown}}}; pass pos_label= to score one class against the rest")
    raise ValueError(
        f"y_true takes value in {{{shown}}} and pos_label is not specified: either make "
        "y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly.")


def _check_sweep_diagnostics(diagnostics: np.ndarray, multilabel: bool) -> None:
    if diagnostics[kern.BAD_TRUE]:
        raise ValueError(f"y_true contains {diagnostics[kern.BAD_TRUE]} value(s) other than 0 and 1"
                         + (" (multilabel indicators)" if multilabel else ""))
    if diagnostics[kern.BAD_SCORE]:
        raise ValueError(f"y_score contains {diagnostics[kern.BAD_SCORE]} NaN or inf value(s)")
    if diagnostics[kern.BAD_WEIGHT]:
        raise ValueError(f"sample_weight contains {diagnostics[kern.BAD_WEIGHT]} NaN or inf value(s)")


def _count_grid(t: np.ndarray, s: np.ndarray, w: Any,
                grid: np.ndarray) -> tuple[ThresholdSweep, np.ndarray]:
    """One histogram pass (rows cut into ranges counted at the same time), then the counts
    at each threshold as cumulative sums of the bins."""
    if s.dtype not in (np.float32, np.float64):
        s = s.astype(np.float64)  # few compiled signatures; exact for |integers| < 2**53
    t2, s2 = (t, s) if t.ndim == 2 else (t[:, None], s[:, None])
    uniform, lo, inv_step = _uniformity(grid)
    hist, diagnostics = run(kern.sweep_hist, (t2, s2, w), grid, uniform, lo, inv_step,
                     cost=t2.shape[1], diagnostics=False)
    above = np.cumsum(hist[..., ::-1], axis=-1)[..., ::-1]  # above[..., j]: bins >= j
    below = np.cumsum(hist, axis=-1)  # below[..., j]: bins <= j
    # at thresholds[k] a row is positive iff its bin (thresholds <= score) is > k
    counts = above[:, 1, 1:], above[:, 0, 1:], below[:, 1, :-1], below[:, 0, :-1]
    if t.ndim == 1:
        counts = tuple(c[0] for c in counts)
    tp, fp, fn, tn = (np.ascontiguousarray(c) for c in counts)
    return ThresholdSweep(grid, tp, fp, fn, tn), diagnostics


def _uniformity(grid: np.ndarray) -> tuple[bool, float, float]:
    """(uniform, first, 1 / step): the kernel computes bins of a grid whose thresholds lie
    within half a step of ``first + k * step``, and binary-searches any other."""
    if grid.shape[0] < 2:
        return False, 0.0, 0.0
    step = (grid[-1] - grid[0]) / (grid.shape[0] - 1)
    ideal = grid[0] + step * np.arange(grid.shape[0])
    uniform = bool(step > 0 and np.abs(grid - ideal).max() <= 0.5 * step)
    return uniform, float(grid[0]), float(1.0 / step) if uniform else 0.0


def _count_exact(t: np.ndarray, s: np.ndarray, w: Any) -> tuple[ThresholdSweep, np.ndarray]:
    """Every distinct score a threshold: per column, sort and walk (see ``_exact_column``);
    multilabel columns are then put on the union of their thresholds."""
    if t.ndim == 1:
        return _exact_column(t, s, w)
    columns = []
    diagnostics = np.zeros(kern.NDIAG, np.int64)
    for c in range(t.shape[1]):
        col, d = _exact_column(t[:, c], s[:, c], w)
        columns.append(col)
        diagnostics += d
    if diagnostics.any():
        return columns[0], diagnostics
    grid = np.unique(np.concatenate([c.thresholds for c in columns]))
    per_column = [c._counts_at(grid) for c in columns]
    tp, fp, fn, tn = (np.stack(k) for k in zip(*per_column))
    return ThresholdSweep(grid, tp, fp, fn, tn, exact=True), diagnostics


def _exact_column(t: np.ndarray, s: np.ndarray, w: Any) -> tuple[ThresholdSweep, np.ndarray]:
    thr, tp, fp, diagnostics = distinct_counts(t, s, w)
    if thr.shape[0] == 0:
        return _empty_exact(s.dtype, tp.dtype), diagnostics
    return ThresholdSweep(thr, tp, fp, tp[0] - tp, fp[0] - fp, True), diagnostics


def _empty_exact(dtype: Any, count_dtype: Any = np.int64) -> ThresholdSweep:
    tp, fp, fn, tn = (np.empty(0, count_dtype) for _ in range(4))
    return ThresholdSweep(np.empty(0, dtype), tp, fp, fn, tn,
                          exact=True)


# ---- Dask: sweep every chunk where it lives, add the sweeps ---------------------------


def _sweep_chunk(t: Any, s: Any, w: Any, grid: Any, pos_label: Any) -> ThresholdSweep | None:
    t, s = _chunked.as_numpy(t), _chunked.as_numpy(s)
    if len(t) == 0:
        return None
    return _sweep(t, s, _chunked.as_numpy(w), grid, pos_label, True)


def _no_sweep() -> None:
    return None


def _add_parts(a: ThresholdSweep | None, b: ThresholdSweep | None) -> ThresholdSweep | None:
    return b if a is None else a if b is None else a + b


def _sweep_dask(y_true: Any, y_score: Any, sample_weight: Any, grid: Any,
                pos_label: Any) -> ThresholdSweep:
    chunks = list(_chunked.aligned_chunks(y_true, y_score, sample_weight))
    total = _chunked.count_chunks(_sweep_chunk, chunks, grid, pos_label, add=_add_parts,
                                  empty=_no_sweep).compute()
    if total is None:
        raise _chunked.empty_input_error()
    return total


# ---- precision_recall_curve -------------------------------------------------------------


def precision_recall_curve(y_true: Any, y_score: Any, *, pos_label: Any = None,
                           sample_weight: Any = None,
                           drop_intermediate: bool = False) -> tuple[np.ndarray, ...]:
    """Precision-recall pairs at every distinct score: ``sklearn.metrics.precision_recall_curve``.

    Same signature, same arrays (bit for bit; weighted sums are added in scikit-learn's
    order), same warning. Built on ``threshold_sweep(..., thresholds="exact")``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels: {0, 1} or {-1, 1}, else ``pos_label`` is required.
    y_score : array-like of shape (n_samples,)
        Scores: probabilities or decision values.
    pos_label : int, float, bool or str, default=None
        The positive class.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights; rows of weight 0 are dropped first (they make no threshold).
    drop_intermediate : bool, default=False
        Drop thresholds that do not change the recall and are not at a corner of the curve.

    Returns
    -------
    precision : ndarray of shape (n_thresholds + 1,)
        Precision at ``thresholds[i]``; the last element is 1.
    recall : ndarray of shape (n_thresholds + 1,)
        Decreasing recall at ``thresholds[i]``; the last element is 0.
    thresholds : ndarray of shape (n_thresholds,)
        Increasing distinct scores.

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1.curves import precision_recall_curve
    >>> precision, recall, thresholds = precision_recall_curve(
    ...     np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> precision
    array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ])
    >>> recall
    array([1. , 1. , 0.5, 0.5, 0. ])
    >>> thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ])
    """
    check_dense("precision_recall_curve", y_true=y_true, y_score=y_score,
                sample_weight=sample_weight)
    check_bool("precision_recall_curve", "drop_intermediate", drop_intermediate)
    t = _validation.as_array(y_true, "y_true")
    if not _validation._is_sparse(t) and t.size:
        # scikit-learn's target check (binary, or multiclass with pos_label)
        y_type, _ = type_of_target(t)
        if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
            raise ValueError(f"{y_type} format is not supported")
    t = _validation.squeeze_column(t)
    if t.ndim != 1:
        raise ValueError("multilabel-indicator format is not supported")
    if sample_weight is not None and not _validation.is_dask(sample_weight):
        # confusion_matrix_at_thresholds' order: the lengths, then column_or_1d (an (n, 1)
        # column is taken; a dict is no 1-D array)
        check_consistent_length(t, y_score, sample_weight)
        sample_weight = column(_validation.weight_values(sample_weight))
    sweep = threshold_sweep(t, y_score, thresholds="exact", sample_weight=sample_weight,
                            pos_label=pos_label)
    # thresholds in the scores' own dtype, as scikit-learn returns them (the kernels count
    # bool scores as uint8 and half precision as float32)
    score_dtype = _validation._numpy(y_score).dtype
    if score_dtype.kind in "biuf" and sweep.thresholds.dtype != score_dtype:
        sweep.thresholds = sweep.thresholds.astype(score_dtype)
    return precision_recall_from_counts(sweep.thresholds, sweep.tp, sweep.fp,
                                        drop_intermediate, stacklevel=3)

