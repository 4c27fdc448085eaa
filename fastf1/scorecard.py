"""The rest of scikit-learn's classification scorecard, from the same one-pass counts.

Balanced accuracy, Matthews correlation, Cohen's kappa, Jaccard, Hamming and zero-one loss
and the class likelihood ratios are functions of the per-class counts that
:func:`fastf1.stat_scores` makes in one pass (each is also a :class:`fastf1.StatScores`
method); the formulas live in ``_reduce``. Weighted Cohen's kappa (and kappa with
``labels=``) needs the K x K confusion matrix: it comes from the confusion pass of
:func:`fastf1.confusion_matrix`, dense up to 2048 classes, O(K^2) memory. Top-k accuracy
reads the (n, K) score matrix in one pass of its own kernel.

Signatures, defaults, results, warnings and errors are scikit-learn's; fastf1's additions
(``threshold=``, ``ignore_index=``, ``device=``, ``groups=``; see :mod:`fastf1.metrics`)
are keyword-only and last.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, NamedTuple

import numpy as np

from . import _dispatch, _json, _reduce, _validation
from ._kernels import compare, cpu, topk
from ._sklearn_checks import check_bool, check_dense, check_params, num_samples, param_error
from .counts import ByGroup
from .exceptions import UndefinedMetricWarning
from .metrics import (
    _each,
    _rows_of_each_group,
    _set_wise_stats,
    _stats,
    accuracy_score,
    confusion_matrix,
    samples_counts,
)


def balanced_accuracy_score(
    y_true: Any, y_pred: Any, *, sample_weight: Any = None, adjusted: bool = False,
    threshold: Any = None, ignore_index: Any = None, device: Any = "auto", groups: Any = None,
) -> Any:
    """Balanced accuracy: the mean recall over the classes present in ``y_true``.

    See ``sklearn.metrics.balanced_accuracy_score``. With ``adjusted=True`` chance
    (``1 / n_classes``) scores 0 and perfect prediction 1.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels (integers, bool, integral floats or strings).
    y_pred : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D
        score matrix whose row-wise argmax is the prediction.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights: the counts are float64 sums, equal to scikit-learn's to about 1e-9
        relative.
    adjusted : bool, default False
        Rescale so that chance scores 0 and perfect prediction 1.
    threshold : float, default None
        fastf1's own: ``y_pred`` holds scores, a positive prediction when
        ``score >= threshold``.
    ignore_index : int, default None
        fastf1's own: rows whose true label equals this value are skipped.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own: where the counting pass runs (as for :func:`fastf1.f1_score`).
    groups : array-like of shape (n_samples,), default None
        fastf1's own: one group per row. Every group is scored in the same pass and the
        result is a :class:`fastf1.ByGroup`, ``{group: result}``.

    Returns
    -------
    score : float or ByGroup
        The balanced accuracy.


    Examples
    --------
    >>> from fastf1 import balanced_accuracy_score
    >>> balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])
    0.625
    """
    check_params("balanced_accuracy_score", y_true=y_true, y_pred=y_pred,
                 sample_weight=sample_weight, adjusted=adjusted)
    stats = _stats(y_true, y_pred, sample_weight, threshold, ignore_index, device, groups)
    return _each(stats, lambda s: s.balanced_accuracy_score(adjusted=adjusted))


def matthews_corrcoef(
    y_true: Any, y_pred: Any, *, sample_weight: Any = None,
    threshold: Any = None, ignore_index: Any = None, device: Any = "auto", groups: Any = None,
) -> Any:
    """Matthews correlation coefficient, binary or multiclass (R_K of Gorodkin).

    See ``sklearn.metrics.matthews_corrcoef``: scikit-learn's covariance form, which needs
    only the per-class tp, true and predicted counts (O(K) memory).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels (integers, bool, integral floats or strings).
    y_pred : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D
        score matrix whose row-wise argmax is the prediction.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights: the counts are float64 sums, equal to scikit-learn's to about 1e-9
        relative.
    threshold : float, default None
        fastf1's own: ``y_pred`` holds scores, a positive prediction when
        ``score >= threshold``.
    ignore_index : int, default None
        fastf1's own: rows whose true label equals this value are skipped.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own: where the counting pass runs (as for :func:`fastf1.f1_score`).
    groups : array-like of shape (n_samples,), default None
        fastf1's own: one group per row. Every group is scored in the same pass and the
        result is a :class:`fastf1.ByGroup`, ``{group: result}``.

    Returns
    -------
    mcc : float or ByGroup
        The Matthews correlation coefficient, from -1 to 1 (0.0 when undefined).


    Examples
    --------
    >>> from fastf1 import matthews_corrcoef
    >>> matthews_corrcoef([+1, +1, +1, -1], [+1, -1, +1, +1])
    -0.3333333333333333
    """
    check_params("matthews_corrcoef", y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    stats = _stats(y_true, y_pred, sample_weight, threshold, ignore_index, device, groups)
    return _each(stats, lambda s: s.matthews_corrcoef())


def cohen_kappa_score(
    y1: Any, y2: Any, *, labels: Any = None, weights: Any = None, sample_weight: Any = None,
    replace_undefined_by: Any = np.nan,
    threshold: Any = None, ignore_index: Any = None, device: Any = "auto", groups: Any = None,
) -> Any:
    """Cohen's kappa: agreement of two annotators beyond chance.

    See ``sklearn.metrics.cohen_kappa_score``. Unweighted kappa over all present labels
    needs only the per-class counts (O(K)); ``weights="linear"`` / ``"quadratic"`` and
    ``labels=`` need the K x K confusion matrix (O(K^2) memory, one confusion pass).

    Parameters
    ----------
    y1 : array-like of shape (n_samples,)
        Labels of the first annotator.
    y2 : array-like of shape (n_samples,)
        Labels of the second annotator (or 1-D scores with ``threshold``, or a score
        matrix).
    labels : array-like of shape (n_classes,), default None
        The labels to index the matrix by (a subset selects rows); at least one must
        occur in ``y1``.
    weights : {None, 'linear', 'quadratic'}, default None
        Disagreement weights.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights: the counts are float64 sums, equal to scikit-learn's to about 1e-9
        relative.
    replace_undefined_by : float in [-1.0, 1.0] or np.nan, default np.nan
        The value returned (with an ``UndefinedMetricWarning``) when kappa is undefined.
    threshold : float, default None
        fastf1's own: ``y_pred`` holds scores, a positive prediction when
        ``score >= threshold``.
    ignore_index : int, default None
        fastf1's own: rows whose ``y1`` label equals this value are skipped.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own: where the counting pass runs (as for :func:`fastf1.f1_score`).
    groups : array-like of shape (n_samples,), default None
        fastf1's own: one group per row. Every group is scored in the same pass and the
        result is a :class:`fastf1.ByGroup`, ``{group: result}``.

    Returns
    -------
    kappa : float or ByGroup
        Cohen's kappa, from -1 to 1.


    Examples
    --------
    >>> from fastf1 import cohen_kappa_score
    >>> cohen_kappa_score(["neg", "pos", "neg", "neu", "pos"], ["neg", "pos", "neg", "neu", "neg"])
    0.6875
    """
    check_params("cohen_kappa_score", y1=y1, y2=y2, labels=labels, weights=weights,
                 sample_weight=sample_weight)
    _validation.check_kappa_args(weights, replace_undefined_by)
    if weights is None and labels is None:
        stats = _stats(y1, y2, sample_weight, threshold, ignore_index, device, groups)
        return _each(stats, lambda s: s.cohen_kappa_score(
            replace_undefined_by=replace_undefined_by))
    try:
        cm = confusion_matrix(y1, y2, labels=labels, sample_weight=sample_weight,
                              threshold=threshold, ignore_index=ignore_index, device=device,
                              groups=groups)
    except ValueError as exc:
        if "At least one label specified must be in y_true" in str(exc):
            raise ValueError(
                "At least one label in `labels` must be present in `y1` (even though "
                "`cohen_kappa_score` is otherwise agnostic to the order of `y1` and "
                "`y2`).") from exc
        raise

    def kappa(matrix: np.ndarray) -> float:
        matrix = np.asarray(matrix, dtype=np.float64)
        return _reduce.cohen_kappa(np.sum(matrix, axis=0), np.sum(matrix, axis=1),
                                   confusion=matrix, weights=weights,
                                   replace_undefined_by=replace_undefined_by)

    return _each(cm, kappa)


def jaccard_score(
    y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
    average: Any = "binary", sample_weight: Any = None, zero_division: Any = "warn",
    threshold: Any = None, ignore_index: Any = None, device: Any = "auto", groups: Any = None,
) -> Any:
    """Jaccard index ``tp / (tp + fp + fn)``: binary, multiclass or multilabel.

    See ``sklearn.metrics.jaccard_score`` (every ``average``; ``zero_division`` is "warn",
    0 or 1). ``average="samples"`` uses per-row counts of multilabel input.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth labels (integers, bool, integral floats or strings), or a 0/1
        indicator matrix for multilabel data.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or a 2-D score matrix (argmax);
        or a multilabel indicator (or score, with ``threshold``) matrix.
    labels : array-like, default None
        The labels to score (and their order, for ``average=None``).
    pos_label : int, float, bool or str, default 1
        The label scored with ``average='binary'``.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
        How per-label scores are averaged; None gives one score per label.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights: the counts are float64 sums, equal to scikit-learn's to about 1e-9
        relative.
    zero_division : {'warn', 0.0, 1.0}, default 'warn'
        The score of a label with no true and no predicted rows.
    threshold : float, default None
        fastf1's own: ``y_pred`` holds scores, a positive prediction when
        ``score >= threshold``.
    ignore_index : int, default None
        fastf1's own: rows whose true label equals this value are skipped.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own: where the counting pass runs (as for :func:`fastf1.f1_score`).
    groups : array-like of shape (n_samples,), default None
        fastf1's own: one group per row. Every group is scored in the same pass and the
        result is a :class:`fastf1.ByGroup`, ``{group: result}``.

    Returns
    -------
    score : float, ndarray of shape (n_labels,) or ByGroup
        The Jaccard index (one per label with ``average=None``).


    Examples
    --------
    >>> from fastf1 import jaccard_score
    >>> jaccard_score([0, 1, 1, 1], [0, 1, 0, 1])
    0.6666666666666666
    """
    check_params("jaccard_score", y_true=y_true, y_pred=y_pred, labels=labels, pos_label=pos_label,
                 average=average, sample_weight=sample_weight)
    _validation.check_zero_division_01(zero_division, "jaccard_score")
    if average == "samples":
        def samples(t: Any, p: Any, w: Any) -> float:
            return _samples_jaccard(t, p, w, threshold, labels, pos_label, zero_division)

        if groups is not None:
            return _rows_of_each_group(samples, groups, y_true, y_pred, sample_weight)
        return samples(y_true, y_pred, sample_weight)
    stats = _set_wise_stats(y_true, y_pred, sample_weight, threshold, ignore_index, labels,
                            average, pos_label, device, groups)
    return _each(stats, lambda s: s.jaccard_score(labels=labels, pos_label=pos_label,
                                                  average=average, zero_division=zero_division))


def _samples_jaccard(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any,
                     labels: Any, pos_label: Any, zero_division: Any) -> float:
    inp, tp, true, pred = samples_counts(y_true, y_pred, sample_weight, threshold, labels,
                                         pos_label)
    return _reduce.jaccard(tp, pred, true, average="samples", zero_division=zero_division,
                           sample_weight=inp.w)


def hamming_loss(
    y_true: Any, y_pred: Any, *, sample_weight: Any = None,
    threshold: Any = None, ignore_index: Any = None, device: Any = "auto", groups: Any = None,
) -> Any:
    """Fraction of labels predicted wrong (of rows, for single-label input).

    See ``sklearn.metrics.hamming_loss``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth labels (integers, bool, integral floats or strings), or a 0/1
        indicator matrix for multilabel data.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or a 2-D score matrix (argmax);
        or a multilabel indicator (or score, with ``threshold``) matrix.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights: the counts are float64 sums, equal to scikit-learn's to about 1e-9
        relative.
    threshold : float, default None
        fastf1's own: ``y_pred`` holds scores, a positive prediction when
        ``score >= threshold``.
    ignore_index : int, default None
        fastf1's own: rows whose true label equals this value are skipped.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own: where the counting pass runs (as for :func:`fastf1.f1_score`).
    groups : array-like of shape (n_samples,), default None
        fastf1's own: one group per row. Every group is scored in the same pass and the
        result is a :class:`fastf1.ByGroup`, ``{group: result}``.

    Returns
    -------
    loss : float or ByGroup
        The fraction of labels predicted wrong.


    Examples
    --------
    >>> from fastf1 import hamming_loss
    >>> hamming_loss([1, 2, 3, 4], [2, 2, 3, 4])
    0.25
    """
    check_params("hamming_loss", y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    wrong = _mismatches(y_true, y_pred, sample_weight, threshold, ignore_index, device, groups)
    if wrong is not None:
        return _reduce.hamming(wrong[0], wrong[1])
    stats = _stats(y_true, y_pred, sample_weight, threshold, ignore_index, device, groups)
    return _each(stats, lambda s: s.hamming_loss())


def _mismatches(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any,
                ignore_index: Any, device: Any, groups: Any) -> tuple[int, int] | None:
    """(rows whose labels differ, rows) in one compare pass, where that is all a loss
    needs: two 1-D NumPy arrays of one integer dtype (every value a valid label, so
    nothing to validate), unweighted, ungrouped, on the CPU; None otherwise."""
    if not (sample_weight is None and threshold is None and ignore_index is None
            and groups is None and device in ("auto", "cpu")
            and type(y_true) is np.ndarray and type(y_pred) is np.ndarray):
        return None
    if (y_true.ndim != 1 or y_true.shape != y_pred.shape or y_true.dtype != y_pred.dtype
            or y_true.dtype.kind not in "iu" or not y_true.dtype.isnative
            or not y_true.size):
        return None
    (wrong,) = _dispatch.run(compare.mismatches, (_validation.read_only(y_true),
                                                   _validation.read_only(y_pred)),
                             diagnostics=False)
    return int(wrong), int(y_true.shape[0])


def zero_one_loss(
    y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None,
    threshold: Any = None, ignore_index: Any = None, device: Any = "auto", groups: Any = None,
) -> Any:
    """Fraction (``normalize=False``: number, or weight) of misclassified rows.

    See ``sklearn.metrics.zero_one_loss``; multilabel rows count as misclassified unless
    every label is right (subset zero-one loss).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth labels (integers, bool, integral floats or strings), or a 0/1
        indicator matrix for multilabel data.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or a 2-D score matrix (argmax);
        or a multilabel indicator (or score, with ``threshold``) matrix.
    normalize : bool, default True
        True: the fraction of misclassified rows; False: their number (or weight).
    sample_weight : array-like of shape (n_samples,), default None
        Row weights: the counts are float64 sums, equal to scikit-learn's to about 1e-9
        relative.
    threshold : float, default None
        fastf1's own: ``y_pred`` holds scores, a positive prediction when
        ``score >= threshold``.
    ignore_index : int, default None
        fastf1's own: rows whose true label equals this value are skipped.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own: where the counting pass runs (as for :func:`fastf1.f1_score`).
    groups : array-like of shape (n_samples,), default None
        fastf1's own: one group per row. Every group is scored in the same pass and the
        result is a :class:`fastf1.ByGroup`, ``{group: result}``.

    Returns
    -------
    loss : float or ByGroup
        The zero-one loss.


    Examples
    --------
    >>> from fastf1 import zero_one_loss
    >>> zero_one_loss([1, 2, 3, 4], [2, 2, 3, 4])
    0.25
    """
    check_params("zero_one_loss", y_true=y_true, y_pred=y_pred, normalize=normalize,
                 sample_weight=sample_weight)
    wrong = _mismatches(y_true, y_pred, sample_weight, threshold, ignore_index, device, groups)
    if wrong is not None:
        return _reduce.zero_one(wrong[1] - wrong[0], wrong[1], normalize)
    if _validation.is_multilabel_input(y_true):
        def loss(t: Any, p: Any, w: Any) -> float:
            score = accuracy_score(t, p, normalize=normalize, sample_weight=w,
                                   threshold=threshold, device=device)
            total = t.shape[0] if w is None else np.sum(w)
            return 1 - score if normalize else total - score

        if groups is not None:
            return _rows_of_each_group(loss, groups, y_true, y_pred, sample_weight)
        return loss(_validation.as_array(y_true, "y_true"), y_pred,
                    None if sample_weight is None else np.asarray(sample_weight))
    stats = _stats(y_true, y_pred, sample_weight, threshold, ignore_index, device, groups)
    return _each(stats, lambda s: s.zero_one_loss(normalize=normalize))


def class_likelihood_ratios(
    y_true: Any, y_pred: Any, *, labels: Any = None, sample_weight: Any = None,
    replace_undefined_by: Any = np.nan,
    threshold: Any = None, ignore_index: Any = None, device: Any = "auto", groups: Any = None,
) -> Any:
    """Positive and negative likelihood ratios ``(LR+, LR-)`` of a binary problem.

    See ``sklearn.metrics.class_likelihood_ratios`` (scikit-learn 1.9's
    ``replace_undefined_by``: np.nan, 1.0 or ``{"LR+": value, "LR-": value}``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels (integers, bool, integral floats or strings).
    y_pred : array-like of shape (n_samples,) or (n_samples, n_classes)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D
        score matrix whose row-wise argmax is the prediction.
    labels : array-like of shape (2,), default None
        The negative and the positive label, in that order (default: the sorted labels).
    sample_weight : array-like of shape (n_samples,), default None
        Row weights: the counts are float64 sums, equal to scikit-learn's to about 1e-9
        relative.
    replace_undefined_by : np.nan, 1.0 or dict, default np.nan
        The value of an undefined ratio: NaN, 1.0 for both, or
        ``{"LR+": value >= 1, "LR-": value in [0, 1]}``.
    threshold : float, default None
        fastf1's own: ``y_pred`` holds scores, a positive prediction when
        ``score >= threshold``.
    ignore_index : int, default None
        fastf1's own: rows whose true label equals this value are skipped.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own: where the counting pass runs (as for :func:`fastf1.f1_score`).
    groups : array-like of shape (n_samples,), default None
        fastf1's own: one group per row. Every group is scored in the same pass and the
        result is a :class:`fastf1.ByGroup`, ``{group: result}``.

    Returns
    -------
    (positive_likelihood_ratio, negative_likelihood_ratio) : tuple of float, or ByGroup
        LR+ and LR-.


    Examples
    --------
    >>> from fastf1 import class_likelihood_ratios
    >>> class_likelihood_ratios([0, 1, 0, 1, 0], [1, 1, 0, 0, 0])
    (1.5, 0.75)
    """
    check_params("class_likelihood_ratios", y_true=y_true, y_pred=y_pred, labels=labels,
                 sample_weight=sample_weight)
    _validation.check_likelihood_replace(replace_undefined_by)
    stats = _stats(y_true, y_pred, sample_weight, threshold, ignore_index, device, groups,
                   labels)
    return _each(stats, lambda s: s.class_likelihood_ratios(
        labels=labels, replace_undefined_by=replace_undefined_by))


# ---- top-k accuracy ---------------------------------------------------------------------


def _check_k(k: Any, normalize: Any = True) -> None:
    if not isinstance(k, numbers.Integral) or k < 1:  # True is 1, as for scikit-learn
        raise param_error("top_k_accuracy_score", "k", "an int in the range [1, inf)", k)
    check_bool("top_k_accuracy_score", "normalize", normalize)


def _as_1d(x: Any, name: str) -> np.ndarray:
    """scikit-learn's column_or_1d: 1-D, or an (n, 1) column."""
    arr = _validation.as_array(x, name)
    if _validation._is_sparse(arr):
        raise TypeError(f"{name}: sparse input is not supported here")
    if arr.ndim == 2 and arr.shape[1] == 1:
        return arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {arr.shape} instead.")
    if arr.dtype.kind == "b" and arr.size and arr.view(np.uint8).max() > 1:
        # a bool mask whose bytes are not 0 / 1 (a 0 / 255 mask viewed as bool) is True, as
        # in NumPy; the kernels read a bool label as its byte, so make the bytes 0 / 1
        arr = arr != 0
    return arr


def _host(x: Any, name: str) -> Any:
    return _validation._device_input(x, name, "cpu") if _validation.is_device_array(x) else x


def _scores(y_score: Any, n: int) -> Any:
    """y_score as a float array of at most two dimensions, one row per sample; a float
    matrix on the GPU stays there (a view), anything else comes to the host."""
    if _validation.is_device_array(y_score):
        if y_score.ndim == 2 and y_score.dtype.kind == "f":
            _validation.check_length("y_score", y_score.shape[0], n)
            return y_score
        y_score = y_score.copy_to_host()
    s = _validation.as_array(y_score, "y_score")
    if _validation._is_sparse(s):
        raise TypeError("y_score: sparse input is not supported here; pass a dense array")
    if s.dtype.kind not in "biuf":
        raise ValueError(f"y_score must hold numbers, got {s.dtype}")
    if s.ndim > 2:
        raise ValueError(f"Found array with dim {s.ndim}. None expected <= 2.")
    if s.dtype.kind != "f":
        if s.ndim == 2 and s.dtype.itemsize == 8 and s.size and (
                int(s.max()) > 1 << 53 or int(s.min()) < -(1 << 53)):
            # 64-bit integers that float64 would round into ties: their ranks order the
            # columns alike (the 1-D binary form compares with 0, which float64 keeps)
            s = np.unique(s, return_inverse=True)[1].reshape(s.shape)
        s = s.astype(np.float64)
    _validation.check_length("y_score", s.shape[0], n)
    return s


def _check_true(t: np.ndarray) -> None:
    if t.shape[0] == 0:
        raise ValueError("Found array with 0 sample(s) (shape=(0,)) while a minimum of 1 "
                         "is required.")
    # scikit-learn's type_of_target: a float label must survive the cast to int64
    if t.dtype.kind == "f" and not np.all((t == np.floor(t)) & (t >= -2.0**63) & (t < 2.0**63)):
        raise ValueError("y type must be 'binary' or 'multiclass', got 'continuous' instead.")


def _int_labels(t: np.ndarray) -> np.ndarray:
    return t.view(np.uint8) if t.dtype.kind == "b" else t


def top_k_accuracy_score(
    y_true: Any, y_score: Any, *, k: int = 2, normalize: bool = True,
    sample_weight: Any = None, labels: Any = None,
    device: Any = "auto", groups: Any = None,
) -> Any:
    """Fraction of rows whose true class is among the ``k`` highest scores.

    See ``sklearn.metrics.top_k_accuracy_score``: ties rank the column with the larger
    index first (scikit-learn's stable sort, reversed); binary ``y_true`` takes 1-D scores
    of the positive class. One pass over the (n, K) matrix, which is neither sorted nor
    copied. ``groups``: every group is scored in the same pass. ``device``: the pass over
    the score matrix runs where it lives (a GPU array in place), or on the GPU with "cuda".

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth labels (integers, bool, integral floats or strings).
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Scores, one column per class in sorted label order; 1-D: the scores of the positive
        class of binary ``y_true``.
    k : int, default 2
        How many of the highest scores count as a hit.
    normalize : bool, default True
        True: the fraction of hits; False: their number (or weight).
    sample_weight : array-like of shape (n_samples,), default None
        Row weights: the sums are float64, equal to scikit-learn's to about 1e-9 relative.
    labels : array-like of shape (n_classes,), default None
        All the classes, sorted: needed when ``y_true`` lacks some.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own: where the pass over the score matrix runs. 'auto' counts a GPU array
        in place and anything else on the CPU; 'cuda' streams host arrays through the GPU;
        'cpu' copies GPU arrays to the host. ``y_true`` (and 1-D binary scores) are checked
        on the host either way.
    groups : array-like of shape (n_samples,), default None
        fastf1's own: one group per row; the result is a :class:`fastf1.ByGroup`,
        ``{group: score}``, each group scored as scikit-learn scores its rows alone. One
        pass counts every group (in the rare case where groups hold different class sets
        that each fit the columns, and ``labels`` is not given, each group's rows are
        scored in turn).

    Returns
    -------
    score : float or ByGroup
        The top-k accuracy.

    Raises
    ------
    ZeroDivisionError
        ``normalize=True`` and the weights (of a group) sum to zero, as in scikit-learn.

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1 import top_k_accuracy_score
    >>> y_score = np.array([[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]])
    >>> top_k_accuracy_score([0, 1, 2, 2], y_score, k=2)
    0.75
    >>> top_k_accuracy_score([0, 1, 2, 2], y_score, k=1, labels=[0, 1, 2],
    ...                      groups=["a", "a", "b", "b"])
    ByGroup({'a': 1.0, 'b': 0.0})
    """
    # scikit-learn's parameter checks, in its signature's order
    check_dense("top_k_accuracy_score", y_true=y_true, y_score=y_score)
    _check_k(k, normalize)
    check_dense("top_k_accuracy_score", sample_weight=sample_weight, labels=labels)
    device = _validation.resolve_device(device, y_true, y_score, sample_weight)
    y_true = _host(y_true, "y_true")
    if device == "cpu":
        y_score, sample_weight = _host(y_score, "y_score"), _host(sample_weight, "sample_weight")
    elif _validation.is_device_array(y_score):
        y_score = _validation._device_input(y_score, "y_score", "cuda")
    t = _as_1d(y_true, "y_true")
    if groups is not None and _validation.is_dask(y_true, y_score, sample_weight, groups):
        raise ValueError("top_k_accuracy_score with groups= does not take Dask collections")
    _check_true(t)
    s = _scores(y_score, t.shape[0])
    if not (sample_weight is None or _validation.is_device_array(sample_weight)
            or _validation.is_dask(sample_weight)):
        # scikit-learn checks the weights' length, then np.average refuses any other
        # shape of them (a dict, an (n, 1) column...) with a TypeError
        _validation.check_lengths(y_true=t.shape[0], y_score=s.shape[0],
                                  sample_weight=num_samples(sample_weight))
        sample_weight = _validation.weight_values(sample_weight, at_most_2d=False)
        if sample_weight.ndim != 1:
            raise TypeError("sample_weight must be 1-D, one weight per sample; got shape "
                            f"{sample_weight.shape}")
    w = _validation.as_weights(sample_weight, t.shape[0], allow_all_zero=True, device=device,
                              second="y_score")
    gc = None if groups is None else _validation.encode_groups(groups, t.shape[0])
    if s.ndim == 2 and s.shape[1] >= 3 and labels is None and t.dtype.kind in "biu":
        # the common case, labels 0 .. K-1 all present: one pass, nothing encoded
        res = _topk_pass(_int_labels(t), s, w, k, 0, gc, True, device)
        if not res.diagnostics[cpu.OUT] and (res.seen > 0).any(axis=0).all():
            _warn_k(k, s.shape[1])
            return _topk_results(res, w, normalize, gc, None if gc is None else s.shape[1])
    labels = None if labels is None else _as_1d(labels, "labels")
    # the classes present tell binary from multiclass, unless labels= says multiclass (more
    # than two labels): then np.unique (a sort of y_true) is not needed at all
    present = np.unique(t) if labels is None or labels.size <= 2 else labels
    if gc is not None and labels is None and present.size > 2 and not (
            s.ndim == 2 and s.shape[1] == present.size):
        # the classes of y_true do not fit the columns, but each group's own might (a group
        # is scored by its own classes): score each group's rows in turn
        return _rows_of_each_group(
            lambda t, s, w: top_k_accuracy_score(t, s, k=k, normalize=normalize,
                                                 sample_weight=w),
            groups, y_true, y_score, sample_weight)
    binary = present.size <= 2 and (labels is None or labels.size <= 2)  # (labels: > 2)
    if binary or s.ndim != 2:  # 1-D scores: checked and scored on the host
        s, w = _host(s, "y_score"), _host(w, "sample_weight")
    if binary:
        if s.ndim == 2 and s.shape[1] != 1:
            raise ValueError(
                f"`y_true` is binary while y_score is 2d with {s.shape[1]} classes. If "
                "`y_true` does not contain all the labels, `labels` must be provided.")
        s = s.reshape(-1)
    elif s.ndim != 2:
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
            f"multiple classes. Got `y_score.shape={s.shape}`.")
    n_cols = s.shape[1] if s.ndim == 2 else 2
    classes = present if labels is None else labels
    _check_classes(t, classes, labels, n_cols, members=binary)
    _warn_k(k, n_cols)
    if binary:
        return _binary_top_k(t, s, w, k, normalize, classes, labels is None, gc)
    codes, offset = _label_codes(t, classes, labels is not None)
    own_classes = gc is not None and labels is None
    res = _topk_pass(codes, s, w, k, offset, gc, own_classes, device)
    if res.diagnostics[cpu.OUT]:  # (labels= a range of integers: checked in the pass)
        raise ValueError(_NOT_IN_LABELS)
    return _topk_results(res, w, normalize, gc, n_cols if own_classes else None)


