"""``StatScores``: the per-label counts, the one object every fastf1 front end shares.

Counts are additive: the counts of two chunks sum to the counts of their union. So files
read chunk by chunk, threads, Keras batches and Dask partitions all reduce to ``a + b``,
and every score is derived from the summed counts by ``_reduce``.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any, overload

import numpy as np

from . import _chunked, _dispatch, _reduce, _report, _validation
from ._types import ArrayLike, Device


def _is_in(value: Any, labels: np.ndarray) -> bool:
    """``value in labels`` without NumPy's elementwise comparison of str with numbers."""
    return any(value == label for label in labels.tolist())


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

    # ---- building -------------------------------------------------------------------

    @classmethod
    def _from_counts(cls, c: _dispatch.Counts, weighted: bool, **config: Any) -> StatScores:
        s = cls(**config)
        s.labels, s._tp, s._true, s._pred = c.labels, c.tp, c.true, c.pred
        s.total, s.multilabel, s.weighted = c.total, c.multilabel, weighted
        s._int_weighted_empty = c.int_weighted_empty
        return s

    def update(self, y_true: Any, y_pred: Any, sample_weight: Any = None, *,
               device: Any = "auto", labels: Any = None) -> StatScores:
        """Count one more chunk of rows into this object (in place); returns ``self``.

        ``device`` is "auto", "cpu" or "cuda", as for the metric functions; Dask inputs are
        counted on their workers. ``labels`` (the labels you expect) only helps the counting
        pass guess the label range.
        """
        if _validation.is_dask(y_true, y_pred, sample_weight):
            other = lazy_stat_scores(
                y_true, y_pred, sample_weight=sample_weight, threshold=self.threshold,
                ignore_index=self.ignore_index, labels=labels).compute()
            self.__dict__.update((self + other).__dict__)
            return self
        # unlike a whole data set, one chunk may carry only zero weights
        inp = _validation.prepare(y_true, y_pred, sample_weight, self.threshold,
                                  allow_all_zero_weights=True, device=device)
        counts = _dispatch.count(inp, ignore=self.ignore_index, hint=labels)
        other = StatScores._from_counts(counts, inp.w is not None, threshold=self.threshold,
                                        ignore_index=self.ignore_index)
        merged = self + other
        self.__dict__.update(merged.__dict__)
        return self

    def __add__(self, other: StatScores) -> StatScores:
        if not isinstance(other, StatScores):
            return NotImplemented
        if other.labels is None:
            return self._copy()
        if self.labels is None:
            return other._copy()
        if self.multilabel != other.multilabel:
            raise ValueError("cannot merge multilabel counts with single-label counts")
        if self.multilabel and self.labels.size != other.labels.size:
            raise ValueError(
                f"cannot merge multilabel counts of {self.labels.size} and {other.labels.size} labels"
            )
        if (self.labels.dtype.kind in "US") != (other.labels.dtype.kind in "US"):
            raise ValueError("Mix of label input types (string and number)")
        labels = np.union1d(self.labels, other.labels)
        weighted = self.weighted or other.weighted
        dtype = np.float64 if weighted else np.int64
        out = StatScores(threshold=self.threshold, ignore_index=self.ignore_index)
        out.labels, out.multilabel, out.weighted = labels, self.multilabel, weighted
        out._tp, out._pred, out._true = (np.zeros(labels.size, dtype) for _ in range(3))
        for part in (self, other):
            idx = np.searchsorted(labels, part.labels)
            out._tp[idx] += part._tp
            out._pred[idx] += part._pred
            out._true[idx] += part._true
        out.total = self.total + other.total
        a, b = self._int_weighted_empty, other._int_weighted_empty
        out._int_weighted_empty = None if a is None or b is None else a & b
        return out

    def _copy(self) -> StatScores:
        out = StatScores(threshold=self.threshold, ignore_index=self.ignore_index)
        out.__dict__.update({k: (v.copy() if isinstance(v, np.ndarray) else v)
                             for k, v in self.__dict__.items()})
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

    @property
    def tp(self) -> np.ndarray:
        self._need_counts()
        return self._tp.copy()

    @property
    def fp(self) -> np.ndarray:
        self._need_counts()
        return self._pred - self._tp

    @property
    def fn(self) -> np.ndarray:
        self._need_counts()
        return self._true - self._tp

    @property
    def tn(self) -> np.ndarray:
        self._need_counts()
        return self.total - self._tp - (self._pred - self._tp) - (self._true - self._tp)

    @property
    def support(self) -> np.ndarray:
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
        if labels is None:
            return self._tp, self._true, self._pred
        labels = np.asarray(labels)
        if self.multilabel:
            if labels.size == 0:
                return (np.zeros(0, self._tp.dtype),) * 3
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
            return self._tp[idx], self._true[idx], self._pred[idx]
        if labels.size and (labels.dtype.kind in "US") != (self.labels.dtype.kind in "US"):
            if self.labels.dtype.kind not in "US":
                raise ValueError("Mix of label input types (string and number)")
            labels = labels.astype(str)  # as scikit-learn's concatenation does
        idx = np.searchsorted(self.labels, labels)
        idx_c = np.minimum(idx, self.labels.size - 1)
        found = self.labels[idx_c] == labels
        zero = np.zeros(1, self._tp.dtype)
        tp, true, pred = (np.where(found, x[idx_c], zero) for x in (self._tp, self._true, self._pred))
        return tp, true, pred

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
        """Precision, recall, F-beta and support, as ``sklearn.metrics`` computes them."""
        self._need_counts()
        _validation.check_zero_division(zero_division)
        _validation.check_beta(beta)
        labels = self._set_wise_labels(average, labels, pos_label)
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
        return self.precision_recall_fscore_support(
            beta=beta, labels=labels, pos_label=pos_label, average=average,
            warn_for=("f-score",), zero_division=zero_division)[2]

    def f1_score(self, *, labels: Any = None, pos_label: Any = 1, average: Any = "binary",
                 zero_division: Any = "warn") -> Any:
        return self.fbeta_score(beta=1, labels=labels, pos_label=pos_label,
                                average=average, zero_division=zero_division)

    def precision_score(self, *, labels: Any = None, pos_label: Any = 1,
                        average: Any = "binary", zero_division: Any = "warn") -> Any:
        return self.precision_recall_fscore_support(
            labels=labels, pos_label=pos_label, average=average,
            warn_for=("precision",), zero_division=zero_division)[0]

    def recall_score(self, *, labels: Any = None, pos_label: Any = 1,
                     average: Any = "binary", zero_division: Any = "warn") -> Any:
        return self.precision_recall_fscore_support(
            labels=labels, pos_label=pos_label, average=average,
            warn_for=("recall",), zero_division=zero_division)[1]

    def accuracy_score(self, *, normalize: bool = True) -> float:
        """Fraction of rows whose predicted label is the true one (single-label only)."""
        self._need_counts()
        if self.multilabel:
            raise ValueError(
                "multilabel (subset) accuracy needs per-row counts, which StatScores does "
                "not keep; call fastf1.accuracy_score on the arrays instead"
            )
        return _reduce.accuracy(self._tp.sum(), self.total, normalize)

    # ---- the rest of the scorecard: functions of the same counts (see _reduce) -------

    def _single_label(self, what: str = "multilabel-indicator is not supported",
                      confusion: bool = True) -> None:
        """Counts of single-label input, else ``what``; with ``confusion``, warn as
        scikit-learn's confusion matrix does when it would be 1 x 1."""
        self._need_counts()
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
        self._single_label()
        _validation.check_kappa_args(weights, replace_undefined_by)
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
        tp, true, pred = self._select(labels)
        return _reduce.jaccard(tp, pred, true, average=average, zero_division=zero_division)

    def hamming_loss(self) -> float:
        """Fraction of wrong labels; see ``sklearn.metrics.hamming_loss``."""
        self._need_counts()
        if not self.multilabel:
            return _reduce.hamming(self.total - self._tp.sum(), self.total)
        wrong = (self._pred - self._tp).sum() + (self._true - self._tp).sum()
        rows = None if self.weighted else self.total
        return _reduce.hamming(wrong, self.total, self.labels.size, rows)

    def zero_one_loss(self, *, normalize: bool = True) -> float:
        """Fraction (or number / weight) of misclassified rows (single-label only)."""
        self._single_label(
            "multilabel zero-one loss needs per-row counts, which StatScores does not keep; "
            "call fastf1.zero_one_loss on the arrays instead", confusion=False)
        return _reduce.zero_one(self._tp.sum(), self.total, normalize)

    def class_likelihood_ratios(self, *, labels: Any = None,
                                replace_undefined_by: Any = np.nan) -> tuple[float, float]:
        """(LR+, LR-) of binary counts; see ``sklearn.metrics.class_likelihood_ratios``."""
        self._need_counts()
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
            _, true_all, _ = self._select(chosen)
            if not np.any(true_all):
                raise ValueError("At least one label specified must be in y_true")
        if chosen.size != 2:
            relation = "not enough" if chosen.size < 2 else "too many"
            expected = "(expected 4, got 1)" if chosen.size == 1 else "(expected 4)"
            raise ValueError(f"{relation} values to unpack {expected}")
        tp, true, _ = self._select(chosen)
        # two present labels: a row not on the diagonal is (a, b) or (b, a)
        both = self.labels.size == 2 and bool(np.all(np.isin(self.labels, chosen)))
        off = true - tp if both else np.zeros(2, tp.dtype)
        return tp[0], off[0], off[1], tp[1]

    def _negative_scores(self, negatives: str, labels: Any, pos_label: Any, average: Any,
                         zero_division: Any) -> Any:
        self._need_counts()
        _validation.check_zero_division(zero_division)
        labels = self._set_wise_labels(average, labels, pos_label)
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
        """Per-label 2 x 2 matrices ``[[tn, fp], [fn, tp]]``, shape (n_labels, 2, 2)."""
        self._need_counts()
        tp, true, pred = self._select(labels)
        fp, fn = pred - tp, true - tp
        tn = self.total - tp - fp - fn
        return np.stack([tn, fp, fn, tp]).T.reshape(-1, 2, 2).astype(self._count_dtype(labels))

    def classification_report(
        self, *, labels: Any = None, target_names: Any = None, digits: int = 2,
        output_dict: bool = False, zero_division: Any = "warn", _samples: Any = None,
    ) -> Any:
        """The text (or dict) report of ``sklearn.metrics.classification_report``.

        For multilabel counts the "samples avg" line needs per-row counts, which a
        StatScores does not keep: it appears in the report of the function
        :func:`fastf1.classification_report` only.
        """
        self._need_counts()
        labels_given = labels is not None
        labels = np.asarray(labels) if labels_given else self.labels
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


