"""scikit-learn-compatible metric functions.

Each function runs the same stages: validate the arguments, count in one pass
(:func:`fastf1.stat_scores`), reduce the counts to scores (``_reduce``). The signatures,
defaults, results, warnings and errors are those of ``sklearn.metrics``; fastf1's additions
(``threshold``, ``ignore_index``, ``device``, ``groups``) are keyword-only and last, and each
function's docstring describes them. A 2-D float ``y_pred`` with 1-D ``y_true`` is a score
matrix: the prediction is its argmax (first maximum on ties, as ``np.argmax``), fused into
the counting pass.
"""

from __future__ import annotations

import warnings
from typing import Any, overload

import numpy as np

from . import _chunked, _confusion, _dispatch, _reduce, _validation
from ._sklearn_checks import check_params, param_error
from ._types import ArrayLike, Average, Device, Score, ZeroDivision
from .counts import ByGroup, StatScores, count_rows, stat_scores

_ALL = ("precision", "recall", "f-score")


def _set_wise_stats(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any,
                    ignore_index: Any, labels: Any, average: Any, pos_label: Any,
                    device: Any, groups: Any) -> Any:
    """``_stats`` for the scores of ``precision_recall_fscore_support`` and
    ``jaccard_score``, whose scikit-learn twins read y_true and y_pred alone first
    (``_check_set_wise_labels``: their lengths and types, then average='binary' on their
    labels) and the weights after: when the counting refuses weighted rows, what scikit-learn
    says of the rows alone comes first (a second read, on this error path only)."""
    try:
        return _stats(y_true, y_pred, sample_weight, threshold, ignore_index, device, groups,
                      labels)
    except (TypeError, ValueError) as exc:
        if (sample_weight is None or groups is not None
                or _validation.is_dask(y_true, y_pred, sample_weight)):
            raise
        error = exc
    unweighted = _stats(y_true, y_pred, None, threshold, ignore_index, device, None, labels)
    if average == "binary":
        unweighted._set_wise_labels(average, labels, pos_label)
    raise error


def _stats(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any, ignore_index: Any,
           device: Any, groups: Any, labels: Any = None) -> Any:
    """The counts a metric function scores: :func:`stat_scores`, but for in-memory rows
    without groups all-zero weights are counted, and refused by the scores after their own
    argument checks (as in scikit-learn, where average='binary' on multiclass data is
    reported first)."""
    if groups is None and not _validation.is_dask(y_true, y_pred, sample_weight):
        return count_rows(y_true, y_pred, sample_weight, threshold, ignore_index, labels,
                          device, allow_all_zero_weights=True)
    return stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                       ignore_index=ignore_index, labels=labels, device=device, groups=groups)


def _each(result: Any, func: Any) -> Any:
    """``func(result)``, or of each group's result (a group's refusal names the group)."""
    if not isinstance(result, ByGroup):
        return func(result)

    def score(counts: Any) -> Any:
        out = func(counts)
        if getattr(counts, "_some_weight", None) is False:  # a result that reads no score
            raise ValueError(_validation.ALL_ZERO_WEIGHTS)
        return out

    return ByGroup(_validation.score_groups(result.items(), score))


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
            with _validation.scoring_group(value):
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
    """Precision, recall, F-beta score and support for each label, or their average.

    Same signature, defaults, results, warnings and errors as
    ``sklearn.metrics.precision_recall_fscore_support``: the per-label counts are taken in one pass
    (:func:`fastf1.stat_scores`) and reduced with scikit-learn's formulas. Precision is ``tp / (tp +
    fp)``, recall ``tp / (tp + fn)``, F-beta their weighted harmonic mean ``(1 + beta**2) * tp / ((1
    + beta**2) * tp + beta**2 * fn + fp)``, and support the number of true rows of each label (their
    total weight with ``sample_weight``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    beta : float, default 1.0
        The weight of recall in the F-score: ``beta < 1`` favours precision, ``beta > 1`` recall.
    labels : array-like, default None
        The labels to include when ``average != 'binary'``, and their order when ``average`` is
        None. Labels of the data may be left out (say, a majority "negative" class); labels not in
        the data get zero counts (and take the ``zero_division`` value). For multilabel data these
        are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
    pos_label : int, float, bool or str, default 1
        The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
        (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
        multiclass data.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default None
        How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data only).
        'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels. 'weighted':
        the mean weighted by support. 'samples': per-row scores, averaged (multilabel only). None:
        one score per label.
    warn_for : tuple of str, default ('precision', 'recall', 'f-score')
        Which of the three scores warn when they are ill-defined, as in scikit-learn.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
        The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
        :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
        averages.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    precision : float or ndarray of shape (n_labels,)
        Precision, averaged unless ``average`` is None.
    recall : float or ndarray of shape (n_labels,)
        Recall, averaged unless ``average`` is None.
    fbeta_score : float or ndarray of shape (n_labels,)
        F-beta score, averaged unless ``average`` is None.
    support : None or ndarray of shape (n_labels,)
        The support of each label when ``average`` is None, else None. A :class:`fastf1.ByGroup` of
        tuples, one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown ``average``,
        ``average='binary'`` on multiclass or multilabel data, a ``pos_label`` that is not a label,
        ``threshold`` with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.precision_recall_fscore_support : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> from fastf1 import precision_recall_fscore_support
    >>> precision_recall_fscore_support([0, 1, 2, 2], [0, 2, 2, 1], average="macro")
    (0.5, 0.5, 0.5, None)
    >>> p, r, f, support = precision_recall_fscore_support([0, 1, 2, 2], [0, 2, 2, 1])
    >>> support
    array([1, 1, 2])
    """
    check_params("precision_recall_fscore_support", y_true=y_true, y_pred=y_pred, beta=beta,
                 labels=labels, pos_label=pos_label, average=average, warn_for=warn_for,
                 sample_weight=sample_weight, zero_division=zero_division)
    return _prfs(y_true, y_pred, beta, labels, pos_label, average, warn_for, sample_weight,
                 zero_division, threshold, ignore_index, device, groups)


