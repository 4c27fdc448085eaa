"""Losses of predicted probabilities, and the calibration curve: scikit-learn's functions.

``log_loss`` and ``brier_score_loss`` are means of per-row terms, and ``calibration_curve``
sums rows per bin. The rows are read once by a kernel that picks each row's probability
of its true class (or its binary Brier term) in the probabilities' own dtype; NumPy then
takes the logarithm and the (weighted) mean with the same calls scikit-learn makes, so
the results are its floats, without its (n, K) one-hot and clipped copies.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from . import _validation
from ._kernels.ranking import binary_brier_rows, calibration_bins, clipped_true_proba
from ._sklearn_checks import (
    check_bool,
    check_consistent_length,
    check_dense,
    check_finite,
    codes,
    column,
    input_array,
    param_error,
    pos_label_of,
    probabilities,
    type_of_target,
    unique,
    weights,
)
from .histogram import ScoreHistogram, check_bins, each_group

__all__ = ["brier_score_loss", "calibration_curve", "log_loss"]

#: dtypes the kernels compute in; float16 goes through NumPy (scikit-learn's own steps)
_KERNEL_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _raw_weights(sample_weight: Any, rows: int) -> np.ndarray | None:
    """The weights as scikit-learn averages with them: checked (``_check_sample_weight``
    for ``rows`` rows: 1-D, not squeezed), but in their own dtype."""
    if sample_weight is None:
        return None
    w = weights(sample_weight, rows)  # an array: sample_weight is not None
    assert w is not None
    if not w.any():  # 1-D, numeric, finite, not all zero
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return _validation.weight_values(sample_weight)


def _average(loss: np.ndarray, w: np.ndarray | None, normalize: bool = True) -> Any:
    """scikit-learn's ``_average`` for NumPy input."""
    if normalize:
        return np.asarray(np.average(loss, weights=w))
    if w is not None:
        return np.asarray(np.dot(loss, w))
    return np.sum(loss)


class _Targets:
    """y_true against an (n, K) probability matrix, as scikit-learn's
    ``_validate_multiclass_probabilistic_prediction`` sees it.

    ``code`` is each row's class index (None for a multilabel indicator, kept in
    ``indicator``); ``proba`` is (n, K), or (n, 1) for a binary column read as [1 - p, p].
    """

    def __init__(self, y_true: Any, p: np.ndarray, sample_weight: Any, labels: Any) -> None:
        if p.max() > 1:
            raise ValueError(f"y_prob contains values greater than 1: {p.max()}")
        if p.min() < 0:
            raise ValueError(f"y_prob contains values lower than 0: {p.min()}")
        t = input_array(y_true, "y_true")
        check_consistent_length(p, t, sample_weight)
        self.w = _raw_weights(sample_weight, t.shape[0])
        self.code: np.ndarray | None = None
        self.indicator: np.ndarray | None = None
        if labels is not None:
            label_array = _validation._numpy(labels)
            classes = np.unique(label_array)
            if classes.shape != label_array.shape or not np.all(classes == label_array):
                warnings.warn(
                    f"Labels passed were {labels}. But this function assumes labels are "
                    "ordered lexicographically. Pass the ordered "
                    f"labels={classes.tolist()} and ensure that the columns of y_prob "
                    "correspond to this ordering.", UserWarning, stacklevel=3)
        else:
            classes = None
        y_type, present = type_of_target(t, "y")  # scikit-learn's LabelBinarizer's name
        if y_type == "multilabel-indicator" and labels is None:
            classes = np.arange(t.shape[1])
            self.indicator = t
        elif "multioutput" in y_type:
            raise ValueError("Multioutput target data is not supported with label "
                             "binarization")
        elif y_type not in ("binary", "multiclass"):
            raise ValueError(f"Unknown label type: {(y_true,)!r}")
        else:
            t = column(t)
            if classes is None:
                classes = present
            self.code, missing = codes(t, classes)
            if missing:
                undeclared = set(y_true) - set(labels)
                raise ValueError(f"y_true contains values {undeclared} not belonging to the "
                                 f"passed labels {labels}.")
        if classes.shape[0] == 1:
            if labels is None:
                raise ValueError(
                    f"y_true contains only one label ({classes[0]}). Please provide the list "
                    "of all expected class labels explicitly through the labels argument.")
            raise ValueError("The labels array needs to contain at least two labels, got "
                             f"{classes}.")
        self.n_classes = classes.shape[0]
        proba = p[:, None] if p.ndim == 1 else p
        if proba.shape[1] > 1:
            # (n, 1) columns are stacked as [1 - p, p]: rows sum to one within an ulp
            eps = np.finfo(proba.dtype).eps
            if not np.all(np.isclose(np.sum(proba, axis=1), 1, rtol=np.sqrt(eps))):
                warnings.warn("The y_prob values do not sum to one. Make sure to pass "
                              "probabilities.", UserWarning, stacklevel=3)
        n_columns = max(2, proba.shape[1])
        if self.n_classes != n_columns:
            if labels is None:
                raise ValueError(
                    "y_true and y_prob contain different number of classes: "
                    f"{max(2, self.n_classes)} vs {n_columns}. Please provide the true labels "
                    "explicitly through the labels argument. Classes found in y_true: "
                    f"{classes}")
            raise ValueError("The number of classes in labels is different from that in "
                             f"y_prob. Classes found in labels: {classes}")
        self.proba = proba

    def one_hot(self) -> tuple[np.ndarray, np.ndarray]:
        """scikit-learn's (transformed labels, y_prob) matrices, in y_prob's dtype."""
        proba = self.proba
        if proba.shape[1] == 1:
            proba = np.concatenate([1 - proba, proba], axis=1)
        if self.indicator is not None:
            return self.indicator.astype(proba.dtype), proba
        labels = np.zeros(proba.shape, proba.dtype)
        labels[np.arange(proba.shape[0]), self.code] = 1
        return labels, proba


