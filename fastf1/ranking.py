"""Ranking scores from one sort: ROC AUC, average precision, the ROC and DET curves.

scikit-learn's functions, signatures, results, warnings and errors. Every curve and score
derives from the counts at each distinct score (``_sorted_counts.distinct_counts``): the
positives and negatives of a binary column are sorted apart, at the same time, and merged
into int64 counts (weighted: float64 sums in scikit-learn's order). From those counts the
arithmetic is scikit-learn's, operation for operation, so the results are its floats.
"""

from __future__ import annotations

import numbers
import warnings
from itertools import combinations
from typing import Any

import numpy as np

from . import _validation
from ._kernels.ranking import average_precision_terms, roc_from_sorted, roc_points
from ._sklearn_checks import (
    check_average,
    check_bool,
    check_consistent_length,
    check_dense,
    column,
    input_array,
    param_error,
    pos_label_of,
    scores,
    truth01,
    type_of_target,
    weights,
)
from ._sorted_counts import distinct_counts, sorted_parts
from .exceptions import UndefinedMetricWarning
from .histogram import (
    binned_average_precision,
    binned_roc_auc,
    binned_roc_curve,
    check_bins,
    each_group,
    warn_no_samples,
)

__all__ = ["average_precision_score", "det_curve", "roc_auc_score", "roc_curve"]

# ---- the binary curve: counts at each distinct score ------------------------------------


def _counts(t01: np.ndarray, s: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, ...]:
    """(thresholds, tp, fp) ascending: ``confusion_matrix_at_thresholds`` read backwards."""
    _validation.check_some_weight(w)  # checked where scikit-learn checks it
    thr, tp, fp, diag = distinct_counts(t01, s, w)
    if diag.any():  # the inputs were checked: only truth other than 0/1 can be left
        raise ValueError("y_true must be 0/1 after choosing the positive class")
    return thr, tp, fp