def _prfs(y_true: Any, y_pred: Any, beta: Any, labels: Any, pos_label: Any, average: Any,
          warn_for: Any, sample_weight: Any, zero_division: Any, threshold: Any,
          ignore_index: Any, device: Any, groups: Any) -> Any:
    """``precision_recall_fscore_support`` once its parameters are checked: the public
    scores check theirs (naming themselves) and call this, so a call checks them once."""
    if average == "samples":
        _validation.check_ignore_index("multilabel", ignore_index)  # samples: multilabel only

        def samples(t: Any, p: Any, w: Any) -> Any:
            return _samples_prfs(t, p, w, threshold, labels, pos_label, beta, warn_for,
                                 zero_division)

        if groups is not None:
            return _rows_of_each_group(samples, groups, y_true, y_pred, sample_weight)
        return samples(y_true, y_pred, sample_weight)
    stats = _set_wise_stats(y_true, y_pred, sample_weight, threshold, ignore_index, labels,
                            average, pos_label, device, groups)
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
    """F-beta score: the weighted harmonic mean of precision and recall.

    Same signature, defaults, results, warnings and errors as ``sklearn.metrics.fbeta_score``: ``(1
    + beta**2) * tp / ((1 + beta**2) * tp + beta**2 * fn + fp)`` from per-label counts taken in one
    pass.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    beta : float
        The weight of recall in the combined score: ``beta < 1`` favours precision, ``beta > 1``
        recall, ``beta = 1`` is F1.
    labels : array-like, default None
        The labels to include when ``average != 'binary'``, and their order when ``average`` is
        None. Labels of the data may be left out (say, a majority "negative" class); labels not in
        the data get zero counts (and take the ``zero_division`` value). For multilabel data these
        are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
    pos_label : int, float, bool or str, default 1
        The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
        (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
        multiclass data.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
        How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data only).
        'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels. 'weighted':
        the mean weighted by support. 'samples': per-row scores, averaged (multilabel only). None:
        one score per label.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
        The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
        :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
        averages.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    fbeta_score : float or ndarray of shape (n_labels,)
        The score of ``pos_label`` (``average='binary'``), the average, or one score per label
        (``average=None``, in the order of ``labels``, or sorted). A :class:`fastf1.ByGroup` of
        these, one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown ``average``,
        ``average='binary'`` on multiclass or multilabel data, a ``pos_label`` that is not a label,
        ``threshold`` with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.fbeta_score : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> from fastf1 import fbeta_score
    >>> round(fbeta_score([0, 1, 1, 1], [0, 1, 0, 1], beta=2), 4)
    0.7143
    >>> fbeta_score([0, 1, 2, 2], [0, 2, 2, 2], beta=0.5, average=None, zero_division=0)
    array([1.        , 0.        , 0.71428571])
    """
    check_params("fbeta_score", y_true=y_true, y_pred=y_pred, beta=beta, labels=labels,
                 pos_label=pos_label, average=average, sample_weight=sample_weight,
                 zero_division=zero_division)
    return _item(_prfs(y_true, y_pred, beta, labels, pos_label, average, ("f-score",),
                       sample_weight, zero_division, threshold, ignore_index, device,
                       groups), 2)


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
    """F1 score: the harmonic mean of precision and recall.

    Same signature, defaults, results, warnings and errors as ``sklearn.metrics.f1_score``: ``2 * tp
    / (2 * tp + fp + fn)`` from per-label counts taken in one pass, then averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    labels : array-like, default None
        The labels to include when ``average != 'binary'``, and their order when ``average`` is
        None. Labels of the data may be left out (say, a majority "negative" class); labels not in
        the data get zero counts (and take the ``zero_division`` value). For multilabel data these
        are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
    pos_label : int, float, bool or str, default 1
        The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
        (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
        multiclass data.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
        How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data only).
        'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels. 'weighted':
        the mean weighted by support. 'samples': per-row scores, averaged (multilabel only). None:
        one score per label.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
        The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
        :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
        averages.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    f1_score : float or ndarray of shape (n_labels,)
        The score of ``pos_label`` (``average='binary'``), the average, or one score per label
        (``average=None``, in the order of ``labels``, or sorted). A :class:`fastf1.ByGroup` of
        these, one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown ``average``,
        ``average='binary'`` on multiclass or multilabel data, a ``pos_label`` that is not a label,
        ``threshold`` with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.f1_score : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> import numpy as np
    >>> from fastf1 import f1_score
    >>> f1_score([0, 1, 2, 2], [0, 2, 2, 2], average="micro")
    0.75
    >>> f1_score([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.1], threshold=0.5)
    0.6666666666666666

    A score matrix is scored by its argmax; ``groups`` gives one score per group:

    >>> scores = np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.2, 0.8]])
    >>> f1_score([0, 1, 1, 1], scores)
    0.8
    >>> f1_score([0, 1, 1, 1], [0, 1, 0, 1], groups=["a", "a", "b", "b"])
    ByGroup({'a': 1.0, 'b': 0.6666666666666666})
    """
    check_params("f1_score", y_true=y_true, y_pred=y_pred, labels=labels, pos_label=pos_label,
                 average=average, sample_weight=sample_weight, zero_division=zero_division)
    return _item(_prfs(y_true, y_pred, 1, labels, pos_label, average, ("f-score",),
                       sample_weight, zero_division, threshold, ignore_index, device,
                       groups), 2)


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
    """Precision: the fraction of predicted positives that are true.

    Same signature, defaults, results, warnings and errors as ``sklearn.metrics.precision_score``:
    ``tp / (tp + fp)`` from per-label counts taken in one pass, then averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    labels : array-like, default None
        The labels to include when ``average != 'binary'``, and their order when ``average`` is
        None. Labels of the data may be left out (say, a majority "negative" class); labels not in
        the data get zero counts (and take the ``zero_division`` value). For multilabel data these
        are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
    pos_label : int, float, bool or str, default 1
        The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
        (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
        multiclass data.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
        How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data only).
        'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels. 'weighted':
        the mean weighted by support. 'samples': per-row scores, averaged (multilabel only). None:
        one score per label.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
        The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
        :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
        averages.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    precision : float or ndarray of shape (n_labels,)
        The score of ``pos_label`` (``average='binary'``), the average, or one score per label
        (``average=None``, in the order of ``labels``, or sorted). A :class:`fastf1.ByGroup` of
        these, one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown ``average``,
        ``average='binary'`` on multiclass or multilabel data, a ``pos_label`` that is not a label,
        ``threshold`` with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.precision_score : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> from fastf1 import precision_score
    >>> precision_score([0, 1, 2, 2], [0, 2, 2, 1], average="macro")
    0.5
    >>> precision_score([3, 1, -100, 1], [3, 1, 0, 3], average=None, ignore_index=-100)
    array([1. , 0.5])
    """
    check_params("precision_score", y_true=y_true, y_pred=y_pred, labels=labels,
                 pos_label=pos_label, average=average, sample_weight=sample_weight,
                 zero_division=zero_division)
    return _item(_prfs(y_true, y_pred, 1.0, labels, pos_label, average, ("precision",),
                       sample_weight, zero_division, threshold, ignore_index, device,
                       groups), 0)


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
    """Recall: the fraction of true positives that are found.

    Same signature, defaults, results, warnings and errors as ``sklearn.metrics.recall_score``: ``tp
    / (tp + fn)`` from per-label counts taken in one pass, then averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    labels : array-like, default None
        The labels to include when ``average != 'binary'``, and their order when ``average`` is
        None. Labels of the data may be left out (say, a majority "negative" class); labels not in
        the data get zero counts (and take the ``zero_division`` value). For multilabel data these
        are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
    pos_label : int, float, bool or str, default 1
        The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
        (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
        multiclass data.
    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
        How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data only).
        'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels. 'weighted':
        the mean weighted by support. 'samples': per-row scores, averaged (multilabel only). None:
        one score per label.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
        The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
        :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
        averages.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    recall : float or ndarray of shape (n_labels,)
        The score of ``pos_label`` (``average='binary'``), the average, or one score per label
        (``average=None``, in the order of ``labels``, or sorted). A :class:`fastf1.ByGroup` of
        these, one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown ``average``,
        ``average='binary'`` on multiclass or multilabel data, a ``pos_label`` that is not a label,
        ``threshold`` with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.recall_score : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> from fastf1 import recall_score
    >>> recall_score([0, 1, 2, 2], [0, 2, 2, 1], average="macro")
    0.5
    >>> recall_score([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.1], threshold=0.3)
    1.0
    """
    check_params("recall_score", y_true=y_true, y_pred=y_pred, labels=labels, pos_label=pos_label,
                 average=average, sample_weight=sample_weight, zero_division=zero_division)
    return _item(_prfs(y_true, y_pred, 1.0, labels, pos_label, average, ("recall",),
                       sample_weight, zero_division, threshold, ignore_index, device,
                       groups), 1)


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
    """Accuracy: the fraction (or number) of rows predicted right.

    Same signature, defaults, results, warnings and errors as ``sklearn.metrics.accuracy_score``.
    For multilabel data this is subset accuracy: a row counts when its whole label set is right (a
    per-row quantity, computed on the host).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    normalize : bool, default True
        True: the fraction of rows predicted right (of their total weight with ``sample_weight``);
        False: their number (or weight).
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    score : float
        The fraction, or with ``normalize=False`` the number, of rows predicted right. A
        :class:`fastf1.ByGroup` of these, one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown ``average``,
        ``average='binary'`` on multiclass or multilabel data, a ``pos_label`` that is not a label,
        ``threshold`` with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.accuracy_score : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> from fastf1 import accuracy_score
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3], normalize=False)
    2.0
    """
    check_params("accuracy_score", y_true=y_true, y_pred=y_pred, normalize=normalize,
                 sample_weight=sample_weight)
    def accuracy(s: StatScores) -> float:
        return s.accuracy_score(normalize=normalize)

    if _validation.is_dask(y_true, y_pred, sample_weight, groups):  # counts on the workers (single-label)
        return _each(stat_scores(y_true, y_pred, sample_weight=sample_weight,
                                 threshold=threshold, ignore_index=ignore_index,
                                 groups=groups), accuracy)
    inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device="cpu")
    _validation.check_ignore_index(inp.kind, ignore_index)
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
        return _reduce.accuracy(float(np.dot(exact, inp.w)), float(inp.w.sum()), normalize,
                                weighted=True)
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
    """One 2 x 2 confusion matrix per label (or per row with ``samplewise``).

    Same signature, defaults, results and errors as ``sklearn.metrics.multilabel_confusion_matrix``.
    Each matrix is ``[[tn, fp], [fn, tp]]`` for one label against all the others, from the counts of
    one pass.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    labels : array-like, default None
        The labels (for multilabel data, column indices) to return matrices of, in this order; by
        default every label, sorted.
    samplewise : bool, default False
        Multilabel data only: one matrix per row instead of per label.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    multi_confusion : ndarray of shape (n_labels, 2, 2) or (n_samples, 2, 2)
        ``[[tn, fp], [fn, tp]]`` per label (per row with ``samplewise``): int64, or float64 with
        float weights. A :class:`fastf1.ByGroup` of these, one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown ``average``,
        ``average='binary'`` on multiclass or multilabel data, a ``pos_label`` that is not a label,
        ``threshold`` with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.multilabel_confusion_matrix : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> from fastf1 import multilabel_confusion_matrix
    >>> multilabel_confusion_matrix([0, 1, 1], [0, 1, 0])
    array([[[1, 1],
            [0, 1]],
    <BLANKLINE>
           [[1, 0],
            [1, 1]]])
    """
    check_params("multilabel_confusion_matrix", y_true=y_true, y_pred=y_pred,
                 sample_weight=sample_weight, labels=labels, samplewise=samplewise)
    if samplewise and groups is not None:
        return _rows_of_each_group(
            lambda t, p, w: multilabel_confusion_matrix(
                t, p, sample_weight=w, labels=labels, samplewise=True, threshold=threshold),
            groups, y_true, y_pred, sample_weight)
    if samplewise:
        inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device="cpu")
        _validation.check_ignore_index(inp.kind, ignore_index)
        _need_multilabel(inp)
        w = inp.w
        if w is not None and np.asarray(sample_weight).dtype.kind in "biu":
            # scikit-learn multiplies the counts by the integer weights themselves: int64,
            # wrapping as NumPy's int64 does (uint64 weights promote to float64 there too)
            w = np.broadcast_to(np.asarray(sample_weight), w.shape).astype(
                np.result_type(np.asarray(sample_weight).dtype, np.int64))
        tp, true, pred, n_labels = _per_row_counts(inp._replace(w=w), labels)
        fp, fn = pred - tp, true - tp
        tn = (n_labels if w is None else w * n_labels) - tp - fp - fn
        return np.stack([tn, fp, fn, tp]).T.reshape(-1, 2, 2)
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
    """Text (or dict) summary of per-label and averaged scores.

    Same signature, defaults, results, warnings and errors as
    ``sklearn.metrics.classification_report``: precision, recall, F1 and support per label, then
    accuracy (or the micro average), the macro and weighted averages, and for multilabel data the
    samples average, all from the counts of one pass.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    labels : array-like, default None
        The labels to report, in this order; by default every label of the data, sorted.
    target_names : list of str, default None
        Display names of the labels, in the order of ``labels``.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    digits : int, default 2
        Digits of the floats in the text report (the dict keeps full precision).
    output_dict : bool, default False
        Return a dict ``{label: {'precision': ..., 'recall': ..., 'f1-score': ..., 'support': ...},
        'accuracy': ..., 'macro avg': {...}, 'weighted avg': {...}}`` instead of text.
    zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
        The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
        :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
        averages.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    report : str or dict
        The text report, or the dict with ``output_dict=True``. A :class:`fastf1.ByGroup` of these,
        one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown ``average``,
        ``average='binary'`` on multiclass or multilabel data, a ``pos_label`` that is not a label,
        ``threshold`` with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.classification_report : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> from fastf1 import classification_report
    >>> print(classification_report([0, 1, 2, 2], [0, 2, 2, 2], zero_division=0))
                  precision    recall  f1-score   support
    <BLANKLINE>
               0       1.00      1.00      1.00         1
               1       0.00      0.00      0.00         1
               2       0.67      1.00      0.80         2
    <BLANKLINE>
        accuracy                           0.75         4
       macro avg       0.56      0.67      0.60         4
    weighted avg       0.58      0.75      0.65         4
    <BLANKLINE>
    """
    check_params("classification_report", y_true=y_true, y_pred=y_pred, labels=labels,
                 target_names=target_names, sample_weight=sample_weight, digits=digits,
                 output_dict=output_dict, zero_division=zero_division)
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
    out = ByGroup()
    for g, s in stats.items():
        with _validation.scoring_group(g):
            out[g] = report(s, None if samples is None else samples[g][:3])
    return out


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
    """The K x K confusion matrix: row i, column j counts true label i predicted as j.

    Same signature, defaults, results, warnings and errors as ``sklearn.metrics.confusion_matrix``,
    from one counting pass. Only this function builds the K x K matrix; the scores need O(K) memory.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
        Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
        indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series, pyarrow
        arrays, Dask collections and GPU arrays are accepted.
    y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
        Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D score
        matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused into the
        counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score matrix (with
        ``threshold``).
    labels : array-like, default None
        The labels of the rows and columns, in this order; rows whose labels are not listed drop
        out. By default every label of the data, sorted.
    sample_weight : array-like of shape (n_samples,), default None
        Row weights. Counts are then float64 sums of weights, added in another order than
        scikit-learn's, so they may differ from its results in the last bits.
    normalize : {'true', 'pred', 'all'}, default None
        Divide by the row sums ('true'), the column sums ('pred') or the total ('all'); None:
        counts.
    threshold : float or array-like of shape (n_labels,), default None
        fastf1's own. ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is
        a positive prediction when ``score >= threshold``, compared in float64; one value per label
        for multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        fastf1's own. Rows whose true label equals this value are skipped inside the counting pass
        (padded sequence positions, such as -100). Single-label data only.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        fastf1's own. Where the counting pass runs. 'auto' counts arrays that are already on a GPU
        (CuPy, PyTorch, numba device arrays) where they are, without a copy, and anything else on
        the CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        Per-row quantities (``average='samples'``, multilabel subset accuracy) are computed on the
        host.
    groups : array-like of shape (n_samples,), default None
        fastf1's own. One group per row (a model version, a country, a day: numbers, strings or
        dates). Every group is counted in the same single pass and the result is a
        :class:`fastf1.ByGroup`, ``{group: result}`` in sorted group order, each result equal to
        this function on that group's rows alone.

    Returns
    -------
    C : ndarray of shape (n_classes, n_classes)
        Counts (int64; float64 with float weights) or, with ``normalize``, fractions. A
        :class:`fastf1.ByGroup` of these, one per group, with ``groups``.

    Raises
    ------
    ValueError
        Bad input, with scikit-learn's message where it has one: lengths that differ, empty input,
        NaN, inf or fractional labels or scores, strings mixed with numbers, an unknown
        ``normalize``, multilabel input, ``labels`` of which none is in ``y_true``, ``threshold``
        with label input, non-numeric or negative weights.
    TypeError
        Input of a type that cannot be read as an array of labels or scores.

    See Also
    --------
    sklearn.metrics.confusion_matrix : The scikit-learn function this one mirrors.
    stat_scores : The per-label counts every score is derived from.

    Examples
    --------
    >>> from fastf1 import confusion_matrix
    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    >>> confusion_matrix(["cat", "dog", "dog"], ["cat", "cat", "dog"], normalize="true")
    array([[1. , 0. ],
           [0.5, 0.5]])
    """
    check_params("confusion_matrix", y_true=y_true, y_pred=y_pred, labels=labels,
                 sample_weight=sample_weight)
    if not (normalize is None or isinstance(normalize, str)
            and normalize in ("true", "pred", "all")):
        raise param_error("confusion_matrix", "normalize",
                          "a str among {'true', 'pred', 'all'} or None", normalize)
    if groups is not None:
        return _rows_of_each_group(
            lambda t, p, w: confusion_matrix(t, p, labels=labels, sample_weight=w,
                                             normalize=normalize, threshold=threshold,
                                             device=device),
            groups, y_true, y_pred, sample_weight, ignore_index)
    if _validation.is_dask(y_true, y_pred, sample_weight):
        # Dask collections carry NumPy dtypes; a host array beside them is read as one
        weight_dtype = getattr(sample_weight, "dtype", None)
        if weight_dtype is None and sample_weight is not None:
            weight_dtype = np.asarray(sample_weight).dtype
        int_weights = weight_dtype is not None and np.dtype(weight_dtype).kind in "biu"
        counts = _confusion.dask_confusion_counts(
            y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
            ignore_index=ignore_index, labels=labels)
        weights = sample_weight
    else:
        inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device=device)
        int_weights = inp.int_weights
        if int_weights:
            counts = _confusion.int64_confusion_counts(inp, ignore_index, labels, sample_weight)
        else:
            counts = _confusion.confusion_counts(inp, ignore_index, labels)
        weights = inp.w
    # the all-zero check that Dask and GPU weights skip (it would need a pass of its own),
    # made only where the weighted counts are all zero
    if counts[2] is not None and not counts[2].any() and not (
            _chunked.any_nonzero(weights) if _validation.is_dask(weights)
            else _dispatch.some_weight(weights)):
        raise ValueError(_validation.ALL_ZERO_WEIGHTS)
    return _confusion_from_counts(*counts, labels=labels, normalize=normalize,
                                  int_weights=int_weights)