def log_loss(y_true: Any, y_proba: Any = None, *, normalize: bool = True,
             sample_weight: Any = None, labels: Any = None, y_pred: Any = "deprecated",
             bins: int | None = None, groups: Any = None) -> Any:
    """Log loss (cross-entropy): ``sklearn.metrics.log_loss``.

    ``-log`` of each row's probability of its true class, clipped to
    ``[eps, 1 - eps]`` with ``eps`` the machine epsilon of ``y_proba``'s dtype (float32
    probabilities are clipped and logged in float32, as scikit-learn does), then averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        True labels (any two or more), or a multilabel indicator matrix.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Probabilities: of the greater label for 1-D input, else one column per class
        in the sorted order of the labels.
    normalize : bool, default=True
        The mean loss per row; False gives the sum.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    labels : array-like, default=None
        The classes, when y_true does not hold them all.
    y_pred : array-like, deprecated
        The former name of ``y_proba`` (a FutureWarning, as in scikit-learn 1.9).
    bins : int, default=None
        fastf1's binned mode, binary (1-D) probabilities only: the loss of a
        :class:`fastf1.ScoreHistogram` of this many bins, a float64 sum of the per-row terms
        in one bounded-memory pass (equal up to summation order). None: exact.
    groups : array-like of shape (n_samples,), default=None
        fastf1's addition: each row's group (model version, country, day). The loss is
        then computed on each group's rows and returned as a :class:`fastf1.ByGroup`
        ``{group: loss}``; the rows are put in group order by one counting pass (no
        sort). With ``bins``, each group's rows are counted into a histogram of its own.

    Returns
    -------
    loss : float
        A :class:`fastf1.ByGroup` of them with ``groups``.

    Warns
    -----
    UserWarning
        When the rows of y_proba do not sum to one.

    Examples
    --------
    >>> from fastf1 import log_loss
    >>> log_loss(["spam", "ham", "ham", "spam"],
    ...          [[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
    0.21616187468057912
    """
    # scikit-learn's parameter checks, in its signature's order
    # y_proba may be None where the deprecated y_pred stands for it (checked below)
    check_dense("log_loss", y_true=y_true, **({} if y_proba is None else {"y_proba": y_proba}))
    check_bool("log_loss", "normalize", normalize)
    check_dense("log_loss", sample_weight=sample_weight, labels=labels)
    if not (isinstance(y_pred, str) and y_pred == "deprecated"):
        if y_proba is not None:
            raise ValueError("Cannot use both `y_pred` and `y_proba`. `y_pred` is deprecated, "
                             "use `y_proba` instead.")
        warnings.warn("`y_pred` was renamed to `y_proba` in version 1.9 and will be removed "
                      "in 1.11. Use `y_proba` instead.", FutureWarning, stacklevel=2)
        y_proba = y_pred
    if y_proba is None:
        raise ValueError("Expected array-like y_proba, got None")
    check_bins(bins)
    if groups is not None:
        return each_group(lambda t, p, w: log_loss(
            t, p, normalize=normalize, sample_weight=w, labels=labels, bins=bins),
            groups, y_true, y_proba, sample_weight)
    p = probabilities(y_proba)
    targets = _Targets(y_true, p, sample_weight, labels)
    if bins is not None:
        return _binned(bins, targets).log_loss(normalize=normalize, labels=[0, 1])
    eps = np.finfo(p.dtype).eps
    if targets.code is None or p.dtype not in _KERNEL_DTYPES:
        # multilabel rows (several true labels) and float16: scikit-learn's own steps
        onehot, proba = targets.one_hot()
        proba = np.clip(proba, eps, 1 - eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = onehot * np.log(proba)
        terms = np.where(onehot == 0.0, np.asarray(0.0, terms.dtype), terms)
        loss = -np.sum(terms, axis=1)
    else:
        # one true class per row: the row's sum is the log of its clipped probability
        one = p.dtype.type(1)
        loss = clipped_true_proba(targets.proba, targets.code, p.dtype.type(eps), one - eps,
                                  one)
        np.log(loss, out=loss)
        np.negative(loss, out=loss)
    return float(_average(loss, targets.w, normalize))


def brier_score_loss(y_true: Any, y_proba: Any, *, sample_weight: Any = None,
                     pos_label: Any = None, labels: Any = None,
                     scale_by_half: bool | str = "auto", bins: int | None = None,
                     groups: Any = None) -> Any:
    """Brier score: ``sklearn.metrics.brier_score_loss``.

    The mean over rows of the squared differences between the one-hot labels and the
    probabilities, summed over the classes; halved (``scale_by_half``) for binary input
    by default, as in scikit-learn 1.9.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Probabilities: of the positive class (1-D), or one column per class.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.
    pos_label : int, float, bool or str, default=None
        Binary only: the positive class (default: the greater label, or 1 for {0, 1} and
        {-1, 1}; required for string labels).
    labels : array-like, default=None
        Multiclass only: the classes, when y_true does not hold them all.
    scale_by_half : bool or "auto", default="auto"
        Halve the score ("auto": for fewer than three columns).
    bins : int, default=None
        fastf1's binned mode, binary (1-D) probabilities only: the score of a
        :class:`fastf1.ScoreHistogram` of this many bins (a float64 sum of the per-row
        terms, equal up to summation order). None: exact.
    groups : array-like of shape (n_samples,), default=None
        fastf1's addition: each row's group (model version, country, day). The score is
        then computed on each group's rows and returned as a :class:`fastf1.ByGroup`
        ``{group: score}``; the rows are put in group order by one counting pass (no
        sort). With ``bins``, each group's rows are counted into a histogram of its own.

    Returns
    -------
    score : float
        A :class:`fastf1.ByGroup` of them with ``groups``.

    Examples
    --------
    >>> from fastf1 import brier_score_loss
    >>> brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])
    0.03749999999999999
    """
    check_dense("brier_score_loss", y_true=y_true, y_proba=y_proba,
                sample_weight=sample_weight, labels=labels)
    if not (isinstance(scale_by_half, (bool, np.bool_)) or scale_by_half == "auto"):
        raise param_error("brier_score_loss", "scale_by_half",
                          "an instance of 'bool' or an instance of 'numpy.bool' or a str "
                          "among {'auto'}", scale_by_half)
    check_bins(bins)
    if groups is not None:
        return each_group(lambda t, p, w: brier_score_loss(
            t, p, sample_weight=w, pos_label=pos_label, labels=labels,
            scale_by_half=scale_by_half, bins=bins), groups, y_true, y_proba, sample_weight)
    p = probabilities(y_proba)
    if bins is not None:
        if not (p.ndim == 1 or p.shape[1] == 1):
            raise ValueError("bins= is for binary probabilities (a 1-D y_proba)")
        t01, _ = _binary_truth(y_true, column(p), sample_weight, pos_label)
        h = ScoreHistogram(bins).update(t01, column(p), _raw_weights(sample_weight, t01.shape[0]))
        # the histogram's mean of (y - p)**2 is the halved two-column score
        return h.brier_score_loss() * (1.0 if scale_by_half in ("auto", True) else 2.0)
    if p.ndim == 1 or p.shape[1] == 1:
        rows, w = _binary_brier(y_true, column(p), sample_weight, pos_label)
    else:
        targets = _Targets(y_true, p, sample_weight, labels)
        onehot, proba = targets.one_hot()
        rows, w = np.sum((onehot - proba) ** 2, axis=1), targets.w
    score = _average(rows, w)
    if scale_by_half == "auto":
        scale_by_half = p.ndim == 1 or p.shape[1] < 3
    if scale_by_half:
        score *= 0.5
    return float(score)


def _binned(bins: int, targets: _Targets) -> ScoreHistogram:
    """The histogram of a binary probability column (bins= of log_loss)."""
    if targets.code is None or targets.proba.shape[1] != 1:
        raise ValueError("bins= is for binary probabilities (a 1-D y_proba)")
    return ScoreHistogram(bins).update(targets.code, targets.proba[:, 0], targets.w)


def _binary_brier(y_true: Any, p: np.ndarray, sample_weight: Any,
                  pos_label: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """scikit-learn's ``_validate_binary_probabilistic_prediction``, then the row terms."""
    t01, w = _binary_truth(y_true, p, sample_weight, pos_label)
    if p.dtype in _KERNEL_DTYPES:
        return binary_brier_rows(p, t01, p.dtype.type(1)), w
    onehot = np.stack((1 - t01.astype(np.int64), t01.astype(np.int64)), axis=1).astype(p.dtype)
    return np.sum((onehot - np.stack((1 - p, p), axis=1)) ** 2, axis=1), w


def _binary_truth(y_true: Any, p: np.ndarray, sample_weight: Any,
                  pos_label: Any) -> tuple[np.ndarray, np.ndarray | None]:
    """scikit-learn's ``_validate_binary_probabilistic_prediction``: 0/1 truth, weights."""
    t = column(input_array(y_true, "y_true"))
    if t.dtype.kind == "f":
        check_finite(t)
    check_consistent_length(p, t, sample_weight)
    w = _raw_weights(sample_weight, t.shape[0])
    y_type, classes = type_of_target(t)
    if y_type != "binary":
        raise ValueError(f"The type of the target inferred from y_true is {y_type} but should "
                         "be binary according to the shape of y_prob.")
    if p.max() > 1:
        raise ValueError(f"y_prob contains values greater than 1: {p.max()}")
    if p.min() < 0:
        raise ValueError(f"y_prob contains values less than 0: {p.min()}")
    try:
        pos_label = pos_label_of(pos_label, classes)
    except ValueError:
        if classes.dtype.kind in "OUS":
            raise
        pos_label = classes[-1]  # scikit-learn: the greater label, for compatibility
    return (t == pos_label).view(np.uint8), w


def calibration_curve(y_true: Any, y_prob: Any, *, pos_label: Any = None, n_bins: int = 5,
                      strategy: str = "uniform", bins: int | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Reliability curve: ``sklearn.calibration.calibration_curve``.

    Per bin of predicted probability, the fraction of positives and the mean predicted
    probability, from one pass over the rows (the sums added in scikit-learn's order).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels.
    y_prob : array-like of shape (n_samples,)
        Probabilities of the positive class.
    pos_label : int, float, bool or str, default=None
        The positive class.
    n_bins : int, default=5
        Number of bins.
    strategy : {'uniform', 'quantile'}, default='uniform'
        Bins of equal width on [0, 1], or holding equal numbers of rows.
    bins : int, default=None
        fastf1's binned mode, as in :func:`fastf1.roc_auc_score`: the curve of a
        :class:`fastf1.ScoreHistogram` of this many bins with ``n_bins`` calibration bins
        (one bounded-memory pass; the same bins, sums equal up to summation order).
        Uniform strategy only: quantile edges need every score. None: exact.

    Returns
    -------
    prob_true : ndarray of shape (n_nonempty_bins,)
        Fraction of positives per non-empty bin.
    prob_pred : ndarray of shape (n_nonempty_bins,)
        Mean predicted probability per non-empty bin.

    Examples
    --------
    >>> from fastf1 import calibration_curve
    >>> prob_true, prob_pred = calibration_curve([0, 0, 0, 1, 1, 1], [.1, .2, .3, .6, .8, .9],
    ...                                          n_bins=2)
    >>> prob_true
    array([0., 1.])
    >>> prob_pred
    array([0.2       , 0.76666667])
    """
    check_dense("calibration_curve", y_true=y_true, y_prob=y_prob)
    if not (isinstance(n_bins, numbers.Integral) and not isinstance(n_bins, bool)
            and n_bins >= 1):
        raise param_error("calibration_curve", "n_bins", "an int in the range [1, inf)", n_bins)
    if strategy not in ("uniform", "quantile"):
        raise param_error("calibration_curve", "strategy",
                          "a str among {'quantile', 'uniform'}", strategy)
    check_bins(bins)
    if bins is not None and strategy != "uniform":
        raise ValueError("bins= takes strategy='uniform' only: quantile edges need every "
                         "score; use the exact mode (bins=None)")
    t = column(input_array(y_true, "y_true"))
    p = column(_validation._numpy(y_prob))
    check_consistent_length(t, p)
    classes = unique(t)
    pos_label = pos_label_of(pos_label, classes)
    if p.min() < 0 or p.max() > 1:
        raise ValueError("y_prob has values outside [0, 1].")
    if len(classes) > 2:
        raise ValueError(f"Only binary classification is supported. Provided labels {classes}.")
    t01 = (t == pos_label).view(np.uint8)
    if bins is not None:
        return ScoreHistogram(bins, calibration_bins=n_bins).update(t01, p).calibration_curve()
    if strategy == "quantile":
        bins = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        bins = np.linspace(0.0, 1.0, n_bins + 1)
    kernel_p = p if p.dtype.kind == "f" and p.dtype.itemsize >= 4 else p.astype(np.float64)
    sums, trues, totals = calibration_bins(kernel_p, t01, bins[1:-1].astype(np.float64), n_bins)
    nonzero = totals != 0
    return trues[nonzero] / totals[nonzero], sums[nonzero] / totals[nonzero]