_NOT_IN_LABELS = "'y_true' contains labels not in parameter 'labels'."


def _label_codes(t: np.ndarray, classes: np.ndarray, check: bool) -> tuple[np.ndarray, int]:
    """(codes, offset): the column of each row is ``codes - offset``. Integer classes of one
    range need no encoding (a label outside it is found by the pass); others are found by
    binary search, and with ``check`` (classes from labels=) each row's label must be one
    of them: O(n log K), no sort of y_true."""
    lo, hi = (int(classes[0]), int(classes[-1])) if classes.dtype.kind in "biu" else (0, -1)
    # the pass reads labels as int64 bit patterns (2**63 and -2**63 are one): uint64 labels
    # need classes from 0, all others classes below 2**63
    if t.dtype.kind in "biuf" and hi - lo + 1 == classes.size and (
            lo >= 0 if t.dtype == np.uint64 else hi < 1 << 63):
        return _int_labels(t), lo
    if check and (classes.dtype.kind in "US") != (t.dtype.kind in "US"):
        raise ValueError(_NOT_IN_LABELS)
    codes = np.searchsorted(classes, t)
    if check and not np.array_equal(classes[np.minimum(codes, classes.size - 1)], t):
        raise ValueError(_NOT_IN_LABELS)
    return codes, 0