def _confusion_from_counts(values: np.ndarray, cm: np.ndarray, wcm: np.ndarray | None, *,
                           labels: Any, normalize: Any, int_weights: bool) -> np.ndarray:
    """scikit-learn's selection (labels=), dtype and normalisation of a confusion matrix."""
    matrix = cm if wcm is None else wcm
    if labels is None:
        out = matrix
    else:
        labels_arr = _validation.check_labels(labels)
        if labels_arr.size == 0:
            raise ValueError("'labels' should contain at least one label.")
        in_y_true = values[cm.sum(axis=1) > 0]
        if (labels_arr.dtype.kind in "US") != (values.dtype.kind in "US"):
            # scikit-learn finds labels in y_true as strings (1 is "1"), then maps rows to
            # labels by equality, where 1 is not "1": no row is counted
            if not np.isin(labels_arr.astype(str), in_y_true.astype(str)).any():
                raise ValueError("At least one label specified must be in y_true")
            out = np.zeros((labels_arr.size, labels_arr.size), matrix.dtype)
        elif not np.isin(labels_arr, in_y_true).any():
            raise ValueError("At least one label specified must be in y_true")
        else:
            sel = np.clip(np.searchsorted(values, labels_arr), 0, max(values.size - 1, 0))
            found = values[sel] == labels_arr
            # a label given twice has its counts at its last place only (scikit-learn maps
            # each label to one index, its last): the others stay zero
            _, last = np.unique(labels_arr[::-1], return_index=True)
            found &= np.isin(np.arange(labels_arr.size), labels_arr.size - 1 - last)
            # samples whose labels are outside `labels` drop out: a sub-matrix
            out = matrix[np.ix_(sel, sel)] * np.outer(found, found)
    if int_weights and out.dtype.kind == "f":
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