class ByGroup(dict):
    """Results per group, ``{group value: result}``, in sorted group order.

    What ``groups=`` returns: :class:`StatScores` from :func:`stat_scores`, scores from the
    metric functions. A group appears when at least one of its rows was counted. Two
    ``ByGroup`` of counts add up group by group (chunks of one data set).

    Examples
    --------
    >>> import fastf1
    >>> fastf1.f1_score([0, 1, 1, 0], [0, 1, 0, 0], groups=["a", "a", "b", "b"])
    ByGroup({'a': 1.0, 'b': 0.0})
    """

    def __repr__(self) -> str:
        return f"ByGroup({dict.__repr__(self)})"

    def map(self, func: Any) -> ByGroup:
        """``{group: func(result)}``."""
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

    def to_frame(self, name: str = "score") -> Any:
        """A pandas DataFrame: for counts, one row per (group, label) with columns tp, fp,
        fn, tn and support; for scores, one row per group (column ``name``, or precision,
        recall, fscore and support for the tuples of ``precision_recall_fscore_support``)."""
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
    """Count ``y_true`` against ``y_pred`` in one pass; returns a :class:`StatScores`.

    ``y_pred`` may hold labels, 1-D scores (with ``threshold``), a 2-D score matrix (argmax,
    with 1-D ``y_true``) or a multilabel indicator / score matrix. ``labels`` only helps
    the counting pass guess the label range; every present label is counted. ``device``
    is "auto", "cpu" or "cuda" (see :mod:`fastf1.metrics`). Dask arrays and DataFrame
    columns are counted chunk by chunk on their workers (see :mod:`fastf1.dask`).

    ``groups``, one value per row (model version, country, day: numbers, strings, dates), counts
    every group in the same single pass and returns a :class:`ByGroup` of ``StatScores``,
    each equal to the counts of that group's rows alone. Groups are counted on the CPU.
    """
    if _validation.is_dask(y_true, y_pred, sample_weight, groups):
        return compute_dask_stat_scores(
            y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
            ignore_index=ignore_index, labels=labels, groups=groups)
    if groups is None:
        inp = _validation.prepare(y_true, y_pred, sample_weight, threshold, device=device)
        counts = _dispatch.count(inp, ignore=ignore_index, hint=labels)
        return StatScores._from_counts(counts, inp.w is not None,
                                       threshold=threshold, ignore_index=ignore_index)
    return _count_by_group(y_true, y_pred, sample_weight, threshold, ignore_index, labels,
                           device, groups)


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
    """Count Dask inputs now (the metric functions call this).

    Unlike in-memory input, all-zero weights are not rejected (that check would need its
    own pass over the weights).
    """
    counts = lazy_stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                              ignore_index=ignore_index, labels=labels, groups=groups).compute()
    empty = len(counts) == 0 if groups is not None else counts.labels is None
    if empty:
        raise _chunked.empty_input_error()
    return counts