def _check_classes(t: np.ndarray, classes: np.ndarray, labels: Any, n_cols: int,
                   members: bool = True) -> None:
    """scikit-learn's checks of the classes against the columns of y_score (``members``
    False: that y_true holds only labels is left to ``_label_codes``)."""
    if labels is None:
        if classes.size != n_cols:
            raise ValueError(_n_classes_message(classes.size, n_cols))
        return
    unique = np.unique(labels)
    if unique.size != labels.size:
        raise ValueError("Parameter 'labels' must be unique.")
    if not np.array_equal(unique, labels):
        raise ValueError("Parameter 'labels' must be ordered.")
    if unique.size != n_cols:
        raise ValueError(f"Number of given labels ({unique.size}) not equal to the "
                         f"number of classes in 'y_score' ({n_cols}).")
    if members and np.setdiff1d(t, unique).size:
        raise ValueError(_NOT_IN_LABELS)


def _n_classes_message(n_present: int, n_cols: int) -> str:
    return (f"Number of classes in 'y_true' ({n_present}) not equal to the number of classes "
            f"in 'y_score' ({n_cols}).You can provide a list of all known classes by "
            "assigning it to the `labels` parameter.")


def _check_group_classes(res: _TopKPass, q: int, n_cols: int) -> None:
    """Group q, scored alone (its classes from its own rows), must hold every class:
    else scikit-learn's error for it."""
    m = int((res.seen[q] > 0).sum())  # summed over threads
    if m <= 2:
        raise ValueError(
            f"`y_true` is binary while y_score is 2d with {n_cols} classes. If "
            "`y_true` does not contain all the labels, `labels` must be provided.")
    if m != n_cols:
        raise ValueError(_n_classes_message(m, n_cols))