def _need_multilabel(inp: _validation.Inputs) -> None:
    """Per-row (samples) metrics need multilabel input. Other input is counted first, as
    scikit-learn checks the values (NaN, continuous) before it refuses the form."""
    if inp.kind != "multilabel":
        _dispatch.count(inp)
        raise ValueError(
            "Samplewise metrics are not available outside of multilabel classification.")


def _dense_indicators(inp: _validation.Inputs) -> tuple[np.ndarray, np.ndarray]:
    """Boolean truth and prediction matrices (validated like the counting pass)."""
    t, p = (x.toarray() if hasattr(x, "toarray") else np.asarray(x) for x in (inp.t, inp.p))
    problem = None
    if not np.isin(t, (0, 1)).all():
        problem = "y_true contains values that are not class labels (only 0 and 1 are allowed)"
    elif inp.thr is not None and not np.isfinite(p).all():
        problem = "y_pred contains invalid score(s) (NaN or inf)"
    elif inp.thr is None and not np.isin(p, (0, 1)).all():
        problem = "y_pred contains invalid score(s) (multilabel indicators must be 0 or 1)"
    if problem is not None:
        raise _validation.bad_values(problem, "multilabel" if inp.thr is None else "scores",
                                     t, p, inp.w)
    return t != 0, (p != 0 if inp.thr is None else p >= inp.thr)