def _binary_inputs(y_true: Any, y_score: Any, pos_label: Any, sample_weight: Any
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """``confusion_matrix_at_thresholds``'s checks: 0/1 truth, scores, weights, and the
    distinct labels of y_true."""
    t = input_array(y_true, "y_true")
    y_type, classes = type_of_target(t)
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
        raise ValueError(f"{y_type} format is not supported")
    pos_label = pos_label_of(pos_label, classes)
    s = input_array(y_score, "y_score")
    check_consistent_length(t, s, sample_weight)  # before the scores' values
    s = scores(s)
    t, s = column(t), column(s)
    return truth01(t, classes, pos_label), s, weights(sample_weight), classes


def _roc(t01: np.ndarray, s: np.ndarray, w: np.ndarray | None,
         drop_intermediate: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if w is None:
        # integer counts: the points come straight from the two sorted parts
        pos, neg, diag = sorted_parts(t01, s)
        if diag.any():
            raise ValueError("y_true must be 0/1 after choosing the positive class")
        tps, fps, thresholds = roc_from_sorted(pos, neg, bool(drop_intermediate))
    else:
        thr, tp, fp = _counts(t01, s, w)
        tps, fps, kept = roc_points(tp, fp, bool(drop_intermediate))
        thresholds = np.empty(kept.shape[0] + 1, np.float64)
        thresholds[0] = np.inf
        thresholds[1:] = thr[::-1][kept]
    warn_no_samples(fps[-1] <= 0, tps[-1] <= 0, stacklevel=3)
    fpr = np.full(fps.shape, np.nan) if fps[-1] <= 0 else fps / fps[-1]
    tpr = np.full(tps.shape, np.nan) if tps[-1] <= 0 else tps / tps[-1]
    return fpr, tpr, thresholds


def _auc(x: np.ndarray, y: np.ndarray) -> float:
    """``sklearn.metrics.auc``: the trapezoidal rule, as scipy's ``trapezoid`` sums it."""
    if x.shape[0] < 2:
        raise ValueError("At least 2 points are needed to compute area under curve, but "
                         f"x.shape = {x.shape[0]}")
    dx = np.diff(x)
    direction = 1
    if np.any(dx < 0):
        if np.all(dx <= 0):
            direction = -1
        else:
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
    return float(direction * np.sum(dx * (y[1:] + y[:-1]) / 2.0))


def _binary_roc_auc(t01: np.ndarray, s: np.ndarray, w: np.ndarray | None,
                    max_fpr: Any = None, bins: int | None = None) -> float:
    """``_binary_roc_auc_score`` of 0/1 truth (with ``bins``, from a ScoreHistogram)."""
    if not (t01.any() and not t01.all()):
        warnings.warn("Only one class is present in y_true. ROC AUC score is not defined "
                      "in that case.", UndefinedMetricWarning, stacklevel=3)
        return np.nan
    s = column(s)
    check_consistent_length(t01, s, w)
    if bins is not None:
        return binned_roc_auc(t01, s, w, bins)
    fpr, tpr, _ = _roc(t01, s, w, True)
    if max_fpr is None or max_fpr == 1:
        return _auc(fpr, tpr)
    stop = np.searchsorted(fpr, max_fpr, "right")
    x_interp = [fpr[stop - 1], fpr[stop]]
    y_interp = [tpr[stop - 1], tpr[stop]]
    tpr = np.append(tpr[:stop], np.interp(max_fpr, x_interp, y_interp))
    fpr = np.append(fpr[:stop], max_fpr)
    partial_auc = _auc(fpr, tpr)
    # McClish correction: 0.5 for a non-discriminant classifier, 1 for a perfect one
    min_area = 0.5 * max_fpr**2
    max_area = max_fpr
    return 0.5 * (1 + (partial_auc - min_area) / (max_area - min_area))


def _binary_average_precision(t01: np.ndarray, s: np.ndarray, w: np.ndarray | None,
                              bins: int | None = None) -> float:
    if bins is not None:
        return binned_average_precision(t01, s, w, bins)
    _, tp, fp = _counts(t01, s, w)
    if tp[0] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all "
                      "thresholds.", stacklevel=4)
    # the step-function integral; -0.0 from rounding is clipped
    return float(max(0.0, -np.sum(average_precision_terms(tp, fp))))


# ---- averaging over columns: scikit-learn's _average_binary_score -------------------------


def _average_binary_score(metric: Any, t: np.ndarray, s: np.ndarray, average: Any,
                          w: np.ndarray | None, y_type: str) -> Any:
    if y_type not in ("binary", "multilabel-indicator"):
        raise ValueError(f"{y_type} format is not supported")
    if y_type == "binary":
        return metric(t, s, w)
    check_consistent_length(t, s, w)
    if s.ndim != 2 or s.shape != t.shape:
        raise ValueError(f"y_true and y_score have different shapes: {t.shape} and {s.shape}")
    axis = 1
    score_weight, average_weight = w, None
    if average == "micro":
        if w is not None:
            score_weight = np.repeat(w, t.shape[1])
        t, s = t.ravel(), s.ravel()
    elif average == "weighted":
        average_weight = (np.sum(np.multiply(t, w.reshape(-1, 1)), axis=0) if w is not None
                          else np.sum(t, axis=0))
        if np.isclose(np.sum(average_weight), 0):
            return 0
    elif average == "samples":
        average_weight, score_weight = w, None
        axis = 0
    if t.ndim == 1:
        t, s = t.reshape(-1, 1), s.reshape(-1, 1)
    n_scores = s.shape[axis]
    score = np.zeros(n_scores)
    for c in range(n_scores):
        tc, sc = (t[:, c], s[:, c]) if axis == 1 else (t[c], s[c])
        score[c] = metric(tc, sc, score_weight)
    if average is None:
        return score
    if average_weight is not None:
        score[average_weight == 0] = 0
    return float(np.average(score, weights=average_weight))


def _as_indicator(t: np.ndarray) -> np.ndarray:
    """A multilabel indicator's 0/1 columns (the kernels take 0/1 of any numeric dtype)."""
    return t.view(np.uint8) if t.dtype.kind == "b" else t


# ---- public functions ---------------------------------------------------------------------


def roc_curve(y_true: Any, y_score: Any, *, pos_label: Any = None, sample_weight: Any = None,
              drop_intermediate: bool = True,
              bins: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Receiver operating characteristic (ROC): ``sklearn.metrics.roc_curve``.

    The same arrays as scikit-learn (bit for bit: the counts at each distinct score are
    exact integers, or weighted sums added in scikit-learn's order), from one sort of the
    scores.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels: {0, 1} or {-1, 1}, else ``pos_label`` is required.
    y_score : array-like of shape (n_samples,)
        Scores: probabilities or decision values.
    pos_label : int, float, bool or str, default=None
        The positive class; every other label is negative.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights; rows of weight 0 are dropped first.
    drop_intermediate : bool, default=True
        Drop thresholds that lie on a straight segment of the curve.
    bins : int, default=None
        fastf1's binned mode: the curve of a :class:`fastf1.ScoreHistogram` of this many
        bins, whose points are points of the exact curve (at each used bin's lowest
        score). None: exact.

    Returns
    -------
    fpr : ndarray of shape (>2,)
        Increasing false positive rates.
    tpr : ndarray of shape (>2,)
        Increasing true positive rates.
    thresholds : ndarray of shape (n_thresholds,)
        Decreasing thresholds (float64); ``thresholds[0]`` is ``inf``.

    Warns
    -----
    UndefinedMetricWarning
        When y_true holds no negative (``fpr`` is NaN) or no positive (``tpr`` is NaN).

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1 import roc_curve
    >>> fpr, tpr, thresholds = roc_curve(np.array([1, 1, 2, 2]),
    ...                                  np.array([0.1, 0.4, 0.35, 0.8]), pos_label=2)
    >>> fpr
    array([0. , 0. , 0.5, 0.5, 1. ])
    >>> tpr
    array([0. , 0.5, 0.5, 1. , 1. ])
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    check_dense("roc_curve", y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    check_bool("roc_curve", "drop_intermediate", drop_intermediate)
    check_bins(bins)
    t01, s, w, _ = _binary_inputs(y_true, y_score, pos_label, sample_weight)
    if bins is not None:
        return binned_roc_curve(t01, s, w, bins, drop_intermediate)
    return _roc(t01, s, w, drop_intermediate)


def det_curve(y_true: Any, y_score: Any, pos_label: Any = None, sample_weight: Any = None,
              drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Detection error tradeoff (DET) curve: ``sklearn.metrics.det_curve``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels: {0, 1} or {-1, 1}, else ``pos_label`` is required.
    y_score : array-like of shape (n_samples,)
        Scores: probabilities or decision values.
    pos_label : int, float, bool or str, default=None
        The positive class.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    drop_intermediate : bool, default=False
        Drop thresholds where the false negative rate does not change.

    Returns
    -------
    fpr : ndarray of shape (n_thresholds,)
        False positive rates, decreasing.
    fnr : ndarray of shape (n_thresholds,)
        False negative rates, increasing.
    thresholds : ndarray of shape (n_thresholds,)
        Increasing thresholds (float64; may start at ``inf``).

    Raises
    ------
    ValueError
        When y_true holds a single class.

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1 import det_curve
    >>> fpr, fnr, thresholds = det_curve(np.array([0, 0, 1, 1]),
    ...                                  np.array([0.1, 0.4, 0.35, 0.8]))
    >>> fpr
    array([0.5, 0.5, 0. ])
    >>> fnr
    array([0. , 0.5, 0.5])
    >>> thresholds
    array([0.35, 0.4 , 0.8 ])
    """
    check_dense("det_curve", y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    check_bool("det_curve", "drop_intermediate", drop_intermediate)
    t01, s, w, classes = _binary_inputs(y_true, y_score, pos_label, sample_weight)
    thr, tp, fp = _counts(t01, s, w)
    tps = np.concatenate([[0.0], tp[::-1]])
    fps = np.concatenate([[0.0], fp[::-1]])
    thresholds = np.concatenate([[np.inf], thr[::-1].astype(np.float64)])
    if drop_intermediate and len(fps) > 2:
        optimal = np.where(np.concatenate(
            [[True], np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), [True]]))[0]
        fps, tps, thresholds = fps[optimal], tps[optimal], thresholds[optimal]
    if classes.shape[0] != 2:
        raise ValueError("Only one class is present in y_true. Detection error tradeoff "
                         "curve is not defined in that case.")
    fns = tps[-1] - tps
    p_count, n_count = tps[-1], fps[-1]
    # start where false positives reach their last value, stop where false negatives are 0
    right = np.searchsorted(fps, fps[0], side="right")
    first_ind = right - 1 if right > 0 else None
    last_ind = np.searchsorted(tps, tps[-1]) + 1
    sl = slice(first_ind, last_ind)
    return np.flip(fps[sl]) / n_count, np.flip(fns[sl]) / p_count, np.flip(thresholds[sl])


def roc_auc_score(y_true: Any, y_score: Any, *, average: str | None = "macro",
                  sample_weight: Any = None, max_fpr: float | None = None,
                  multi_class: str = "raise", labels: Any = None,
                  bins: int | None = None, groups: Any = None) -> Any:
    """Area under the ROC curve: ``sklearn.metrics.roc_auc_score``.

    Binary, multiclass (one-vs-rest or one-vs-one over an (n, K) probability matrix) and
    multilabel input, every average, ``max_fpr`` with the McClish correction: the same
    floats as scikit-learn (the trapezoids are summed over the same points in the same
    order), from one sort per column.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary or multiclass labels, or a multilabel indicator matrix.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores. Binary: of the greater label. Multiclass: probabilities summing to 1 per
        row, columns in the order of ``labels`` (default: the sorted labels of y_true).
    average : {'micro', 'macro', 'samples', 'weighted'} or None, default='macro'
        Averaging over classes / labels; None returns the per-class scores.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    max_fpr : float in (0, 1], default=None
        Binary only: the standardised partial AUC over ``fpr <= max_fpr``.
    multi_class : {'raise', 'ovr', 'ovo'}, default='raise'
        Multiclass only: one-vs-rest or one-vs-one (Hand & Till).
    labels : array-like of shape (n_classes,), default=None
        Multiclass only: the labels of y_score's columns.
    bins : int, default=None
        fastf1's binned mode: each column's AUC from a :class:`fastf1.ScoreHistogram` of
        this many bins (one pass, bounded memory), within that histogram's
        ``roc_auc_error_bound()`` of the exact value. None: exact.
    groups : array-like of shape (n_samples,), default=None
        fastf1's addition: each row's group (model version, country, day). The score is
        then computed on each group's rows and returned as a :class:`fastf1.ByGroup`
        ``{group: score}``; the rows are put in group order by one counting pass (no
        sort). With ``bins``, each group's rows are counted into a histogram of its own.

    Returns
    -------
    auc : float, or ndarray of shape (n_classes,) with ``average=None``
        NaN, with an UndefinedMetricWarning, for a column holding a single class; a
        :class:`fastf1.ByGroup` of them with ``groups``.

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1 import roc_auc_score
    >>> roc_auc_score(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    >>> y = np.array([0, 1, 2, 2])
    >>> p = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])
    >>> roc_auc_score(y, p, multi_class="ovr")
    1.0
    """
    # scikit-learn's parameter checks, in its signature's order
    func = "roc_auc_score"
    check_dense(func, y_true=y_true, y_score=y_score)
    check_average(func, average, ("micro", "macro", "samples", "weighted"))
    check_dense(func, sample_weight=sample_weight)
    # a bool is a Real to scikit-learn's validation: True is max_fpr=1
    if max_fpr is not None and not (isinstance(max_fpr, numbers.Real) and 0 < max_fpr <= 1):
        raise param_error(func, "max_fpr", "a float in the range (0.0, 1.0] or None",
                          max_fpr)
    if multi_class not in ("raise", "ovr", "ovo"):
        raise param_error(func, "multi_class", "a str among {'raise', 'ovr', 'ovo'}",
                          multi_class)
    check_dense(func, labels=labels)
    check_bins(bins)
    if groups is not None:
        return each_group(lambda t, s, w: roc_auc_score(
            t, s, average=average, sample_weight=w, max_fpr=max_fpr, multi_class=multi_class,
            labels=labels, bins=bins), groups, y_true, y_score, sample_weight)
    if bins is not None and max_fpr is not None:
        raise ValueError("max_fpr (partial AUC) is not available with bins=; use the exact mode")
    t = input_array(y_true, "y_true")
    y_type, classes = type_of_target(t)
    # float16 scores are widened (exactly) for the kernels; the probability check sums
    # them in float16, as scikit-learn does
    sum_dtype = np.float16 if _input_dtype(y_score) == np.float16 else None
    s = scores(y_score)
    w = None if sample_weight is None else column(_validation.weight_values(sample_weight))
    if y_type == "multiclass" or (y_type == "binary" and s.ndim == 2 and s.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1.0:
            raise ValueError("Partial AUC computation not available in multiclass setting, "
                             "'max_fpr' must be set to `None`, received "
                             f"`max_fpr={max_fpr}` instead")
        if multi_class == "raise":
            raise ValueError("multi_class must be in ('ovo', 'ovr')")
        return _multiclass_roc_auc(column(t), s, classes, labels, multi_class, average,
                                   sample_weight, bins, sum_dtype)
    w = None if w is None else weights(w)

    def metric(tc: np.ndarray, sc: np.ndarray, wc: np.ndarray | None) -> float:
        return _binary_roc_auc(tc, sc, wc, max_fpr, bins)

    if y_type == "binary":
        t = column(t)
        check_consistent_length(t, s, w)
        return _average_binary_score(metric, truth01(t, classes, classes[-1]), s, average,
                                     w, y_type)
    return _average_binary_score(metric, _as_indicator(t), s, average, w, y_type)


def _input_dtype(x: Any) -> Any:
    """The dtype an array-like holds before any widening (a data frame's common column
    dtype); None when it has none NumPy knows."""
    dtype = getattr(x, "dtype", None)
    if dtype is None and hasattr(x, "dtypes"):
        try:
            dtype = np.result_type(*list(x.dtypes))
        except TypeError:  # dtypes NumPy does not know (polars, pyarrow)
            return None
    return dtype


def _multiclass_roc_auc(t: np.ndarray, s: np.ndarray, present: np.ndarray, labels: Any,
                        multi_class: str, average: Any, sample_weight: Any,
                        bins: int | None = None, sum_dtype: Any = None) -> Any:
    """scikit-learn's ``_multiclass_roc_auc_score`` (the rows' probabilities summed in
    ``sum_dtype``: the input's own dtype where ``s`` was widened from it)."""
    if s.ndim != 2:
        raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since "
                         "`y_true` contains multiple classes. Got "
                         f"`y_score.shape={s.shape}`.")
    check_consistent_length(t, s)
    if not np.allclose(1, (s if sum_dtype is None else s.astype(sum_dtype)).sum(axis=1)):
        raise ValueError("Target scores need to be probabilities for multiclass roc_auc, "
                         "i.e. they should sum up to 1.0 over classes")
    options: tuple[str | None, ...] = ("macro", "weighted", None)
    if multi_class == "ovr":
        options = ("micro", *options)
    if average not in options:
        raise ValueError(f"average must be one of {options} for multiclass problems")
    if average is None and multi_class == "ovo":
        raise NotImplementedError("average=None is not implemented for multi_class='ovo'.")
    if labels is not None:
        labels = column(_validation._numpy(labels))
        classes = np.unique(labels)
        if len(classes) != len(labels):
            raise ValueError("Parameter 'labels' must be unique")
        if not np.array_equal(classes, labels):
            raise ValueError("Parameter 'labels' must be ordered")
        if len(classes) != s.shape[1]:
            raise ValueError(f"Number of given labels, {len(classes)}, not equal to the number "
                             f"of columns in 'y_score', {s.shape[1]}")
        if len(np.setdiff1d(present, classes)):
            raise ValueError("'y_true' contains labels not in parameter 'labels'")
    else:
        classes = present
        if len(classes) != s.shape[1]:
            raise ValueError("Number of classes in y_true not equal to the number of columns "
                             "in 'y_score'")
    if multi_class == "ovo":
        if sample_weight is not None:
            raise ValueError("sample_weight is not supported for multiclass one-vs-one ROC "
                             "AUC, 'sample_weight' must be None in this case.")
        return _ovo(t, s, classes, average, bins)
    w = weights(sample_weight)
    check_consistent_length(t, s, w)
    indicator = (t[:, None] == classes[None, :]).view(np.uint8)
    return _average_binary_score(lambda tc, sc, wc: _binary_roc_auc(tc, sc, wc, None, bins),
                                 indicator,
                                 s, average, w, "multilabel-indicator")


def _ovo(t: np.ndarray, s: np.ndarray, classes: np.ndarray, average: Any,
         bins: int | None = None) -> Any:
    """Hand & Till: the mean over class pairs of the two one-vs-one AUCs
    (scikit-learn's ``_average_multiclass_ovo_score``)."""
    code = np.searchsorted(classes, t)
    present = np.unique(code)
    pair_scores = np.empty(len(present) * (len(present) - 1) // 2)
    prevalence = np.empty_like(pair_scores) if average == "weighted" else None
    for ix, (a, b) in enumerate(combinations(present, 2)):
        a_mask = code == a
        b_mask = code == b
        ab_mask = np.logical_or(a_mask, b_mask)
        if prevalence is not None:
            prevalence[ix] = np.average(ab_mask)
        a_true = a_mask[ab_mask].view(np.uint8)
        b_true = b_mask[ab_mask].view(np.uint8)
        a_score = _binary_roc_auc(a_true, s[ab_mask, a], None, None, bins)
        b_score = _binary_roc_auc(b_true, s[ab_mask, b], None, None, bins)
        pair_scores[ix] = (a_score + b_score) / 2
    return np.average(pair_scores, weights=prevalence)


def average_precision_score(y_true: Any, y_score: Any, *, average: str | None = "macro",
                            pos_label: Any = 1, sample_weight: Any = None,
                            bins: int | None = None, groups: Any = None) -> Any:
    """Average precision (AP): ``sklearn.metrics.average_precision_score``.

    ``sum((R[n] - R[n-1]) * P[n])`` over the thresholds of the precision-recall curve,
    with scikit-learn's arithmetic on exact counts.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary labels, multiclass labels (one-vs-rest over y_score's columns, in the
        order of the sorted labels), or a multilabel indicator matrix.
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores.
    average : {'micro', 'samples', 'weighted', 'macro'} or None, default='macro'
        Averaging over classes / labels; None returns the per-class scores.
    pos_label : int, float, bool or str, default=1
        Binary only: the positive class.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    bins : int, default=None
        fastf1's binned mode: each column's AP from a :class:`fastf1.ScoreHistogram` of
        this many bins, within its ``average_precision_error_bound()`` of the exact
        value. None: exact.
    groups : array-like of shape (n_samples,), default=None
        fastf1's addition: each row's group (model version, country, day). The score is
        then computed on each group's rows and returned as a :class:`fastf1.ByGroup`
        ``{group: score}``; the rows are put in group order by one counting pass (no
        sort). With ``bins``, each group's rows are counted into a histogram of its own.

    Returns
    -------
    average_precision : float, or ndarray with ``average=None``
        A :class:`fastf1.ByGroup` of them with ``groups``.

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1 import average_precision_score
    >>> average_precision_score(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.8333333333333333
    """
    func = "average_precision_score"
    check_dense(func, y_true=y_true, y_score=y_score)
    check_average(func, average, ("micro", "samples", "weighted", "macro"))
    check_dense(func, sample_weight=sample_weight)
    check_bins(bins)
    if groups is not None:
        return each_group(lambda t, s, w: average_precision_score(
            t, s, average=average, pos_label=pos_label, sample_weight=w, bins=bins),
            groups, y_true, y_score, sample_weight)
    # scikit-learn's order: the weights' form, the target, pos_label, then (for binary
    # truth) the lengths, the scores' values and the weights' values
    w = None if sample_weight is None else column(_validation.weight_values(sample_weight))
    t = input_array(y_true, "y_true")
    y_type, present = type_of_target(t)
    s = input_array(y_score, "y_score")
    if y_type == "binary":
        if present.shape[0] == 2 and pos_label not in present.tolist():
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one "
                             f"of {present}")
        check_consistent_length(t, s, w)
    elif y_type == "multilabel-indicator" and pos_label != 1:
        raise ValueError("Parameter pos_label is fixed to 1 for multilabel-indicator y_true. "
                         "Do not set pos_label or set pos_label to 1.")
    elif y_type == "multiclass":
        if pos_label != 1:
            raise ValueError("Parameter pos_label is fixed to 1 for multiclass y_true. "
                             "Do not set pos_label or set pos_label to 1.")
        t = (column(t)[:, None] == present[None, :]).view(np.uint8)
        if s.shape != t.shape:
            raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since "
                             "`y_true` contains multiple classes. Got "
                             f"`y_score.shape={s.shape}`.")
        y_type = "multilabel-indicator"
    s = scores(s)
    w = weights(w)

    def metric(tc: np.ndarray, sc: np.ndarray, wc: np.ndarray | None) -> float:
        # precision_recall_curve's checks, per column
        col_type, col_classes = type_of_target(tc)
        if not (col_type == "binary" or (col_type == "multiclass" and pos_label is not None)):
            raise ValueError(f"{col_type} format is not supported")
        sc = column(sc)
        check_consistent_length(tc, sc, wc)
        return _binary_average_precision(truth01(tc, col_classes, pos_label), sc, wc, bins)

    if y_type == "binary":
        t = column(t)
    return _average_binary_score(metric, _as_indicator(t) if t.ndim == 2 else t, s, average,
                                 w, y_type)