def _warn_k(k: int, n_classes: int) -> None:
    if k >= n_classes:
        warnings.warn(f"'k' ({k}) greater than or equal to 'n_classes' ({n_classes}) will "
                      "result in a perfect score and is therefore meaningless.",
                      UndefinedMetricWarning, stacklevel=3)


class _TopKPass(NamedTuple):
    """What the top-k pass counted, per group (one group without ``groups``)."""

    hits: np.ndarray  # int64 (G,)
    weighted_hits: np.ndarray  # float64 (G,), empty when unweighted
    weight: np.ndarray  # float64 (G,), empty when unweighted
    rows: np.ndarray  # int64 (G,)
    seen: np.ndarray  # (G, K) > 0 where seen (summed over threads), or (G, 0)
    diagnostics: np.ndarray


def _topk_pass(t: np.ndarray, s: Any, w: Any, k: int, offset: int, groups: Any = None,
               present: bool = True, device: str = "cpu") -> _TopKPass:
    """The one pass of the kernel over rows ``t`` (column ``t - offset``) and scores ``s``,
    per group of ``groups`` (GroupCodes), on ``device``; its errors raised."""
    codes, goffset, ngroups = ((None, np.int64(0), 1) if groups is None
                               else (groups.codes, groups.offset, groups.values.size))
    # k past the columns ranks every column in: the same hits, and k fits an int64
    k = min(int(k), s.shape[1])
    if ngroups * (s.shape[1] if present else 1) > _dispatch.GROUP_CELLS_MAX:
        raise _dispatch.TooManyCells(ngroups, s.shape[1])
    if device == "cuda":
        from ._kernels import cuda as gpu  # numba.cuda: imported only for the GPU path

        # labels and groups as int64 indices, made on the host (the GPU kernel's one form)
        res = _TopKPass(*gpu.top_k_hits(
            t.astype(np.int64), s, w, None if groups is None else groups.row_groups(),
            ngroups, np.int64(k), np.int64(_dispatch._wrap64(offset)), present))
    else:
        # read-only views: one compiled signature whether the inputs are writable or not
        arrays = tuple(_validation.read_only(a) for a in (t, s, w, codes))
        res = _TopKPass(*_dispatch.run(topk.top_k_hits, arrays, goffset, ngroups,
                                       np.int64(k), np.int64(_dispatch._wrap64(offset)), present,
                                       cost=s.shape[1]))
    diag = res.diagnostics
    if diag[cpu.BADVAL_PRED]:
        raise ValueError("Input y_score contains NaN or infinity.")
    if diag[cpu.BAD_WEIGHT]:
        raise ValueError(f"sample_weight contains {diag[cpu.BAD_WEIGHT]} NaN or inf value(s)")
    return res


