"""``StatScores``: the per-label counts, the one object every fastf1 front end shares.

Counts are additive: the counts of two chunks sum to the counts of their union. So files
read chunk by chunk, threads, Keras batches and Dask partitions all reduce to ``a + b``,
and every score is derived from the summed counts by ``_reduce``.
"""

from __future__ import annotations

import json
import math
import operator
import warnings
from typing import Any, overload

import numpy as np

from . import _chunked, _dispatch, _json, _reduce, _report, _validation
from ._sklearn_checks import check_dense
from ._types import ArrayLike, Device


def _is_in(value: Any, labels: np.ndarray) -> bool:
    """``value in labels`` without NumPy's elementwise comparison of str with numbers."""
    return any(value == label for label in labels.tolist())


def _same_threshold(a: Any, b: Any) -> bool:
    """Were two counts taken at the same threshold (None, a number, or one per column)?"""
    if a is None or b is None:
        return a is None and b is None
    if type(a) in (int, float) and type(b) in (int, float):  # the common case, without arrays
        return float(a) == float(b)
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape and a.ndim and b.ndim:
        return False
    return bool(np.all(a == b))  # one number equals the same number for every column


def _same_labels(a: np.ndarray, b: np.ndarray) -> bool:
    """Are two sorted label arrays the same labels, of the same dtype (then their union is
    either of them, and each is its own position in it)? Equal bytes: never a false yes."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


class StatScores:
    """Per-label true positives, predicted and true counts, accumulated over chunks.

    Parameters
    ----------
    threshold : float or array of float, optional
        For score inputs: a row (or label) is predicted positive when ``score >= threshold``.
    ignore_index : int, optional
        Rows whose true label equals this value are skipped (e.g. -100 for padding).

    Attributes
    ----------
    labels : ndarray
        The labels seen so far, sorted (column indices for multilabel input).
    tp, fp, fn, tn, support : ndarray
        Per-label counts, aligned with ``labels``: int64, or float64 with sample weights.

    Examples
    --------
    >>> import fastf1
    >>> s = fastf1.StatScores()
    >>> s = s.update([0, 1, 2, 2], [0, 2, 2, 2]).update([1, 1], [1, 0])
    >>> s.tp
    array([1, 1, 2])
    >>> round(s.f1_score(average="macro"), 4)
    0.6556
    """

    # did some chunk counted carry a non-zero sample weight (or none at all)? False: every
    # weight seen was zero, and the scores refuse as scikit-learn does on those rows; None:
    # not known (counts saved before it was recorded, read back), never refused. A class
    # default, so that objects pickled without it read as not known
    _some_weight: bool | None = None

    def __init__(self, *, threshold: Any = None, ignore_index: Any = None) -> None:
        self.threshold = threshold
        self.ignore_index = ignore_index
        # None until rows are counted; then labels and the three counts are set together,
        # and every reader checks ``labels is None`` (``_need_counts``) first: typed as set
        self.labels: np.ndarray = None  # type: ignore[assignment]
        self._tp: np.ndarray = None  # type: ignore[assignment]
        self._true: np.ndarray = None  # type: ignore[assignment]
        self._pred: np.ndarray = None  # type: ignore[assignment]
        self.total: Any = 0
        self.multilabel: bool | None = None
        self.weighted = False
        self._int_weighted_empty: np.ndarray | None = None
        # the label range of the last chunk update() counted: the next one starts there
        self._memo: _dispatch.RangeMemo | None = None
        # weighted counts: per label, does y_true hold it in a row of any weight (see
        # ``_in_y_true``); None: ``_true > 0`` says it (unweighted, or not recorded)
        self._true_seen: np.ndarray | None = None
        self._some_weight = True

    # ---- building -------------------------------------------------------------------

    @classmethod
    def _from_counts(cls, c: _dispatch.Counts, weighted: bool, **config: Any) -> StatScores:
        s = cls(**config)
        s.labels, s._tp, s._true, s._pred = c.labels, c.tp, c.true, c.pred
        s.total, s.multilabel, s.weighted = c.total, c.multilabel, weighted
        s._int_weighted_empty = c.int_weighted_empty
        s._true_seen = c.true_seen
        s._some_weight = c.some_weight
        return s

    def update(self, y_true: Any, y_pred: Any, sample_weight: Any = None, *,
               device: Any = "auto", labels: Any = None) -> StatScores:
        """Count one more chunk of rows into this object, in place.

        Labels are found as they come; a label first seen in a later chunk is added with zero counts
        for the chunks before. Dask inputs are counted on their workers.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,) or (n_samples, n_labels)
            Ground truth: labels (integers of any width, bool, integral floats, strings), or a 0/1
            indicator matrix for multilabel data. NumPy arrays, lists, pandas / polars Series,
            pyarrow arrays, Dask collections and GPU arrays are accepted.
        y_pred : array-like of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
            Predicted labels; or 1-D scores, with ``threshold``; or, with 1-D ``y_true``, a 2-D
            score matrix whose row-wise argmax (the first maximum on ties) is the prediction, fused
            into the counting pass; or a multilabel indicator matrix (dense or scipy CSR) or score
            matrix (with ``threshold``).
        sample_weight : array-like of shape (n_samples,), default None
            Row weights of this chunk. All zero is allowed for a chunk; if every weight seen
            is zero, the scores raise scikit-learn's ValueError.
        device : {'auto', 'cpu', 'cuda'}, default 'auto'
            Where the counting pass runs. 'auto' counts arrays that are already on a GPU (CuPy,
            PyTorch, numba device arrays) where they are, without a copy, and anything else on the
            CPU; 'cuda' streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
        labels : array-like, default None
            The labels you expect. Every label present is counted whatever this says; it only spares
            the counting pass its guess of the label range.

        Returns
        -------
        StatScores
            ``self``, so that updates chain.

        Raises
        ------
        ValueError
            Bad input, as for :func:`fastf1.stat_scores`; a chunk of multilabel rows after
            single-label ones (or of another number of labels).

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.StatScores().update([0, 1], [0, 0]).update([1, 2], [1, 2])
        >>> counts.labels, counts.support
        (array([0, 1, 2]), array([1, 2, 1]))
        """
        check_dense("StatScores.update", sample_weight=sample_weight)
        if _validation.is_dask(y_true, y_pred, sample_weight):
            other = lazy_stat_scores(
                y_true, y_pred, sample_weight=sample_weight, threshold=self.threshold,
                ignore_index=self.ignore_index, labels=labels).compute()
            self.__dict__.update((self + other).__dict__)
            return self
        # unlike a whole data set, one chunk may carry only zero weights
        inp = _validation.prepare(y_true, y_pred, sample_weight, self.threshold,
                                  allow_all_zero_weights=True, device=device, allow_empty=True)
        if inp is None:  # an empty chunk (an empty row group, the last batch) adds nothing
            return self
        if self._memo is None:
            self._memo = _dispatch.RangeMemo()
        counts = _dispatch.count(inp, ignore=self.ignore_index, hint=labels, memo=self._memo)
        other = StatScores._from_counts(counts, inp.w is not None, threshold=self.threshold,
                                        ignore_index=self.ignore_index)
        merged = self + other
        merged._memo = self._memo
        self.__dict__.update(merged.__dict__)
        return self

    def __add__(self, other: StatScores) -> StatScores:
        if not isinstance(other, StatScores):
            return NotImplemented
        if other.labels is None:
            return self._copy()
        if self.labels is None:
            return other._copy()
        if not _same_threshold(self.threshold, other.threshold):
            raise ValueError(
                f"cannot merge counts taken at different thresholds: threshold="
                f"{self.threshold!r} and threshold={other.threshold!r}")
        if self.multilabel != other.multilabel:
            raise ValueError("cannot merge multilabel counts with single-label counts")
        if self.multilabel and self.labels.size != other.labels.size:
            raise ValueError(
                f"cannot merge multilabel counts of {self.labels.size} and {other.labels.size} labels"
            )
        if (self.labels.dtype.kind in "US") != (other.labels.dtype.kind in "US"):
            raise ValueError("Mix of label input types (string and number)")
        weighted = self.weighted or other.weighted
        dtype = np.float64 if weighted else np.int64
        out = StatScores(threshold=self.threshold, ignore_index=self.ignore_index)
        out.multilabel, out.weighted = self.multilabel, weighted
        # the common case of a stream, every chunk showing the same labels: no union and no
        # lookup, but the same sums from zeros (so even a weighted zero's sign is the same)
        same = _same_labels(self.labels, other.labels) and all(
            a.dtype == dtype for part in (self, other) for a in (part._tp, part._pred, part._true))
        labels = self.labels.copy() if same else _validation.exact_union(self.labels, other.labels)
        out.labels = labels
        out._tp, out._pred, out._true = (np.zeros(labels.size, dtype) for _ in range(3))
        # where each part's labels sit in the union (None: all of it, in order)
        where = [None if same else np.searchsorted(labels, part.labels) for part in (self, other)]
        for part, idx in zip((self, other), where):
            for dst, src in ((out._tp, part._tp), (out._pred, part._pred),
                             (out._true, part._true)):
                if idx is None:
                    dst += src
                else:
                    dst[idx] += src
        out.total = self.total + other.total
        a_some, b_some = self._some_weight, other._some_weight
        out._some_weight = (True if a_some or b_some
                            else None if a_some is None or b_some is None else False)
        a, b = self._int_weighted_empty, other._int_weighted_empty
        out._int_weighted_empty = None if a is None or b is None else a & b
        if weighted and not self.multilabel:
            out._true_seen = np.zeros(labels.size, bool)
            for part, idx in zip((self, other), where):
                out._true_seen[slice(None) if idx is None else idx] |= part._in_y_true()
        return out

    def _copy(self) -> StatScores:
        out = StatScores(threshold=self.threshold, ignore_index=self.ignore_index)
        out.__dict__.update({k: (v.copy() if isinstance(v, np.ndarray) else v)
                             for k, v in self.__dict__.items()})
        out._memo = None  # each stream its own
        return out

    def __repr__(self) -> str:
        if self.labels is None:
            return "StatScores(empty)"
        kind = "multilabel" if self.multilabel else "labels"
        return f"StatScores({self.labels.size} {kind}, total={self.total!r})"

    # ---- the counts -----------------------------------------------------------------

    def _need_counts(self) -> None:
        if self.labels is None:
            raise ValueError("StatScores is empty: call update() with some rows first")
        if self.labels.size == 0:  # single-label input whose every row was skipped
            raise ValueError(f"no rows were counted: every y_true equals ignore_index "
                             f"({self.ignore_index!r})")

    def _need_weight(self) -> None:
        """Scores of rows whose every weight is zero: scikit-learn's error (the counts
        themselves, all zero, stay readable)."""
        if self._some_weight is False:
            raise ValueError(_validation.ALL_ZERO_WEIGHTS)

    @property
    def _weighted_mean(self) -> bool:
        """Do means over rows refuse a zero total weight, as scikit-learn's weighted means
        do (weights that cancel out)? Only for weights known to hold a non-zero one: counts
        saved before that was recorded keep NaN, never refused."""
        return self.weighted and self._some_weight is True

    def _need_scores(self) -> None:
        self._need_counts()
        self._need_weight()

    @property
    def tp(self) -> np.ndarray:
        """True positives per label: int64, or float64 with sample weights."""
        self._need_counts()
        return self._tp.copy()

    @property
    def fp(self) -> np.ndarray:
        """False positives per label: predicted as the label, true label another."""
        self._need_counts()
        return self._pred - self._tp

    @property
    def fn(self) -> np.ndarray:
        """False negatives per label: of the label, predicted as another."""
        self._need_counts()
        return self._true - self._tp

    @property
    def tn(self) -> np.ndarray:
        """True negatives per label: rows neither of the label nor predicted as it."""
        self._need_counts()
        return self.total - self._tp - (self._pred - self._tp) - (self._true - self._tp)

    def _in_y_true(self) -> np.ndarray:
        """Per label: does y_true hold it in some row? scikit-learn reads rows, whatever
        their weight, when it asks whether a label is present."""
        return self._true > 0 if self._true_seen is None else self._true_seen

    @property
    def support(self) -> np.ndarray:
        """Rows of each label in ``y_true`` (their total weight with sample weights)."""
        self._need_counts()
        return self._true.copy()

    # ---- selecting labels (scikit-learn's labels= and pos_label= rules) --------------

    @property
    def _target_type(self) -> str:
        if self.multilabel:
            return "multilabel-indicator"
        return "binary" if self.labels.size <= 2 else "multiclass"

    def _select(self, labels: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(tp, true, pred) for the requested labels in the order given (None: all present)."""
        tp, true, pred = self._select_arrays(labels, (self._tp, self._true, self._pred))
        return tp, true, pred

    def _select_arrays(self, labels: Any, arrays: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        """Per-label ``arrays`` for the requested labels in the order given (None: all
        present); a label not counted gets zeros (False)."""
        if labels is None:
            return arrays
        labels = _validation.check_labels(labels)
        if self.multilabel:
            if labels.size == 0:
                return tuple(np.zeros(0, x.dtype) for x in arrays)
            _validation.check_column_labels(labels, self.labels.size)
            if labels.size != self.labels.size or np.any(labels != self.labels):
                if labels.max() > self.labels.size - 1:
                    raise ValueError(
                        "All labels must be in [0, n labels) for multilabel targets. "
                        f"Got {labels.max()} > {self.labels.size - 1}"
                    )
                if labels.min() < 0:
                    raise ValueError(
                        "All labels must be in [0, n labels) for multilabel targets. "
                        f"Got {labels.min()} < 0"
                    )
            idx = labels.astype(np.int64)
            return tuple(x[idx] for x in arrays)
        keys, sorter = self.labels, None
        if labels.size and (labels.dtype.kind in "US") != (keys.dtype.kind in "US"):
            # scikit-learn concatenates labels= with the labels present: strings and numbers
            # meet as strings (1 is "1", 1.0 is "1.0"), and labels not found count zero
            keys, labels = keys.astype(str), labels.astype(str)
            sorter = np.argsort(keys, kind="stable")
        idx_c = np.minimum(np.searchsorted(keys, labels, sorter=sorter), keys.size - 1)
        if sorter is not None:
            idx_c = sorter[idx_c]
        found = keys[idx_c] == labels
        return tuple(np.where(found, x[idx_c], np.zeros(1, x.dtype)) for x in arrays)

    def _set_wise_labels(self, average: Any, labels: Any, pos_label: Any) -> Any:
        _validation.check_average(average)
        y_type = self._target_type
        if average == "binary":
            if y_type == "binary":
                if not _is_in(pos_label, self.labels) and self.labels.size >= 2:
                    raise ValueError(
                        f"pos_label={pos_label} is not a valid label. It "
                        f"should be one of {self.labels}"
                    )
                return [pos_label]
            options = list(_validation.AVERAGE_OPTIONS)
            if y_type == "multiclass":
                options.remove("samples")
            raise ValueError(
                f"Target is {y_type} but average='binary'. Please "
                f"choose another average setting, one of {options!r}."
            )
        if pos_label not in (None, 1):
            warnings.warn(
                f"Note that pos_label (set to {pos_label!r}) is ignored when "
                f"average != 'binary' (got {average!r}). You may use "
                "labels=[pos_label] to specify a single positive class.",
                UserWarning,
                stacklevel=4,
            )
        if average == "samples":
            if not self.multilabel:
                raise ValueError(
                    "Samplewise metrics are not available outside of multilabel classification."
                )
            raise ValueError(
                "average='samples' needs per-row counts, which StatScores does not keep; "
                "call the fastf1 metric function on the arrays instead"
            )
        return labels

    # ---- scores (same names, arguments and results as the functions) ----------------

    def precision_recall_fscore_support(
        self, *, beta: float = 1.0, labels: Any = None, pos_label: Any = 1,
        average: Any = None, warn_for: Any = ("precision", "recall", "f-score"),
        zero_division: Any = "warn",
    ) -> tuple[Any, Any, Any, Any]:
        """Precision, recall, F-beta and support, as :func:`fastf1.precision_recall_fscore_support`.

        The same arguments (less the data), and the same results as the function on all the rows
        counted.

        Parameters
        ----------
        beta : float, default 1.0
            The weight of recall in the F-score: ``beta < 1`` favours precision, ``beta > 1``
            recall.
        labels : array-like, default None
            The labels to include when ``average != 'binary'``, and their order when ``average`` is
            None. Labels of the data may be left out (say, a majority "negative" class); labels not
            in the data get zero counts (and take the ``zero_division`` value). For multilabel data
            these are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
        pos_label : int, float, bool or str, default 1
            The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
            (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
            multiclass data.
        average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default None
            How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data
            only). 'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels.
            'weighted': the mean weighted by support. 'samples': per-row scores, averaged
            (multilabel only). None: one score per label.
        warn_for : tuple of str, default ('precision', 'recall', 'f-score')
            Which of the three scores warn when they are ill-defined, as in scikit-learn.
        zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
            The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
            :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
            averages.

        Returns
        -------
        precision, recall, fbeta_score : float or ndarray of shape (n_labels,)
            The scores, averaged unless ``average`` is None.
        support : None or ndarray of shape (n_labels,)
            The support of each label when ``average`` is None, else None.

        Raises
        ------
        ValueError
            The counts are empty, or ``labels`` / ``pos_label`` / ``average`` do not fit them
            (scikit-learn's messages); ``average='samples'`` (per-row counts are not kept).

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
        >>> counts.precision_recall_fscore_support(average="micro")
        (0.75, 0.75, 0.75, None)
        """
        self._need_counts()
        _validation.check_zero_division(zero_division)
        _validation.check_beta(beta)
        labels = self._set_wise_labels(average, labels, pos_label)
        self._need_weight()  # after the average's checks, as in scikit-learn
        tp, true, pred = self._select(labels)
        p, r, f, support = _reduce.precision_recall_fscore(
            tp, true, pred, beta=beta, average=average,
            warn_for=warn_for, zero_division=zero_division,
        )
        return p, r, f, None if support is None else support.astype(self._count_dtype(labels))

    def _count_dtype(self, labels: Any = None) -> type:
        """The dtype scikit-learn gives counts: float64 when weighted (but int64 for integer
        weights on multilabel columns without a single 1: a quirk of its bincount path),
        and also for single-label input without a single true positive."""
        empty = self._int_weighted_empty
        if self.weighted and empty is not None:
            chosen = empty if labels is None else empty[np.asarray(labels, dtype=np.intp)]
            if chosen.all():
                return np.int64
        if self.weighted or (not self.multilabel and not self._tp.any()):
            return np.float64
        return np.int64

    def fbeta_score(self, *, beta: float, labels: Any = None, pos_label: Any = 1,
                    average: Any = "binary", zero_division: Any = "warn") -> Any:
        """F-beta score of the rows counted, as :func:`fastf1.fbeta_score`.

        Parameters
        ----------
        beta : float
            The weight of recall in the combined score: ``beta < 1`` favours precision, ``beta > 1``
            recall, ``beta = 1`` is F1.
        labels : array-like, default None
            The labels to include when ``average != 'binary'``, and their order when ``average`` is
            None. Labels of the data may be left out (say, a majority "negative" class); labels not
            in the data get zero counts (and take the ``zero_division`` value). For multilabel data
            these are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
        pos_label : int, float, bool or str, default 1
            The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
            (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
            multiclass data.
        average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
            How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data
            only). 'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels.
            'weighted': the mean weighted by support. 'samples': per-row scores, averaged
            (multilabel only). None: one score per label.
        zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
            The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
            :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
            averages.

        Returns
        -------
        fbeta_score : float or ndarray of shape (n_labels,)
            The score of ``pos_label``, the average, or one score per label.

        Raises
        ------
        ValueError
            The counts are empty, or ``labels`` / ``pos_label`` / ``average`` do not fit them
            (scikit-learn's messages); ``average='samples'`` (per-row counts are not kept).

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
        >>> round(counts.fbeta_score(beta=2, average="micro"), 4)
        0.75
        """
        return self.precision_recall_fscore_support(
            beta=beta, labels=labels, pos_label=pos_label, average=average,
            warn_for=("f-score",), zero_division=zero_division)[2]

    def f1_score(self, *, labels: Any = None, pos_label: Any = 1, average: Any = "binary",
                 zero_division: Any = "warn") -> Any:
        """F1 score of the rows counted, as :func:`fastf1.f1_score`.

        Parameters
        ----------
        labels : array-like, default None
            The labels to include when ``average != 'binary'``, and their order when ``average`` is
            None. Labels of the data may be left out (say, a majority "negative" class); labels not
            in the data get zero counts (and take the ``zero_division`` value). For multilabel data
            these are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
        pos_label : int, float, bool or str, default 1
            The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
            (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
            multiclass data.
        average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
            How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data
            only). 'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels.
            'weighted': the mean weighted by support. 'samples': per-row scores, averaged
            (multilabel only). None: one score per label.
        zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
            The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
            :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
            averages.

        Returns
        -------
        f1_score : float or ndarray of shape (n_labels,)
            The score of ``pos_label``, the average, or one score per label.

        Raises
        ------
        ValueError
            The counts are empty, or ``labels`` / ``pos_label`` / ``average`` do not fit them
            (scikit-learn's messages); ``average='samples'`` (per-row counts are not kept).

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
        >>> counts.f1_score(average=None, zero_division=0)
        array([1. , 0. , 0.8])
        """
        return self.fbeta_score(beta=1, labels=labels, pos_label=pos_label,
                                average=average, zero_division=zero_division)

    def precision_score(self, *, labels: Any = None, pos_label: Any = 1,
                        average: Any = "binary", zero_division: Any = "warn") -> Any:
        """Precision of the rows counted, as :func:`fastf1.precision_score`.

        Parameters
        ----------
        labels : array-like, default None
            The labels to include when ``average != 'binary'``, and their order when ``average`` is
            None. Labels of the data may be left out (say, a majority "negative" class); labels not
            in the data get zero counts (and take the ``zero_division`` value). For multilabel data
            these are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
        pos_label : int, float, bool or str, default 1
            The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
            (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
            multiclass data.
        average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
            How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data
            only). 'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels.
            'weighted': the mean weighted by support. 'samples': per-row scores, averaged
            (multilabel only). None: one score per label.
        zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
            The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
            :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
            averages.

        Returns
        -------
        precision : float or ndarray of shape (n_labels,)
            The score of ``pos_label``, the average, or one score per label.

        Raises
        ------
        ValueError
            The counts are empty, or ``labels`` / ``pos_label`` / ``average`` do not fit them
            (scikit-learn's messages); ``average='samples'`` (per-row counts are not kept).

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
        >>> counts.precision_score(average="weighted", zero_division=0)
        0.5833333333333333
        """
        return self.precision_recall_fscore_support(
            labels=labels, pos_label=pos_label, average=average,
            warn_for=("precision",), zero_division=zero_division)[0]

    def recall_score(self, *, labels: Any = None, pos_label: Any = 1,
                     average: Any = "binary", zero_division: Any = "warn") -> Any:
        """Recall of the rows counted, as :func:`fastf1.recall_score`.

        Parameters
        ----------
        labels : array-like, default None
            The labels to include when ``average != 'binary'``, and their order when ``average`` is
            None. Labels of the data may be left out (say, a majority "negative" class); labels not
            in the data get zero counts (and take the ``zero_division`` value). For multilabel data
            these are column indices. By default, every label of ``y_true`` and ``y_pred``, sorted.
        pos_label : int, float, bool or str, default 1
            The class to score when ``average='binary'`` and the data are binary. Ignored otherwise
            (with a warning when it is not 1); use ``labels=[pos_label]`` to score one class of
            multiclass data.
        average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, default 'binary'
            How per-label scores are combined. 'binary': the score of ``pos_label`` (binary data
            only). 'micro': from the total tp, fp and fn. 'macro': the unweighted mean over labels.
            'weighted': the mean weighted by support. 'samples': per-row scores, averaged
            (multilabel only). None: one score per label.
        zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
            The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
            :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
            averages.

        Returns
        -------
        recall : float or ndarray of shape (n_labels,)
            The score of ``pos_label``, the average, or one score per label.

        Raises
        ------
        ValueError
            The counts are empty, or ``labels`` / ``pos_label`` / ``average`` do not fit them
            (scikit-learn's messages); ``average='samples'`` (per-row counts are not kept).

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
        >>> counts.recall_score(average="macro")
        0.6666666666666666
        """
        return self.precision_recall_fscore_support(
            labels=labels, pos_label=pos_label, average=average,
            warn_for=("recall",), zero_division=zero_division)[1]

    def accuracy_score(self, *, normalize: bool = True) -> float:
        """Fraction (or number) of rows predicted right, as :func:`fastf1.accuracy_score`.

        Single-label counts only: multilabel subset accuracy needs per-row counts, which are not
        kept.

        Parameters
        ----------
        normalize : bool, default True
            True: the fraction of rows predicted right; False: their number (or total weight).

        Returns
        -------
        score : float
            The fraction, or the number, of rows predicted right.

        Raises
        ------
        ValueError
            The counts are empty or multilabel.

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
        >>> counts.accuracy_score()
        0.75
        """
        self._need_scores()
        if self.multilabel:
            raise ValueError(
                "multilabel (subset) accuracy needs per-row counts, which StatScores does "
                "not keep; call fastf1.accuracy_score on the arrays instead"
            )
        return _reduce.accuracy(self._tp.sum(), self.total, normalize, self._weighted_mean)

    # ---- the rest of the scorecard: functions of the same counts (see _reduce) -------

    def _single_label(self, what: str = "multilabel-indicator is not supported",
                      confusion: bool = True) -> None:
        """Counts of single-label input, else ``what``; with ``confusion``, warn as
        scikit-learn's confusion matrix does when it would be 1 x 1."""
        self._need_scores()
        if self.multilabel:
            raise ValueError(what)
        if confusion and self.labels.size == 1:
            _reduce.warn_single_label(stacklevel=5)

    def balanced_accuracy_score(self, *, adjusted: bool = False) -> float:
        """Mean per-class recall over the classes present in y_true; see scikit-learn's."""
        self._single_label()
        return _reduce.balanced_accuracy(self._tp, self._true, adjusted)

    def matthews_corrcoef(self) -> float:
        """Matthews correlation coefficient (binary and multiclass); see scikit-learn's."""
        self._single_label()
        return _reduce.matthews_corrcoef(self._tp, self._pred, self._true)

    def cohen_kappa_score(self, *, labels: Any = None, weights: Any = None,
                          replace_undefined_by: Any = np.nan) -> float:
        """Unweighted Cohen's kappa of y_true (``y1``) against y_pred (``y2``).

        Linear / quadratic weights, and ``labels=``, need the K x K confusion matrix,
        which StatScores does not keep: call :func:`fastf1.cohen_kappa_score` instead.
        """
        _validation.check_kappa_args(weights, replace_undefined_by)
        self._single_label()
        if weights is not None or labels is not None:
            raise ValueError(
                "cohen_kappa_score with weights= or labels= needs the K x K confusion "
                "matrix, which StatScores does not keep; call fastf1.cohen_kappa_score "
                "on the arrays instead")
        return _reduce.cohen_kappa(self._pred, self._true,
                                   disagreement=self.total - self._tp.sum(),
                                   replace_undefined_by=replace_undefined_by)

    def jaccard_score(self, *, labels: Any = None, pos_label: Any = 1,
                      average: Any = "binary", zero_division: Any = "warn") -> Any:
        """Jaccard index tp / (tp + fp + fn); see ``sklearn.metrics.jaccard_score``."""
        self._need_counts()
        _validation.check_zero_division_01(zero_division, "jaccard_score")
        labels = self._set_wise_labels(average, labels, pos_label)
        self._need_weight()
        tp, true, pred = self._select(labels)
        return _reduce.jaccard(tp, pred, true, average=average, zero_division=zero_division)

    def hamming_loss(self) -> float:
        """Fraction of wrong labels; see ``sklearn.metrics.hamming_loss``."""
        self._need_scores()
        if not self.multilabel:
            return _reduce.hamming(self.total - self._tp.sum(), self.total,
                                   weighted=self._weighted_mean)
        wrong = (self._pred - self._tp).sum() + (self._true - self._tp).sum()
        rows = None if self.weighted else self.total
        return _reduce.hamming(wrong, self.total, self.labels.size, rows)

    def zero_one_loss(self, *, normalize: bool = True) -> float:
        """Fraction (or number / weight) of misclassified rows (single-label only)."""
        self._single_label(
            "multilabel zero-one loss needs per-row counts, which StatScores does not keep; "
            "call fastf1.zero_one_loss on the arrays instead", confusion=False)
        return _reduce.zero_one(self._tp.sum(), self.total, normalize, self._weighted_mean)

    def class_likelihood_ratios(self, *, labels: Any = None,
                                replace_undefined_by: Any = np.nan) -> tuple[float, float]:
        """(LR+, LR-) of binary counts; see ``sklearn.metrics.class_likelihood_ratios``."""
        self._need_scores()
        if self._target_type != "binary":
            raise ValueError("class_likelihood_ratios only supports binary classification "
                             f"problems, got targets of type: {self._target_type}")
        replace = _validation.check_likelihood_replace(replace_undefined_by)
        cells = self._binary_confusion(labels)
        return _reduce.likelihood_ratios(*cells, replace_undefined_by=replace)

    def _binary_confusion(self, labels: Any) -> tuple[Any, Any, Any, Any]:
        """(tn, fp, fn, tp): the cells of scikit-learn's ``confusion_matrix(labels=...)``
        of at most two present labels, the second label positive."""
        if labels is None:
            chosen = self.labels
        else:
            chosen = np.asarray(labels)
            if chosen.size == 0:
                raise ValueError("'labels' should contain at least one label.")
            (in_y_true,) = self._select_arrays(chosen, (self._in_y_true(),))
            if not np.any(in_y_true):
                raise ValueError("At least one label specified must be in y_true")
        if chosen.size != 2:
            if chosen.size == 1:  # confusion_matrix warns of its 1 x 1 matrix first
                _reduce.warn_single_label(stacklevel=5)
            relation = "not enough" if chosen.size < 2 else "too many"
            expected = "(expected 4, got 1)" if chosen.size == 1 else "(expected 4)"
            raise ValueError(f"{relation} values to unpack {expected}")
        if (chosen.dtype.kind in "US") != (self.labels.dtype.kind in "US"):
            # confusion_matrix found a label as a string (1 is "1") but maps rows to labels
            # by equality, where 1 is not "1": every cell is empty
            zero = np.zeros((), self._tp.dtype)
            return zero, zero, zero, zero
        tp, true, _ = self._select(chosen)
        if _is_in(chosen[1], chosen[:1]):
            # one label twice: confusion_matrix maps it to its last index, so its diagonal
            # rows land in the last cell and every other row drops out
            zero = np.zeros((), tp.dtype)
            return zero, zero, zero, tp[1]
        # two present labels: a row not on the diagonal is (a, b) or (b, a)
        both = self.labels.size == 2 and bool(np.all(np.isin(self.labels, chosen)))
        off = true - tp if both else np.zeros(2, tp.dtype)
        return tp[0], off[0], off[1], tp[1]

    def _negative_scores(self, negatives: str, labels: Any, pos_label: Any, average: Any,
                         zero_division: Any) -> Any:
        self._need_counts()
        _validation.check_zero_division(zero_division)
        labels = self._set_wise_labels(average, labels, pos_label)
        self._need_weight()
        tp, true, pred = self._select(labels)
        fp, fn = pred - tp, true - tp
        tn = self.total - tp - fp - fn
        other, metric, modifier = ((fp, "specificity", "negative") if negatives == "true"
                                   else (fn, "negative predictive value", "predicted negative"))
        return _reduce.ratio_scores(tn, tn + other, average=average, zero_division=zero_division,
                                    metric=metric, modifier=modifier, weights=true)

    def specificity(self, *, labels: Any = None, pos_label: Any = 1, average: Any = "binary",
                    zero_division: Any = "warn") -> Any:
        """True negative rate ``tn / (tn + fp)`` per label (torchmetrics' ``specificity``).

        ``labels``, ``pos_label``, ``average`` ("binary", "micro", "macro", "weighted" by
        support, None) and ``zero_division`` work as for :meth:`recall_score`; micro sums
        tn and fp over the labels first. A label with no negative rows (tn + fp == 0)
        takes the ``zero_division`` value.
        """
        return self._negative_scores("true", labels, pos_label, average, zero_division)

    def negative_predictive_value(self, *, labels: Any = None, pos_label: Any = 1,
                                  average: Any = "binary", zero_division: Any = "warn") -> Any:
        """``tn / (tn + fn)`` per label (torchmetrics' ``negative_predictive_value``).

        Arguments as for :meth:`specificity`; a label never predicted negative
        (tn + fn == 0) takes the ``zero_division`` value.
        """
        return self._negative_scores("predicted", labels, pos_label, average, zero_division)

    def multilabel_confusion_matrix(self, *, labels: Any = None) -> np.ndarray:
        """Per-label 2 x 2 confusion matrices, as :func:`fastf1.multilabel_confusion_matrix`.

        Parameters
        ----------
        labels : array-like, default None
            The labels (column indices for multilabel counts) to return matrices of, in this order;
            by default every label counted.

        Returns
        -------
        multi_confusion : ndarray of shape (n_labels, 2, 2)
            int64, or float64 with float weights.

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
        >>> counts.multilabel_confusion_matrix(labels=[2])
        array([[[1, 1],
                [0, 2]]])
        """
        self._need_scores()
        tp, true, pred = self._select(labels)
        fp, fn = pred - tp, true - tp
        tn = self.total - tp - fp - fn
        return np.stack([tn, fp, fn, tp]).T.reshape(-1, 2, 2).astype(self._count_dtype(labels))

    def classification_report(
        self, *, labels: Any = None, target_names: Any = None, digits: int = 2,
        output_dict: bool = False, zero_division: Any = "warn", _samples: Any = None,
    ) -> Any:
        """Text (or dict) report of the rows counted, as :func:`fastf1.classification_report`.

        For multilabel counts the "samples avg" line needs per-row counts, which a StatScores does
        not keep: it appears in the report of the function :func:`fastf1.classification_report`
        only.

        Parameters
        ----------
        labels : array-like, default None
            The labels to report, in this order; by default every label counted.
        target_names : list of str, default None
            Display names of the labels, in the order of ``labels``.
        digits : int, default 2
            Digits of the floats in the text report.
        output_dict : bool, default False
            Return the report as a dict, as scikit-learn's ``output_dict=True`` does.
        zero_division : {'warn', 0.0, 1.0, np.nan}, default 'warn'
            The value of a ratio whose denominator is zero. 'warn' acts as 0.0 and issues an
            :class:`fastf1.UndefinedMetricWarning`; with ``np.nan`` such labels are left out of the
            averages.

        Returns
        -------
        report : str or dict
            The text report, or the dict with ``output_dict=True``.

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
        >>> print(counts.classification_report(digits=3, zero_division=0))
                      precision    recall  f1-score   support
        <BLANKLINE>
                   0      1.000     1.000     1.000         1
                   1      0.000     0.000     0.000         1
                   2      0.667     1.000     0.800         2
        <BLANKLINE>
            accuracy                          0.750         4
           macro avg      0.556     0.667     0.600         4
        weighted avg      0.583     0.750     0.650         4
        <BLANKLINE>
        """
        self._need_scores()
        labels_given = labels is not None
        labels = _validation.check_labels(labels) if labels_given else self.labels
        micro_is_accuracy = not self.multilabel and (
            not labels_given or set(labels.tolist()) >= set(self.labels.tolist())
        )
        if target_names is not None and len(labels) != len(target_names):
            if labels_given:
                warnings.warn(
                    f"labels size, {len(labels)}, does not match size of target_names, "
                    f"{len(target_names)}", stacklevel=2)
            else:
                raise ValueError(
                    f"Number of classes, {len(labels)}, does not match size of "
                    f"target_names, {len(target_names)}. Try specifying the labels parameter"
                )
        if target_names is None:
            target_names = ["%s" % label for label in labels]  # noqa: UP031 (sklearn's text)
        p, r, f1, s = self.precision_recall_fscore_support(
            labels=labels, average=None, zero_division=zero_division)
        averages = ["micro", "macro", "weighted"]
        if self.multilabel and _samples is not None:
            averages.append("samples")
        summary = []
        for average in averages:
            heading = "accuracy" if average == "micro" and micro_is_accuracy else average + " avg"
            if average == "samples":
                avg_p, avg_r, avg_f1 = _samples
            else:
                avg_p, avg_r, avg_f1, _ = self.precision_recall_fscore_support(
                    labels=labels, average=average, zero_division=zero_division)
            summary.append((heading, avg_p, avg_r, avg_f1, np.sum(s)))
        return _report.format_report(target_names, (p, r, f1, s), summary, digits=digits,
                                     output_dict=output_dict)


    # ---- counts as data ---------------------------------------------------------------

    def _to_data(self) -> dict[str, Any]:
        if self.labels is None:
            counts = None
        else:
            counts = {"labels": _json.encode_array(self.labels),
                      "tp": _json.encode_array(self._tp), "pred": _json.encode_array(self._pred),
                      "true": _json.encode_array(self._true),
                      "total": _json.encode_scalar(self.total), "multilabel": self.multilabel,
                      "weighted": self.weighted,
                      "int_weighted_empty": None if self._int_weighted_empty is None
                      else _json.encode_array(self._int_weighted_empty)}
            # optional: a reader that does not know it reads presence from true > 0
            if self._true_seen is not None:
                counts["true_seen"] = _json.encode_array(self._true_seen)
            # optional too: a reader that does not know it never refuses all-zero weights
            if self.weighted and self._some_weight is not None:
                counts["some_weight"] = self._some_weight
        return {"format": _json.FORMAT, "version": _json.COUNTS_VERSION, "kind": "StatScores",
                "threshold": _json.encode_scalar(self.threshold),
                "ignore_index": _json.encode_scalar(self.ignore_index), "counts": counts}

    @classmethod
    def _from_data(cls, data: Any) -> StatScores:
        _json.check_header(data, "StatScores")
        out = cls(threshold=_json.decode_scalar(data.get("threshold"), "threshold"),
                  ignore_index=_json.decode_scalar(data.get("ignore_index"), "ignore_index"))
        c = data.get("counts")
        if c is None:
            return out
        if not isinstance(c, dict):
            raise _json.NotCounts("counts: expected an object")
        labels = _json.decode_array(c.get("labels"), "labels", "biufU")
        parts = [_json.decode_array(c.get(k), k, "if") for k in ("tp", "pred", "true")]
        weighted, multilabel = c.get("weighted"), c.get("multilabel")
        if not isinstance(weighted, bool) or not isinstance(multilabel, bool):
            raise _json.NotCounts("counts: weighted and multilabel must be true or false")
        want = np.float64 if weighted else np.int64
        if any(p.shape != labels.shape or p.dtype != want for p in parts) or labels.ndim != 1:
            raise _json.NotCounts(f"counts: tp, pred and true must be {np.dtype(want)} arrays "
                                  "as long as labels")
        if labels.size > 1 and not (labels[1:] > labels[:-1]).all():
            raise _json.NotCounts("counts: labels must be sorted and distinct")
        total = c.get("total")
        if isinstance(total, bool) or not isinstance(total, (int, float)):
            raise _json.NotCounts("counts: total must be a number")
        _check_counts(parts, total, weighted, multilabel)
        empty = c.get("int_weighted_empty")
        if empty is not None:
            empty = _json.decode_array(empty, "int_weighted_empty", "b")
            if empty.shape != labels.shape:
                raise _json.NotCounts("int_weighted_empty: must be as long as labels")
        # optional: counts saved without it read presence in y_true from true > 0
        seen = c.get("true_seen")
        if seen is not None:
            seen = _json.decode_array(seen, "true_seen", "b")
            if seen.shape != labels.shape or not (seen | (parts[2] == 0)).all():
                raise _json.NotCounts("true_seen: must be as long as labels, and true where "
                                      "true is not 0")
        out.labels, (out._tp, out._pred, out._true) = labels, parts
        out.total, out.weighted, out.multilabel = total, weighted, multilabel
        out._int_weighted_empty = empty
        out._true_seen = seen
        out._some_weight = _decode_some_weight(c.get("some_weight", None if weighted else True),
                                               weighted, parts, total)
        return out

    def to_json(self) -> str:
        """These counts as a JSON document (the versioned ``fastf1.counts`` format).

        Labels keep their exact values and dtype (int64 and uint64 as JSON integers, strings
        as strings); counts are int64 (float64 with sample weights). No pickle: the document
        is data, safe to read from anyone with :meth:`from_json`.

        Examples
        --------
        >>> import fastf1, numpy as np
        >>> y = np.array([0, 1, 2**63 + 5], dtype=np.uint64)
        >>> s = fastf1.StatScores().update(y, y)
        >>> back = fastf1.StatScores.from_json(s.to_json())
        >>> back.labels.tolist() == s.labels.tolist(), back.labels.dtype
        (True, dtype('uint64'))
        """
        return json.dumps(self._to_data())

    @classmethod
    def from_json(cls, text: str | bytes) -> StatScores:
        """Counts from :meth:`to_json`'s document.

        Raises
        ------
        ValueError
            The text is not JSON, not fastf1 counts, or of a newer format version.
        """
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise _json.NotCounts(f"not fastf1 counts (not JSON: {exc})") from None
        return cls._from_data(data)


def _decode_some_weight(value: Any, weighted: bool, parts: list[np.ndarray],
                        total: Any) -> bool | None:
    """``some_weight`` of saved counts: true, false or absent (None: not recorded). False
    says every weight was zero, so the counts are weighted, and they and the total are 0."""
    if value is not None and not isinstance(value, bool):
        raise _json.NotCounts("some_weight: must be true or false")
    if value is False and (not weighted or total != 0 or any(p.any() for p in parts)):
        raise _json.NotCounts("some_weight: false (every weight zero) needs weighted counts, "
                              "all zero, and a zero total")
    return value


def _check_counts(parts: list[np.ndarray], total: Any, weighted: bool,
                  multilabel: bool) -> None:
    """Refuse counts no data could give (only rules every real count keeps: weighted counts
    may be negative, as sample weights may be, so they are only checked to be finite)."""
    tp, pred, true = parts
    if not math.isfinite(total):
        raise _json.NotCounts(f"total: must be a finite number, got {total!r}")
    if weighted:
        if not all(np.isfinite(p).all() for p in parts):
            raise _json.NotCounts("counts: tp, pred and true must be finite")
        return
    if not isinstance(total, int) or total < 0:
        raise _json.NotCounts(f"total: unweighted counts need a non-negative integer total, "
                              f"got {total!r}")
    for name, p in zip(("tp", "pred", "true"), parts):
        if (p < 0).any():
            raise _json.NotCounts(f"{name}: counts must not be negative")
        if (p > total).any():
            raise _json.NotCounts(f"{name}: a count exceeds total ({total})")
    if (tp > pred).any() or (tp > true).any():
        raise _json.NotCounts("tp: a label's tp exceeds its pred or true count")
    if not multilabel and int(true.sum(dtype=object)) != total:
        raise _json.NotCounts(f"total: single-label total ({total}) must equal the sum of "
                              "true counts")


class ByGroup(dict):
    """Results per group, ``{group value: result}``, in sorted group order.

    What ``groups=`` returns: :class:`StatScores` from :func:`stat_scores`, scores from the
    metric functions. A group appears when at least one of its rows was counted; a group
    that scikit-learn refuses on its rows alone (say its weights are all zero) makes the
    metric functions raise its error, naming the group. Two ``ByGroup`` of counts add up
    group by group (chunks of one data set).

    Examples
    --------
    >>> import fastf1
    >>> fastf1.f1_score([0, 1, 1, 0], [0, 1, 0, 0], groups=["a", "a", "b", "b"])
    ByGroup({'a': 1.0, 'b': 0.0})
    """

    def __repr__(self) -> str:
        return f"ByGroup({dict.__repr__(self)})"

    def map(self, func: Any) -> ByGroup:
        """Apply ``func`` to each group's result.

        Parameters
        ----------
        func : callable
            Called with one group's result.

        Returns
        -------
        ByGroup
            ``{group: func(result)}``, in the same order.

        Examples
        --------
        >>> import fastf1
        >>> counts = fastf1.stat_scores([0, 1, 1, 0], [0, 1, 0, 0], groups=["a", "a", "b", "b"])
        >>> counts.map(lambda s: s.accuracy_score())
        ByGroup({'a': 1.0, 'b': 0.5})
        """
        return ByGroup((key, func(value)) for key, value in self.items())

    def __add__(self, other: Any) -> ByGroup:
        if not isinstance(other, ByGroup):
            return NotImplemented
        out = {**self}
        for key, value in other.items():
            out[key] = out[key] + value if key in out else value
        try:
            keys = sorted(out)
        except TypeError:  # groups of mixed types: keep the order seen
            keys = list(out)
        return ByGroup((key, out[key]) for key in keys)

    def to_json(self) -> str:
        """Counts per group as a JSON document (``fastf1.counts``, kind ``ByGroup``).

        Examples
        --------
        >>> import fastf1
        >>> g = fastf1.stat_scores([0, 1, 1], [0, 1, 0], groups=["a", "b", "b"])
        >>> fastf1.ByGroup.from_json(g.to_json())["b"].tp.tolist()
        [0, 1]
        """
        for value in self.values():
            if not isinstance(value, StatScores):
                raise TypeError("to_json() saves counts (StatScores) per group, not scores")
        return json.dumps({"format": _json.FORMAT, "version": _json.COUNTS_VERSION, "kind": "ByGroup",
                           "groups": [[_json.encode_scalar(k), v._to_data()]
                                      for k, v in self.items()]})

    @classmethod
    def from_json(cls, text: str | bytes) -> ByGroup:
        """Counts per group from :meth:`to_json`'s document."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise _json.NotCounts(f"not fastf1 counts (not JSON: {exc})") from None
        return cls._from_data(data)

    @classmethod
    def _from_data(cls, data: Any) -> ByGroup:
        _json.check_header(data, "ByGroup")
        groups = data.get("groups")
        if not isinstance(groups, list) or not all(
                isinstance(g, list) and len(g) == 2 for g in groups):
            raise _json.NotCounts("groups: expected a list of [group, counts] pairs")
        return cls(_json.decode_groups(groups, StatScores._from_data))

    def to_frame(self, name: str = "score") -> Any:
        """The results as a pandas DataFrame.

        For counts, one row per (group, label) with columns tp, fp, fn, tn and support; for scores,
        one row per group (column ``name``, or precision, recall, fscore and support for the tuples
        of ``precision_recall_fscore_support``).

        Parameters
        ----------
        name : str, default "score"
            The column of a single score per group.

        Returns
        -------
        pandas.DataFrame
            Indexed by group (and label, for counts).

        Raises
        ------
        TypeError
            The results are per-label arrays, which differ in labels between groups.

        Examples
        --------
        >>> import fastf1
        >>> f1 = fastf1.f1_score([0, 1, 1, 0], [0, 1, 0, 0], groups=["a", "a", "b", "b"])
        >>> f1.to_frame("f1")
                f1
        group
        a      1.0
        b      0.0
        """
        import pandas as pd

        values = list(self.values())
        if values and isinstance(values[0], StatScores):
            frames = [pd.DataFrame({"group": [key] * s.labels.size, "label": s.labels,
                                    "tp": s.tp, "fp": s.fp, "fn": s.fn, "tn": s.tn,
                                    "support": s.support}) for key, s in self.items()]
            return pd.concat(frames, ignore_index=True).set_index(["group", "label"])
        if any(np.ndim(v) for v in values if not isinstance(v, tuple)) or any(
                np.ndim(x) for v in values if isinstance(v, tuple) for x in v):
            raise TypeError("to_frame() needs one number per group (an average, not "
                            "per-label arrays); per-label results differ in labels by group")
        columns = ["precision", "recall", "fscore", "support"]
        rows = [dict(zip(columns, v)) if isinstance(v, tuple) else {name: v}
                for v in values]
        return pd.DataFrame(rows, index=pd.Index(list(self), name="group"))


@overload
def stat_scores(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None, threshold: Any = None,
    ignore_index: Any = None, labels: Any = None, device: Device = "auto", groups: None = None,
) -> StatScores: ...


@overload
def stat_scores(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None, threshold: Any = None,
    ignore_index: Any = None, labels: Any = None, device: Device = "auto", groups: ArrayLike,
) -> ByGroup: ...


def stat_scores(
    y_true: Any, y_pred: Any, *, sample_weight: Any = None, threshold: Any = None,
    ignore_index: Any = None, labels: Any = None, device: Any = "auto", groups: Any = None,
) -> StatScores | ByGroup:
    """Count ``y_true`` against ``y_pred`` in one pass: the counts every score derives from.

    Per label: true positives, false positives, false negatives, true negatives and support, as a
    :class:`StatScores` whose methods give every score exactly as the metric functions (and
    scikit-learn) do. Counts add up with ``+``, so the counts of chunks, files, processes and Dask
    partitions merge into the counts of all their rows.

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
        Row weights: the counts are then float64 sums of weights.
    threshold : float or array-like of shape (n_labels,), default None
        ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is a positive
        prediction when ``score >= threshold``, compared in float64; one value per label for
        multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        Rows whose true label equals this value are skipped inside the counting pass (padded
        sequence positions, such as -100). Single-label data only.
    labels : array-like, default None
        The labels you expect. Every label present is counted whatever this says; it only spares the
        counting pass its guess of the label range.
    device : {'auto', 'cpu', 'cuda'}, default 'auto'
        Where the counting pass runs. 'auto' counts arrays that are already on a GPU (CuPy, PyTorch,
        numba device arrays) where they are, without a copy, and anything else on the CPU; 'cuda'
        streams host arrays through the GPU; 'cpu' copies GPU arrays to the host.
    groups : array-like of shape (n_samples,), default None
        One group per row (a model version, a country, a day: numbers, strings or dates). Every
        group is counted in the same single pass, on the CPU, and the result is a :class:`ByGroup`
        of ``StatScores``, each equal to the counts of that group's rows alone.

    Returns
    -------
    StatScores or ByGroup
        The counts; a :class:`ByGroup` of them, ``{group: StatScores}``, with ``groups``. Dask
        inputs are counted chunk by chunk on their workers and the result computed.

    Raises
    ------
    ValueError
        Bad input, as for the metric functions: lengths that differ, empty input, NaN, inf or
        fractional labels or scores, strings mixed with numbers, ``threshold`` with label input,
        non-numeric or negative weights, ``device='cuda'`` without a GPU.

    See Also
    --------
    StatScores : The counts and the scores derived from them.
    fastf1.dask.stat_scores : The same counts of Dask collections, as a lazy object.

    Examples
    --------
    >>> import fastf1
    >>> counts = fastf1.stat_scores([0, 1, 2, 2], [0, 2, 2, 2])
    >>> counts.labels, counts.tp, counts.fp, counts.fn
    (array([0, 1, 2]), array([1, 0, 2]), array([0, 0, 1]), array([0, 1, 0]))
    >>> counts.f1_score(average="micro")
    0.75
    >>> by_model = fastf1.stat_scores([0, 1, 1, 0], [0, 1, 0, 0], groups=["v1", "v1", "v2", "v2"])
    >>> by_model["v2"].tp
    array([1, 0])
    """
    check_dense("stat_scores", sample_weight=sample_weight)
    if _validation.is_dask(y_true, y_pred, sample_weight, groups):
        return compute_dask_stat_scores(
            y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
            ignore_index=ignore_index, labels=labels, groups=groups)
    if groups is None:
        return count_rows(y_true, y_pred, sample_weight, threshold, ignore_index, labels,
                          device)
    return _count_by_group(y_true, y_pred, sample_weight, threshold, ignore_index, labels,
                           device, groups)


def count_rows(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any,
               ignore_index: Any, labels: Any, device: Any,
               allow_all_zero_weights: bool = False) -> StatScores:
    """The counts of in-memory rows (no groups). With ``allow_all_zero_weights``, weights
    that are all zero are counted (zeros) instead of refused: the scores of the counts then
    raise scikit-learn's error after their own argument checks, in scikit-learn's order."""
    inp = _validation.prepare(y_true, y_pred, sample_weight, threshold,
                              allow_all_zero_weights=allow_all_zero_weights, device=device)
    counts = _dispatch.count(inp, ignore=ignore_index, hint=labels)
    return StatScores._from_counts(counts, inp.w is not None,
                                   threshold=threshold, ignore_index=ignore_index)


def _count_by_group(y_true: Any, y_pred: Any, sample_weight: Any, threshold: Any,
                    ignore_index: Any, labels: Any, device: Any, groups: Any,
                    allow_all_zero_weights: bool = False) -> ByGroup:
    if device == "cuda":
        raise ValueError("groups= is counted on the CPU: pass device='cpu' or 'auto'")
    inp = _validation.prepare(y_true, y_pred, sample_weight, threshold,
                              allow_all_zero_weights=allow_all_zero_weights, device="cpu")
    codes = _validation.encode_groups(groups, inp.n)
    try:
        parts = _dispatch.count_groups(inp, ignore_index, labels, codes)
    except _dispatch.TooManyCells:
        if not codes.by_value:
            raise
        # integers spread thin over their range: a block per value is too many, so encode
        codes = _validation.encode_groups(groups, inp.n, by_value=False)
        parts = _dispatch.count_groups(inp, ignore_index, labels, codes)
    return ByGroup(
        (value, StatScores._from_counts(c, inp.w is not None, threshold=threshold,
                                        ignore_index=ignore_index))
        for value, c in zip(codes.values.tolist(), parts) if c is not None)


# ---- Dask: count every chunk where it lives, add the counts in a tree (see _chunked) -----


def _count_chunk(t: Any, p: Any, w: Any, threshold: Any, ignore_index: Any,
                 labels: Any) -> StatScores:
    """The counts of one chunk (an empty chunk counts nothing)."""
    t, p, w = _chunked.as_numpy(t), _chunked.as_numpy(p), _chunked.as_numpy(w)
    out = StatScores(threshold=threshold, ignore_index=ignore_index)
    if len(t) == 0:
        return out
    return out.update(t, p, sample_weight=w, device="cpu", labels=labels)


def _count_chunk_by_group(t: Any, p: Any, w: Any, g: Any, threshold: Any, ignore_index: Any,
                          labels: Any) -> ByGroup:
    """The counts of each group in one chunk."""
    t, p, g = _chunked.as_numpy(t), _chunked.as_numpy(p), _chunked.as_numpy(g)
    if len(t) == 0:
        return ByGroup()
    return _count_by_group(t, p, _chunked.as_numpy(w), threshold, ignore_index,
                           labels, "cpu", g, allow_all_zero_weights=True)


def lazy_stat_scores(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                     threshold: Any = None, ignore_index: Any = None, labels: Any = None,
                     groups: Any = None) -> Any:
    """Lazy counts of Dask inputs: a ``dask.delayed`` object that computes a StatScores
    (with ``groups``, a :class:`ByGroup` of them); see :func:`fastf1.dask.stat_scores`."""
    chunks = list(_chunked.aligned_chunks(y_true, y_pred, sample_weight))
    if groups is None:
        return _chunked.count_chunks(_count_chunk, chunks, threshold, ignore_index, labels,
                                     add=operator.add, empty=StatScores)
    chunks.append(_chunked.group_chunks(groups, y_true, len(chunks[0])))
    return _chunked.count_chunks(_count_chunk_by_group, chunks, threshold, ignore_index,
                                 labels, add=operator.add, empty=ByGroup)


def compute_dask_stat_scores(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                             threshold: Any = None, ignore_index: Any = None,
                             labels: Any = None, groups: Any = None) -> Any:
    """Count Dask inputs now: :func:`stat_scores`, computed.

    What the metric functions call for Dask inputs. All-zero weights are counted (zeros); the
    scores of such counts raise scikit-learn's error.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series
        Ground truth, as for :func:`fastf1.stat_scores`, in row chunks (partitions).
    y_pred : dask.array.Array or dask.dataframe.Series
        Predictions (labels, scores with ``threshold``, a score matrix or multilabel indicators)
        with the same row chunks as ``y_true``: arrays are rechunked to ``y_true``'s rows if needed;
        Series must come from the same DataFrame or have the same partitions.
    sample_weight : dask.array.Array or dask.dataframe.Series, default None
        Row weights, chunked as ``y_true``. All-zero weights give zero counts, whose scores
        raise scikit-learn's error.
    threshold : float or array-like of shape (n_labels,), default None
        ``y_pred`` holds scores, and a row (or, for multilabel data, a row's label) is a positive
        prediction when ``score >= threshold``, compared in float64; one value per label for
        multilabel scores. None: ``y_pred`` holds labels, indicators or a score matrix.
    ignore_index : int, default None
        Rows whose true label equals this value are skipped inside the counting pass (padded
        sequence positions, such as -100). Single-label data only.
    labels : array-like, default None
        The labels you expect: only helps each chunk guess its label range; every label present is
        counted.
    groups : dask.array.Array or dask.dataframe.Series, default None
        One group per row, with the same partitions as ``y_true``: the result is then a
        :class:`fastf1.ByGroup` of counts, one per group.

    Returns
    -------
    StatScores or ByGroup
        The counts of every row (a :class:`fastf1.ByGroup` of them with ``groups``).

    Raises
    ------
    ValueError
        Empty input, or bad data found while counting the chunks.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> from fastf1.dask import compute_stat_scores
    >>> y = da.from_array(np.array([0, 1, 1, 0]), chunks=2)
    >>> compute_stat_scores(y, y).tp
    array([2, 2])
    """
    counts = lazy_stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                              ignore_index=ignore_index, labels=labels, groups=groups).compute()
    empty = len(counts) == 0 if groups is not None else counts.labels is None
    if empty:
        raise _chunked.empty_input_error()
    return counts
