"""scikit-learn-compatible metric functions.

Each function runs the same stages: validate the arguments, count in one pass
(:func:`fastf1.stat_scores`), reduce the counts to scores (``_reduce``). The signatures,
defaults, results, warnings and errors are those of ``sklearn.metrics``; fastf1's additions
are keyword-only and last:

threshold : float, or one float per label for multilabel scores, optional
    ``y_pred`` holds scores; a row (label) is predicted positive when ``score >= threshold``.
ignore_index : int, optional
    Rows whose true label equals this value are skipped (padding such as -100).
device : {"auto", "cpu", "cuda"}, default "auto"
    Where the counting pass runs. "auto" uses the GPU for inputs already on it (CuPy,
    PyTorch, numba device arrays: counted in place, never copied) and the CPU otherwise;
    "cuda" streams host arrays to the GPU; "cpu" copies GPU inputs to the host. Per-row
    quantities (``average="samples"``, multilabel subset accuracy) are computed on the host.
groups : array-like of shape (n_samples,), optional
    One group per row (model version, country, day). Every group is counted in the same
    single pass and the result is a :class:`fastf1.ByGroup`, ``{group: result}``, each
    result equal to the function on that group's rows alone. (Per-row results, such as
    ``average="samples"`` and the confusion matrix, select each group's rows in turn.)

A 2-D float ``y_pred`` with 1-D ``y_true`` is a score matrix: the prediction is its argmax
(first maximum on ties, as ``np.argmax``), fused into the counting pass.
"""

from __future__ import annotations

import warnings
from typing import Any, overload

import numpy as np

from . import _confusion, _reduce, _validation
from ._types import ArrayLike, Average, Device, Score, ZeroDivision
from .counts import ByGroup, StatScores, stat_scores

_ALL = ("precision", "recall", "f-score")


def _checked_stats(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any,
                   ignore_index: Any, labels: Any, average: Any, zero_division: Any,
                   beta: Any = 1.0, device: Any = "auto", groups: Any = None) -> Any:
    _validation.check_average(average)
    _validation.check_zero_division(zero_division)
    _validation.check_beta(beta)
    return stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                       ignore_index=ignore_index, labels=labels, device=device, groups=groups)


def _each(result: Any, func: Any) -> Any:
    """``func(result)``, or of each group's result."""
    return result.map(func) if isinstance(result, ByGroup) else func(result)


def _rows_of_each_group(func: Any, groups: Any, y_true: Any, y_pred: Any,
                        sample_weight: Any, ignore_index: Any = None) -> Any:
    """``func(y_true, y_pred, sample_weight)`` of each group's rows: for per-row results,
    which are not sums of counts (one selection of rows per group). A group whose every
    row is ``ignore_index`` is left out, as in the counting pass."""
    if _validation.is_dask(y_true, y_pred, sample_weight, groups):
        raise ValueError("with groups=, average='samples', samplewise, multilabel subset "
                         "accuracy and confusion_matrix select each group's rows in memory: "
                         "they do not take Dask collections")
    t, p = (_validation.as_array(x, name) for x, name in ((y_true, "y_true"), (y_pred, "y_pred")))
    _validation.check_length("y_pred", p.shape[0], t.shape[0])
    if t.shape[0] == 0:
        return func(t, p, sample_weight)  # the error of empty input
    w = None if sample_weight is None else _validation.as_array(sample_weight, "sample_weight")
    if w is not None and w.ndim:  # the weights' own dtype: integer weights stay integers
        _validation.check_length("sample_weight", w.shape[0], t.shape[0])
    codes = _validation.encode_groups(groups, t.shape[0])
    # one stable sort puts each group's rows together, in row order (not a scan per group)
    index = codes.row_groups()
    order = np.argsort(index, kind="stable")
    bounds = np.searchsorted(index[order], np.arange(codes.values.size + 1))
    out = ByGroup()
    for k, value in enumerate(codes.values.tolist()):
        rows = order[bounds[k]:bounds[k + 1]]
        if ignore_index is not None and t.ndim == 1:
            rows = rows[t[rows] != ignore_index]
        if rows.size:
            out[value] = func(t[rows], p[rows], w[rows] if w is not None and w.ndim else w)
    return out