def _fraction(hits: Any, total: Any, weighted: bool, normalize: bool) -> float:
    """scikit-learn's ``_weighted_sum``: hits over the rows (np.average), or the hits."""
    if not normalize:
        return float(hits)
    if weighted and total == 0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return float(np.float64(hits) / np.float64(total))


def _topk_results(res: _TopKPass, w: Any, normalize: bool, gc: Any,
                  check_classes: int | None = None) -> Any:
    """The score (of each group of ``gc``, in order; ``check_classes``: the columns each
    group's classes must fill, as scikit-learn checks them group by group)."""
    def score(q: int) -> float:
        if check_classes is not None:
            _check_group_classes(res, q, check_classes)
        if w is None:
            return _fraction(res.hits[q], res.rows[q], False, normalize)
        return _fraction(res.weighted_hits[q], res.weight[q], True, normalize)

    if gc is None:
        return score(0)
    return ByGroup(_validation.score_groups(
        ((value, q) for q, value in enumerate(gc.values.tolist()) if res.rows[q]), score))


def _binary_top_k(t: np.ndarray, s: np.ndarray, w: Any, k: int, normalize: bool,
                  classes: np.ndarray, own_classes: bool, gc: Any) -> Any:
    """scikit-learn's binary case: 1-D scores of the positive (second) class. With
    ``groups`` each group's threshold (0.5 for scores in [0, 1], else 0) comes from its
    own scores, and with ``own_classes`` (no ``labels``) each group must hold both
    classes."""
    if not np.all(np.isfinite(s)):
        raise ValueError("Input y_score contains NaN or infinity.")
    code = np.searchsorted(classes, t)
    if gc is None:
        hits = _binary_hits(s, code, k, None, 1)
        if normalize:  # np.average raises scikit-learn's ZeroDivisionError
            return float(np.average(hits, weights=w))
        return float(np.sum(hits)) if w is None else float(np.dot(hits, w))
    q: np.ndarray = gc.row_groups()
    n_groups = gc.values.size
    has = np.zeros((n_groups, 2), np.bool_)
    has[q, code] = True
    hits = _binary_hits(s, code, k, q, n_groups)
    rows = np.bincount(q, minlength=n_groups)
    if w is None:
        sums, totals = np.bincount(q, weights=hits, minlength=n_groups), rows
    else:
        sums = np.bincount(q, weights=np.where(hits, w, 0.0), minlength=n_groups)
        totals = np.bincount(q, weights=w, minlength=n_groups)

    def score(g: int) -> float:
        if own_classes and not has[g].all():  # scikit-learn's check, group by group
            raise ValueError(_n_classes_message(1, 2))
        return _fraction(sums[g], totals[g], w is not None, normalize)

    return ByGroup(_validation.score_groups(
        ((value, g) for g, value in enumerate(gc.values.tolist()) if rows[g]), score))