def _per_row_counts(inp: _validation.Inputs, labels: Any) -> tuple[Any, Any, Any, int]:
    true, pred = _dense_indicators(inp)
    if labels is not None:
        cols = _validation.check_labels(labels)
        n_cols = true.shape[1]
        if cols.size:
            _validation.check_column_labels(cols, n_cols)
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


def samples_counts(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any, labels: Any,
                   pos_label: Any) -> tuple[_validation.Inputs, Any, Any, Any]:
    """(inputs, tp, true, pred) per row of multilabel input, for average="samples" (the
    precision / recall / F-score family and jaccard_score): scikit-learn's note on an
    ignored pos_label, its error for input that is not multilabel."""
    inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device="cpu")
    if pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
            "(got 'samples'). You may use labels=[pos_label] to specify a single positive class.",
            UserWarning, stacklevel=4)
    _need_multilabel(inp)
    tp, true, pred, _ = _per_row_counts(inp, labels)
    return inp, tp, true, pred


def _samples_prfs(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any, labels: Any,
                  pos_label: Any, beta: float, warn_for: Any, zero_division: Any) -> Any:
    inp, tp, true, pred = samples_counts(y_true, y_pred, sample_weight, threshold, labels,
                                         pos_label)
    return _reduce.precision_recall_fscore(
        tp, true, pred, beta=beta, average="samples", warn_for=warn_for,
        zero_division=zero_division, sample_weight=inp.w)