@overload
def precision_recall_fscore_support(
    y_true: ArrayLike, y_pred: ArrayLike, *, beta: float = 1.0, labels: Any = None, pos_label: Any = 1,
    average: Average = None, warn_for: Any = _ALL, sample_weight: ArrayLike | None = None,
    zero_division: ZeroDivision = "warn", threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> tuple[Any, Any, Any, Any]: ...


@overload
def precision_recall_fscore_support(
    y_true: ArrayLike, y_pred: ArrayLike, *, beta: float = 1.0, labels: Any = None, pos_label: Any = 1,
    average: Average = None, warn_for: Any = _ALL, sample_weight: ArrayLike | None = None,
    zero_division: ZeroDivision = "warn", threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def precision_recall_fscore_support(
    y_true: Any, y_pred: Any, *, beta: float = 1.0, labels: Any = None, pos_label: Any = 1,
    average: Any = None, warn_for: Any = _ALL, sample_weight: Any = None,
    zero_division: Any = "warn", threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> tuple[Any, Any, Any, Any] | ByGroup:
    """Precision, recall, F-beta and support; see ``sklearn.metrics.precision_recall_fscore_support``.

    Examples
    --------
    >>> from fastf1 import precision_recall_fscore_support
    >>> precision_recall_fscore_support([0, 1, 2, 2], [0, 2, 2, 1], average="macro")
    (0.5, 0.5, 0.5, None)
    """
    if average == "samples":
        _validation.check_zero_division(zero_division)
        _validation.check_beta(beta)

        def samples(t: Any, p: Any, w: Any) -> Any:
            return _samples_prfs(t, p, w, threshold, labels, pos_label, beta, warn_for,
                                 zero_division)

        if groups is not None:
            return _rows_of_each_group(samples, groups, y_true, y_pred, sample_weight)
        return samples(y_true, y_pred, sample_weight)
    stats = _checked_stats(y_true, y_pred, sample_weight, threshold, ignore_index, labels,
                           average, zero_division, beta, device, groups)
    return _each(stats, lambda s: s.precision_recall_fscore_support(
        beta=beta, labels=labels, pos_label=pos_label, average=average,
        warn_for=warn_for, zero_division=zero_division))


def _item(result: Any, i: int) -> Any:
    """``result[i]`` of a tuple, or of each group's tuple."""
    return _each(result, lambda r: r[i])


@overload
def fbeta_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, beta: float, labels: Any = None, pos_label: Any = 1,
    average: Average = "binary", sample_weight: ArrayLike | None = None, zero_division: ZeroDivision = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> Score: ...


@overload
def fbeta_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, beta: float, labels: Any = None, pos_label: Any = 1,
    average: Average = "binary", sample_weight: ArrayLike | None = None, zero_division: ZeroDivision = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def fbeta_score(
    y_true: Any, y_pred: Any, *, beta: float, labels: Any = None, pos_label: Any = 1,
    average: Any = "binary", sample_weight: Any = None, zero_division: Any = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> Score | ByGroup:
    """F-beta score; see ``sklearn.metrics.fbeta_score``.

    Examples
    --------
    >>> from fastf1 import fbeta_score
    >>> round(fbeta_score([0, 1, 1, 1], [0, 1, 0, 1], beta=2), 4)
    0.7143
    """
    return _item(precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        warn_for=("f-score",), sample_weight=sample_weight, zero_division=zero_division,
        threshold=threshold, ignore_index=ignore_index, device=device, groups=groups), 2)


@overload
def f1_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, pos_label: Any = 1,
    average: Average = "binary", sample_weight: ArrayLike | None = None, zero_division: ZeroDivision = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> Score: ...


@overload
def f1_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, pos_label: Any = 1,
    average: Average = "binary", sample_weight: ArrayLike | None = None, zero_division: ZeroDivision = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def f1_score(
    y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
    average: Any = "binary", sample_weight: Any = None, zero_division: Any = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> Score | ByGroup:
    """F1 score; see ``sklearn.metrics.f1_score``.

    Examples
    --------
    >>> from fastf1 import f1_score
    >>> f1_score([0, 1, 2, 2], [0, 2, 2, 2], average="micro")
    0.75
    >>> f1_score([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.1], threshold=0.5)
    0.6666666666666666
    """
    return fbeta_score(
        y_true, y_pred, beta=1, labels=labels, pos_label=pos_label, average=average,
        sample_weight=sample_weight, zero_division=zero_division, threshold=threshold,
        ignore_index=ignore_index, device=device, groups=groups)


@overload
def precision_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, pos_label: Any = 1,
    average: Average = "binary", sample_weight: ArrayLike | None = None, zero_division: ZeroDivision = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> Score: ...


@overload
def precision_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, pos_label: Any = 1,
    average: Average = "binary", sample_weight: ArrayLike | None = None, zero_division: ZeroDivision = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def precision_score(
    y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
    average: Any = "binary", sample_weight: Any = None, zero_division: Any = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> Score | ByGroup:
    """Precision; see ``sklearn.metrics.precision_score``."""
    return _item(precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("precision",), sample_weight=sample_weight, zero_division=zero_division,
        threshold=threshold, ignore_index=ignore_index, device=device, groups=groups), 0)


@overload
def recall_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, pos_label: Any = 1,
    average: Average = "binary", sample_weight: ArrayLike | None = None, zero_division: ZeroDivision = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> Score: ...


@overload
def recall_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, pos_label: Any = 1,
    average: Average = "binary", sample_weight: ArrayLike | None = None, zero_division: ZeroDivision = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def recall_score(
    y_true: Any, y_pred: Any, *, labels: Any = None, pos_label: Any = 1,
    average: Any = "binary", sample_weight: Any = None, zero_division: Any = "warn",
    threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> Score | ByGroup:
    """Recall; see ``sklearn.metrics.recall_score``."""
    return _item(precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("recall",), sample_weight=sample_weight, zero_division=zero_division,
        threshold=threshold, ignore_index=ignore_index, device=device, groups=groups), 1)


@overload
def accuracy_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, normalize: bool = True, sample_weight: ArrayLike | None = None,
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> float: ...


@overload
def accuracy_score(
    y_true: ArrayLike, y_pred: ArrayLike, *, normalize: bool = True, sample_weight: ArrayLike | None = None,
    threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def accuracy_score(
    y_true: Any, y_pred: Any, *, normalize: bool = True, sample_weight: Any = None,
    threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> float | ByGroup:
    """Accuracy (subset accuracy for multilabel); see ``sklearn.metrics.accuracy_score``.

    Examples
    --------
    >>> from fastf1 import accuracy_score
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    """
    def accuracy(s: StatScores) -> float:
        return s.accuracy_score(normalize=normalize)

    if _validation.is_dask(y_true, y_pred, sample_weight, groups):  # counts on the workers (single-label)
        return _each(stat_scores(y_true, y_pred, sample_weight=sample_weight,
                                 threshold=threshold, ignore_index=ignore_index,
                                 groups=groups), accuracy)
    inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device="cpu")
    if inp.kind == "multilabel" and groups is not None:
        return _rows_of_each_group(
            lambda t, p, w: accuracy_score(t, p, normalize=normalize, sample_weight=w,
                                           threshold=threshold),
            groups, y_true, y_pred, sample_weight)
    if inp.kind == "multilabel":  # per-row: on the host
        true, pred = _dense_indicators(inp)
        exact = (true == pred).all(axis=1)
        if inp.w is None:
            return _reduce.accuracy(int(exact.sum()), exact.shape[0], normalize)
        return _reduce.accuracy(float(np.dot(exact, inp.w)), float(inp.w.sum()), normalize)
    stats = stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                        ignore_index=ignore_index, device=device, groups=groups)
    return _each(stats, accuracy)


@overload
def multilabel_confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None, labels: Any = None,
    samplewise: bool = False, threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> np.ndarray: ...


@overload
def multilabel_confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None, labels: Any = None,
    samplewise: bool = False, threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def multilabel_confusion_matrix(
    y_true: Any, y_pred: Any, *, sample_weight: Any = None, labels: Any = None,
    samplewise: bool = False, threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> np.ndarray | ByGroup:
    """One 2 x 2 matrix ``[[tn, fp], [fn, tp]]`` per label (or per row with ``samplewise``)."""
    if samplewise and groups is not None:
        return _rows_of_each_group(
            lambda t, p, w: multilabel_confusion_matrix(
                t, p, sample_weight=w, labels=labels, samplewise=True, threshold=threshold),
            groups, y_true, y_pred, sample_weight)
    if samplewise:
        inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device="cpu")
        if inp.kind != "multilabel":
            raise ValueError(
                "Samplewise metrics are not available outside of multilabel classification.")
        tp, true, pred, n_labels = _per_row_counts(inp, labels)
        fp, fn = pred - tp, true - tp
        tn = (n_labels if inp.w is None else inp.w * n_labels) - tp - fp - fn
        out = np.stack([tn, fp, fn, tp]).T.reshape(-1, 2, 2)
        return out.astype(np.int64) if inp.int_weights else out  # as sklearn: int stays int
    stats = stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                        ignore_index=ignore_index, labels=labels, device=device, groups=groups)
    return _each(stats, lambda s: s.multilabel_confusion_matrix(labels=labels))


@overload
def classification_report(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, target_names: Any = None,
    sample_weight: ArrayLike | None = None, digits: int = 2, output_dict: bool = False,
    zero_division: ZeroDivision = "warn", threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> str | dict[str, Any]: ...


@overload
def classification_report(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, target_names: Any = None,
    sample_weight: ArrayLike | None = None, digits: int = 2, output_dict: bool = False,
    zero_division: ZeroDivision = "warn", threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def classification_report(
    y_true: Any, y_pred: Any, *, labels: Any = None, target_names: Any = None,
    sample_weight: Any = None, digits: int = 2, output_dict: bool = False,
    zero_division: Any = "warn", threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> str | dict[str, Any] | ByGroup:
    """Text (or dict) summary of per-label and averaged scores; see sklearn's."""
    _validation.check_zero_division(zero_division)
    stats = stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                        ignore_index=ignore_index, labels=labels, device=device, groups=groups)

    def report(s: StatScores, samples: Any) -> Any:
        return s.classification_report(labels=labels, target_names=target_names,
                                       digits=digits, output_dict=output_dict,
                                       zero_division=zero_division, _samples=samples)

    samples = None
    if any(s.multilabel for s in (stats.values() if groups is not None else [stats])):
        samples = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average="samples", sample_weight=sample_weight,
            zero_division=zero_division, threshold=threshold, groups=groups)
    if groups is None:
        return report(stats, None if samples is None else samples[:3])
    return ByGroup((g, report(s, None if samples is None else samples[g][:3]))
                   for g, s in stats.items())


@overload
def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, sample_weight: ArrayLike | None = None,
    normalize: Any = None, threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: None = None,
) -> np.ndarray: ...


@overload
def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, *, labels: Any = None, sample_weight: ArrayLike | None = None,
    normalize: Any = None, threshold: Any = None, ignore_index: Any = None,
    device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def confusion_matrix(
    y_true: Any, y_pred: Any, *, labels: Any = None, sample_weight: Any = None,
    normalize: Any = None, threshold: Any = None, ignore_index: Any = None,
    device: Any = "auto", groups: Any = None,
) -> np.ndarray | ByGroup:
    """The K x K confusion matrix; see ``sklearn.metrics.confusion_matrix``.

    Examples
    --------
    >>> from fastf1 import confusion_matrix
    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    """
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"normalize must be one of None, 'true', 'pred', 'all'; got {normalize!r}")
    if groups is not None:
        return _rows_of_each_group(
            lambda t, p, w: confusion_matrix(t, p, labels=labels, sample_weight=w,
                                             normalize=normalize, threshold=threshold,
                                             device=device),
            groups, y_true, y_pred, sample_weight, ignore_index)
    weight_dtype = getattr(sample_weight, "dtype", None)
    if weight_dtype is None and sample_weight is not None:
        weight_dtype = np.asarray(sample_weight).dtype
    int_weights = weight_dtype is not None and np.dtype(weight_dtype).kind in "biu"
    if _validation.is_dask(y_true, y_pred, sample_weight):
        counts = _confusion.dask_confusion_counts(
            y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
            ignore_index=ignore_index, labels=labels)
    else:
        inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device=device)
        counts = _confusion.confusion_counts(inp, ignore_index, labels)
    return _confusion_from_counts(*counts, labels=labels, normalize=normalize,
                                  int_weights=int_weights)


def _confusion_from_counts(values: np.ndarray, cm: np.ndarray, wcm: np.ndarray | None, *,
                           labels: Any, normalize: Any, int_weights: bool) -> np.ndarray:
    """scikit-learn's selection (labels=), dtype and normalisation of a confusion matrix."""
    matrix = cm if wcm is None else wcm
    if labels is None:
        out = matrix
    else:
        labels_arr = np.asarray(labels)
        if labels_arr.size == 0:
            raise ValueError("'labels' should contain at least one label.")
        # numbers never match strings: scikit-learn finds no label of `labels` in y_true
        if ((labels_arr.dtype.kind in "US") != (values.dtype.kind in "US")
                or not np.isin(labels_arr, values[cm.sum(axis=1) > 0]).any()):
            raise ValueError("At least one label specified must be in y_true")
        sel = np.clip(np.searchsorted(values, labels_arr), 0, max(values.size - 1, 0))
        found = values[sel] == labels_arr
        # samples whose labels are outside `labels` drop out: a sub-matrix
        out = matrix[np.ix_(sel, sel)] * np.outer(found, found)
    if int_weights:
        out = np.rint(out).astype(np.int64)  # integer weights keep integer counts, as sklearn
    if normalize is not None:
        with np.errstate(all="ignore"):
            if normalize == "true":
                out = out / out.sum(axis=1, keepdims=True)
            elif normalize == "pred":
                out = out / out.sum(axis=0, keepdims=True)
            else:
                out = out / out.sum()
            out = np.nan_to_num(out)
    if out.shape == (1, 1):
        _reduce.warn_single_label(stacklevel=4)
    return out


# ---- per-row counts: average="samples" and samplewise (multilabel only) ---------------


def _dense_indicators(inp: _validation.Inputs) -> tuple[np.ndarray, np.ndarray]:
    """Boolean truth and prediction matrices (validated like the counting pass)."""
    t, p = (x.toarray() if hasattr(x, "toarray") else np.asarray(x) for x in (inp.t, inp.p))
    if not np.isin(t, (0, 1)).all():
        raise ValueError("y_true contains values that are not class labels (only 0 and 1 are allowed)")
    if inp.thr is not None:
        if not np.isfinite(p).all():
            raise ValueError("y_pred contains invalid score(s) (NaN or inf)")
        return t != 0, p >= inp.thr
    if not np.isin(p, (0, 1)).all():
        raise ValueError("y_pred contains invalid score(s) (multilabel indicators must be 0 or 1)")
    return t != 0, p != 0


def _per_row_counts(inp: _validation.Inputs, labels: Any) -> tuple[Any, Any, Any, int]:
    true, pred = _dense_indicators(inp)
    if labels is not None:
        cols = np.asarray(labels)
        n_cols = true.shape[1]
        if cols.size and (cols.max() > n_cols - 1 or cols.min() < 0):
            bad = cols.max() if cols.max() > n_cols - 1 else cols.min()
            rel = f"> {n_cols - 1}" if bad > n_cols - 1 else "< 0"
            raise ValueError(f"All labels must be in [0, n labels) for multilabel targets. Got {bad} {rel}")
        true, pred = true[:, cols], pred[:, cols]
    tp = np.count_nonzero(true & pred, axis=1)
    npred = np.count_nonzero(pred, axis=1)
    ntrue = np.count_nonzero(true, axis=1)
    if inp.w is not None:  # scikit-learn weights each row's counts
        tp, ntrue, npred = tp * inp.w, ntrue * inp.w, npred * inp.w
    return tp, ntrue, npred, true.shape[1]


def _samples_prfs(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any, labels: Any,
                  pos_label: Any, beta: float, warn_for: Any, zero_division: Any) -> Any:
    inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device="cpu")
    if pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
            "(got 'samples'). You may use labels=[pos_label] to specify a single positive class.",
            UserWarning, stacklevel=3)
    if inp.kind != "multilabel":
        raise ValueError("Samplewise metrics are not available outside of multilabel classification.")
    tp, true, pred, _ = _per_row_counts(inp, labels)
    return _reduce.precision_recall_fscore(
        tp, true, pred, beta=beta, average="samples", warn_for=warn_for,
        zero_division=zero_division, sample_weight=inp.w)