def _binary_hits(s: np.ndarray, code: np.ndarray, k: int, q: np.ndarray | None,
                 n_groups: int) -> np.ndarray:
    """Each row's hit: with k = 1 the score is compared with 0.5 (scores in [0, 1]) or 0,
    decided over all rows or (``q``) each group's; with k >= 2 every row is a hit."""
    if k != 1:
        return np.ones_like(s, dtype=np.bool_)
    threshold: Any
    if q is None:
        threshold = 0.5 if s.min() >= 0 and s.max() <= 1 else 0
    else:
        lo = np.full(n_groups, np.inf)
        hi = np.full(n_groups, -np.inf)
        np.minimum.at(lo, q, s)
        np.maximum.at(hi, q, s)
        threshold = np.where((lo >= 0) & (hi <= 1), 0.5, 0.0)[q]
    return (s > threshold).astype(np.int64) == code


class TopKCounts:
    """Top-k hits of score matrices, counted chunk by chunk: additive counts.

    :func:`top_k_accuracy_score` streamed. :meth:`update` counts one chunk of rows in one
    pass (the kernel of :func:`top_k_accuracy_score`), ``+`` adds the counts of other chunks
    (files, processes, days), and :meth:`top_k_accuracy_score` scores every row counted:
    equal to ``sklearn.metrics.top_k_accuracy_score(y_true, y_score, k=k, labels=labels)``
    on the concatenated rows, with ``labels`` the column indices ``0 .. K - 1`` unless given.
    Two-column matrices follow the same rule (scikit-learn takes only 1-D scores there); the
    binary form of 1-D scores, whose threshold depends on every score, is not streamed.

    Parameters
    ----------
    k : int, default 2
        How many of the highest scores count as a hit.
    labels : array-like of shape (n_classes,), default None
        The class of each column, sorted; None: ``y_true`` holds column indices.

    Attributes
    ----------
    k : int
        As given.
    labels : ndarray or None
        As given.
    n_classes : int or None
        Columns of the score matrices (None before the first row).
    hits, rows : int
        Rows whose true class is among the ``k`` best, and rows counted.
    weighted : bool
        Some chunk carried sample weights: the score is then ``weighted_hits / weight``
        (rows of unweighted chunks weigh 1).
    weighted_hits, weight : float
        The weight of the hits, and of every row counted.

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1 import TopKCounts
    >>> scores = np.array([[0.5, 0.2, 0.3], [0.3, 0.4, 0.3], [0.2, 0.5, 0.3], [0.7, 0.2, 0.1]])
    >>> counts = TopKCounts(k=2).update([0, 1], scores[:2]).update([2, 2], scores[2:])
    >>> counts.hits, counts.rows, counts.top_k_accuracy_score()
    (3, 4, 0.75)
    """

    def __init__(self, k: int = 2, *, labels: Any = None) -> None:
        _check_k(k)
        self.k = int(k)
        self.labels = None if labels is None else _as_1d(labels, "labels")
        if self.labels is not None:
            _check_classes(self.labels[:0], self.labels, self.labels, self.labels.size)
        self.n_classes: int | None = None if self.labels is None else int(self.labels.size)
        self.hits = 0
        self.rows = 0
        self.weighted = False
        self.weighted_hits = 0.0
        self.weight = 0.0

    def _codes(self, y_true: Any) -> tuple[np.ndarray, int]:
        """(integer labels, offset of column 0) of one chunk's y_true."""
        t = _as_1d(y_true, "y_true")
        _check_true(t)
        if self.labels is None:
            if t.dtype.kind not in "biuf":
                raise ValueError(f"y_true holds {t.dtype} values: without labels= it must "
                                 "hold the column index of each row's class")
            return (t.astype(np.int64) if t.dtype.kind == "f" else _int_labels(t)), 0
        return _label_codes(t, self.labels, True)

    def _chunk(self, y_true: Any, y_score: Any, sample_weight: Any,
               gc: Any = None) -> tuple[_TopKPass, bool] | None:
        """The pass over one chunk (None when it is empty), per group of ``gc``."""
        n = _as_1d(y_true, "y_true").shape[0]
        if n == 0:
            return None
        s = _scores(y_score, n)
        if s.ndim != 2:
            raise ValueError("TopKCounts counts score matrices of shape (n_samples, "
                             f"n_classes); got y_score of shape {s.shape}")
        if self.n_classes is not None and s.shape[1] != self.n_classes:
            raise ValueError(f"y_score has {s.shape[1]} columns, but these counts are of "
                             f"{self.n_classes} classes")
        w = _validation.as_weights(sample_weight, n, allow_all_zero=True, second="y_score")
        t, offset = self._codes(y_true)
        res = _topk_pass(t, s, w, self.k, offset, gc, present=False)
        if res.diagnostics[cpu.OUT] and self.labels is not None:
            raise ValueError(_NOT_IN_LABELS)
        if res.diagnostics[cpu.OUT]:
            label = int(res.diagnostics[cpu.OUT_MIN])
            if t.dtype == np.uint64:  # recorded as int64: from 2**63 they read negative
                label %= 1 << 64
            raise ValueError(f"y_true holds {label}, which is not a column of y_score "
                             f"(0 .. {s.shape[1] - 1}); pass labels= to name the class of "
                             "each column")
        self.n_classes = int(s.shape[1])
        return res, w is not None

    def _add(self, res: _TopKPass, q: int, weighted: bool) -> TopKCounts:
        self.hits += int(res.hits[q])
        self.rows += int(res.rows[q])
        self.weighted |= weighted
        self.weighted_hits += float(res.weighted_hits[q]) if weighted else float(res.hits[q])
        self.weight += float(res.weight[q]) if weighted else float(res.rows[q])
        return self

    def update(self, y_true: Any, y_score: Any, sample_weight: Any = None) -> TopKCounts:
        """Count one more chunk of rows into these counts, in place.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The class of each row: a column index, or one of ``labels``.
        y_score : array-like of shape (n_samples, n_classes)
            Scores, one column per class.
        sample_weight : array-like of shape (n_samples,), default None
            Row weights of this chunk.

        Returns
        -------
        TopKCounts
            ``self``, so that updates chain.
        """
        check_dense("TopKCounts.update", sample_weight=sample_weight)
        chunk = self._chunk(y_true, y_score, sample_weight)
        return self if chunk is None else self._add(chunk[0], 0, chunk[1])

    @classmethod
    def by_group(cls, y_true: Any, y_score: Any, groups: Any, *, k: int = 2,
                 sample_weight: Any = None, labels: Any = None) -> ByGroup:
        """The counts of each group of rows, all in one pass.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            The class of each row: a column index, or one of ``labels``.
        y_score : array-like of shape (n_samples, n_classes)
            Scores, one column per class.
        groups : array-like of shape (n_samples,)
            The group of each row.
        k : int, default 2
            How many of the highest scores count as a hit.
        sample_weight : array-like of shape (n_samples,), default None
            Row weights.
        labels : array-like of shape (n_classes,), default None
            The class of each column, sorted; None: ``y_true`` holds column indices.

        Returns
        -------
        ByGroup
            ``{group: TopKCounts}`` for every group with rows, in sorted group order.

        Examples
        --------
        >>> import numpy as np
        >>> from fastf1 import TopKCounts
        >>> scores = np.array([[0.5, 0.2, 0.3], [0.3, 0.4, 0.3], [0.2, 0.5, 0.3]])
        >>> by = TopKCounts.by_group([0, 1, 2], scores, ["a", "a", "b"], k=1)
        >>> by.map(lambda c: c.top_k_accuracy_score())
        ByGroup({'a': 1.0, 'b': 0.0})
        """
        first = cls(k, labels=labels)
        n = _as_1d(y_true, "y_true").shape[0]
        gc = _validation.encode_groups(groups, n)
        chunk = first._chunk(y_true, y_score, sample_weight, gc)
        if chunk is None:
            return ByGroup()
        res, weighted = chunk
        out = ByGroup()
        for q, value in enumerate(gc.values.tolist()):
            if res.rows[q]:
                one = cls(k, labels=labels)
                one.n_classes = first.n_classes
                out[value] = one._add(res, q, weighted)
        return out

    def __add__(self, other: TopKCounts) -> TopKCounts:
        if not isinstance(other, TopKCounts):
            return NotImplemented
        if self.k != other.k:
            raise ValueError(f"cannot add top-{self.k} counts and top-{other.k} counts")
        if (self.labels is None) != (other.labels is None) or (
                self.labels is not None and other.labels is not None
                and not np.array_equal(self.labels, other.labels)):
            raise ValueError("cannot add counts of different labels")
        if None not in (self.n_classes, other.n_classes) and self.n_classes != other.n_classes:
            raise ValueError(f"cannot add counts of {self.n_classes} and {other.n_classes} "
                             "classes")
        out = TopKCounts(self.k, labels=self.labels)
        out.n_classes = self.n_classes if self.n_classes is not None else other.n_classes
        out.hits, out.rows = self.hits + other.hits, self.rows + other.rows
        out.weighted = self.weighted or other.weighted
        out.weighted_hits = self.weighted_hits + other.weighted_hits
        out.weight = self.weight + other.weight
        return out

    def __repr__(self) -> str:
        return f"TopKCounts(k={self.k}, hits={self.hits}, rows={self.rows})"

    def top_k_accuracy_score(self, *, normalize: bool = True) -> float:
        """The top-k accuracy of every row counted.

        Parameters
        ----------
        normalize : bool, default True
            True: the fraction of hits; False: their number (or weight).

        Returns
        -------
        float
            As ``sklearn.metrics.top_k_accuracy_score`` on all the rows.

        Raises
        ------
        ValueError
            No rows were counted.
        ZeroDivisionError
            ``normalize=True`` and the weights sum to zero, as in scikit-learn.
        """
        _check_k(self.k, normalize)
        if not self.rows or self.n_classes is None:
            raise ValueError("no rows counted: top-k accuracy is undefined")
        _warn_k(self.k, self.n_classes)
        if self.weighted:
            return _fraction(self.weighted_hits, self.weight, True, normalize)
        return _fraction(self.hits, self.rows, False, normalize)

    # ---- counts as data (saved runs) ------------------------------------------------------

    def _to_data(self) -> dict[str, Any]:
        return {"format": _json.FORMAT, "version": _json.COUNTS_VERSION, "kind": "TopKCounts",
                "k": self.k,
                "labels": None if self.labels is None else _json.encode_array(self.labels),
                "n_classes": self.n_classes, "hits": self.hits, "rows": self.rows,
                "weighted": self.weighted, "weighted_hits": self.weighted_hits,
                "weight": self.weight}

    @classmethod
    def _from_data(cls, data: Any) -> TopKCounts:
        _json.check_header(data, "TopKCounts")

        def count(key: str, kind: Any = int, nullable: bool = False) -> Any:
            value = data.get(key)
            if nullable and value is None:
                return None
            if isinstance(value, bool) or not isinstance(value, kind) or (
                    kind is int and value < 0):
                raise _json.NotCounts(f"TopKCounts: {key} must be a count")
            return value

        labels = data.get("labels")
        out = cls(count("k"), labels=None if labels is None
                  else _json.decode_array(labels, "labels"))
        out.n_classes = count("n_classes", nullable=True)
        out.hits, out.rows = count("hits"), count("rows")
        weighted = data.get("weighted")
        if not isinstance(weighted, bool):
            raise _json.NotCounts("TopKCounts: weighted must be true or false")
        out.weighted = weighted
        out.weighted_hits = float(count("weighted_hits", (int, float)))
        out.weight = float(count("weight", (int, float)))
        if out.hits > out.rows or (out.rows and out.n_classes is None):
            raise _json.NotCounts("TopKCounts: hits, rows and n_classes do not fit")
        if out.n_classes is not None and out.n_classes < 1:
            raise _json.NotCounts("TopKCounts: n_classes must be at least 1")
        if out.labels is not None and out.labels.size != out.n_classes:
            raise _json.NotCounts("TopKCounts: labels must be n_classes long")
        if not (math.isfinite(out.weighted_hits) and math.isfinite(out.weight)):
            raise _json.NotCounts("TopKCounts: weighted_hits and weight must be finite")
        # sample weights may be negative (as in scikit-learn): only unweighted counts have
        # weight sums that are the (float) row counts, non-negative and hits <= rows
        if not out.weighted and not (0 <= out.weighted_hits <= out.weight):
            raise _json.NotCounts("TopKCounts: weighted_hits must be from 0 to weight "
                                  "when unweighted")
        return out


__all__ = [
    "balanced_accuracy_score",
    "class_likelihood_ratios",
    "cohen_kappa_score",
    "hamming_loss",
    "jaccard_score",
    "matthews_corrcoef",
    "TopKCounts",
    "top_k_accuracy_score",
    "zero_one_loss",
]
