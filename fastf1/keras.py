"""Keras 3 metrics with fastf1's exact, whole-data-set scores (TensorFlow backend).

``F1Score``, ``FBetaScore``, ``Precision``, ``Recall`` and ``ClassCounts`` keep per-class
counts (tp, true, pred) in int64 state variables (float64 for weighted rows) and derive the
score from those counts in ``result()``, with the formulas of :mod:`fastf1._reduce`. So the
value ``evaluate()`` reports is scikit-learn's score on all the rows, not an average of
per-batch scores.

Which counting path runs (``metric.counting_path`` names the last one traced):

* ``"numpy"`` (eager, ``run_eagerly=True`` and ordinary graph mode): the batch crosses into
  NumPy through ``tf.numpy_function`` and is counted by fastf1's serial, ``nogil`` Numba
  kernels (argmax and thresholding fused into the pass). Invalid rows (NaN scores, labels
  outside ``[0, num_classes)``, non 0/1 truth) raise an error.
* ``"xla"`` (``jit_compile=True``, the Keras default when a GPU is visible): XLA cannot
  call Python, so the same counts are taken with pure TensorFlow ops (one
  ``unsorted_segment_sum`` on int64 / float64). An XLA program cannot raise either: invalid
  rows are not counted, and the metric's result becomes NaN.

Importing this module imports TensorFlow; ``import fastf1`` never does.
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from . import _dispatch, _reduce, _validation
from ._kernels import cpu
from .counts import StatScores as CoreStatScores

if keras.backend.backend() != "tensorflow":  # pragma: no cover - depends on KERAS_BACKEND
    raise ImportError(
        "fastf1.keras needs Keras' TensorFlow backend (it counts through tf.numpy_function); "
        f"the active backend is {keras.backend.backend()!r}"
    )

__all__ = ["AUC", "AveragePrecision", "ClassCounts", "F1Score", "FBetaScore",
           "MatthewsCorrelation", "Precision", "Recall", "StatScores"]

TASKS = ("multiclass", "binary", "multilabel")
_AVERAGES = ("micro", "macro", "weighted", None, "binary")


# ---- the formulas, in TensorFlow ---------------------------------------------------------


def _scores_tf(tp: tf.Tensor, true: tf.Tensor, pred: tf.Tensor, present: tf.Tensor, *,
               beta: float, average: Any, zero_division: Any,
               quantities: str = "prf") -> tuple[Any, ...]:
    """(precision, recall, F-beta) from float64 per-label counts, in pure TF (XLA-safe).

    A line-by-line transcription of ``fastf1._reduce.precision_recall_fscore`` (the
    reference; tests check they agree): same formulas, same order, zero division per
    quantity; ``present`` (bool per label) marks the labels an average runs over. Only the
    ``quantities`` asked for ("p", "r", "f", in that order) are built: ``result()`` runs in
    every Keras step, and each TF op costs about a microsecond there.
    """
    zd = tf.constant(_reduce.zero_division_value(zero_division), tf.float64)
    if average == "micro":
        tp, true, pred = (tf.reshape(tf.reduce_sum(x), [1]) for x in (tp, true, pred))
        present = tf.ones([1], tf.bool)

    def divide(numerator: tf.Tensor, denominator: tf.Tensor) -> tf.Tensor:
        zero = tf.equal(denominator, 0.0)
        return tf.where(zero, zd, numerator / tf.where(zero, tf.ones_like(denominator),
                                                         denominator))

    def f_score() -> tf.Tensor:
        if beta == math.inf:
            return divide(tp, true)  # recall
        if beta == 0:
            return divide(tp, pred)  # precision
        beta2 = float(beta) ** 2
        return divide((1 + beta2) * tp, beta2 * true + pred)

    build = {"p": lambda: divide(tp, pred), "r": lambda: divide(tp, true), "f": f_score}
    values = [build[q]() for q in quantities]
    if average is None:
        return tuple(values)
    if average == "binary":  # the positive class (label 1) alone
        return tuple(v[1] for v in values)
    weights = true if average == "weighted" else None
    return tuple(_nanaverage_tf(v, present, weights) for v in values)


def _nanaverage_tf(a: tf.Tensor, present: tf.Tensor, weights: Any) -> tf.Tensor:
    """``_reduce.nanaverage`` over the labels in ``present``: NaN values are skipped (from a
    NaN zero_division, or weighted counts that overflow to inf), an empty set gives NaN,
    weights summing to zero fall back to the plain mean (a negative sum does not: np.average)."""
    keep = tf.logical_and(present, tf.logical_not(tf.math.is_nan(a)))
    n = tf.reduce_sum(tf.cast(keep, tf.float64))
    values = tf.where(keep, a, tf.zeros_like(a))
    nan = tf.constant(math.nan, tf.float64)
    mean = tf.reduce_sum(values) / tf.where(n > 0, n, 1.0)
    if weights is not None:
        w = tf.where(keep, weights, tf.zeros_like(weights))
        wsum = tf.reduce_sum(w)
        nonzero = tf.not_equal(wsum, 0.0)
        wmean = tf.reduce_sum(values * w) / tf.where(nonzero, wsum, 1.0)
        mean = tf.where(nonzero, wmean, mean)
    return tf.where(n > 0, mean, nan)


def _mcc_tf(tp: tf.Tensor, true: tf.Tensor, pred: tf.Tensor) -> tf.Tensor:
    """``_reduce.matthews_corrcoef`` in pure TF (XLA-safe), line by line: classes with no
    rows add zeros, so all num_classes classes may take part."""
    n_correct = tf.reduce_sum(tp)
    n_samples = tf.reduce_sum(pred)
    n_true = tf.reduce_sum(true)
    cov_ytyp = n_correct * n_samples - tf.reduce_sum(true * pred)
    cov_ypyp = n_samples * n_samples - tf.reduce_sum(pred * pred)
    cov_ytyt = n_true * n_true - tf.reduce_sum(true * true)
    product = cov_ypyp * cov_ytyt
    zero = tf.equal(product, 0.0)
    return tf.where(zero, tf.zeros_like(product),
                    cov_ytyp / tf.sqrt(tf.where(zero, tf.ones_like(product), product)))


# ---- helpers -----------------------------------------------------------------------------


def _in_xla_context() -> bool:
    """Is update_state being traced into an XLA cluster (jit_compile=True)?"""
    if tf.executing_eagerly():
        return False
    try:
        from tensorflow.python.ops import control_flow_util

        return bool(control_flow_util.GraphOrParentsInXlaContext(tf.compat.v1.get_default_graph()))
    except Exception:  # private API moved: assume ordinary graph mode
        return False


def _keras_mask(x: Any) -> Any:
    mask = getattr(x, "_keras_mask", None)
    if mask is None:
        try:
            mask = keras.src.backend.get_keras_mask(x)
        except Exception:
            mask = None
    return mask


def _label_tensor(x: tf.Tensor) -> tf.Tensor:
    """int32 / int64 / float32 / float64 as is; other dtypes cast in TF (numba takes those)."""
    if x.dtype in (tf.int32, tf.int64, tf.float32, tf.float64):
        return x
    if x.dtype.is_floating:  # float16, bfloat16 (mixed precision)
        return tf.cast(x, tf.float32)
    return tf.cast(x, tf.int32)  # bool, int8, uint8, int16, ...


def _rows(x: tf.Tensor) -> Any:
    n = x.shape[0]
    return n if n is not None else tf.shape(x)[0]


def _per_row(v: Any, rows: Any, dtype: tf.DType) -> tf.Tensor:
    """A per-sample (batch,) or per-row (batch, time) vector repeated to one value per row."""
    v = tf.reshape(tf.cast(v, dtype), [-1])
    nv = v.shape[0]
    if nv is not None and isinstance(rows, int):
        if nv == rows:
            return v
        if nv and rows % nv == 0:
            return tf.reshape(tf.broadcast_to(v[:, None], [nv, rows // nv]), [-1])
        raise ValueError(f"cannot broadcast {nv} sample weights / mask values to {rows} rows")
    nv = tf.size(v)
    return tf.reshape(tf.broadcast_to(v[:, None], [nv, rows // nv]), [-1])


class _BatchCounter:
    """The NumPy side of ``tf.numpy_function``: one batch through a serial fastf1 kernel.

    A module-level class on purpose: a closure defined inside ``update_state`` would be
    converted by autograph, which then wraps every Python operation in it (much slower).
    """

    def __init__(self, task: str, kind: str, k: int, thr: Any, filter_ignore: Any,
                 ign: int, use_ign: bool, has_w: bool, has_keep: bool) -> None:
        self.task, self.kind, self.k, self.thr = task, kind, k, thr
        self.filter_ignore, self.ign, self.use_ign = filter_ignore, ign, use_ign
        self.has_w, self.has_keep = has_w, has_keep

    @tf.autograph.experimental.do_not_convert
    def __call__(self, t: np.ndarray, p: np.ndarray, *rest: np.ndarray) -> tuple:
        w = rest[0] if self.has_w else None
        if self.has_keep:
            keep = rest[-1]
            t, p = t[keep], p[keep]
            w = None if w is None else w[keep]
        # rows of non-zero weight, ignore_index rows too (as the functions check weights)
        nonzero = None if w is None else np.int64(np.count_nonzero(w))
        if t.shape[0] != p.shape[0]:
            raise ValueError(f"y_true has {t.shape[0]} rows but y_pred has {p.shape[0]}")
        if self.filter_ignore is not None:
            sel = t != self.filter_ignore
            t, p = t[sel], p[sel]
            w = None if w is None else w[sel]
        t, p, w = (_validation.read_only(a) for a in (t, p, w))
        if self.task == "multilabel":
            counts, wcounts, wsum, diagnostics = cpu.count_multilabel(t, p, w, None, self.thr, 0, 1)
        elif self.task == "binary":
            counts, wcounts, wsum, diagnostics = cpu.count_binary(
                t, p, w, self.thr, 0, self.ign, self.use_ign)
        else:
            counts, wcounts, wsum, diagnostics = cpu.count_classes(
                t, p, w, 0, self.k, self.ign, self.use_ign)
        if diagnostics[cpu.BADVAL_TRUE] or diagnostics[cpu.BADVAL_PRED] or diagnostics[cpu.OUT] \
                or diagnostics[cpu.BAD_WEIGHT]:
            _dispatch.check_diagnostics(diagnostics, self.kind, n_classes=self.k)
        if w is None:
            total = t.shape[0] if self.task == "multilabel" else counts[1].sum()
            return counts, np.int64(total)
        return wcounts, np.float64(wsum), counts[1:3], nonzero


# ---- the metrics -------------------------------------------------------------------------


class _CountingMetric(keras.metrics.Metric):
    """Per-class tp / true / pred counts of every row seen; subclasses derive the score."""

    # declared here: Keras' Metric tracks attributes through __setattr__, which hides
    # their types from a type checker
    task: str
    num_classes: int
    threshold: Any
    ignore_index: int | None
    _thr: Any
    _counts: Any
    _total: Any
    _wcounts: Any
    _wtotal: Any
    _wseen: Any
    _wnonzero: Any
    _invalid: Any

    def __init__(self, task: str = "multiclass", num_classes: int | None = None, *,
                 threshold: Any = None, ignore_index: int | None = None,
                 name: str | None = None, dtype: Any = "float64") -> None:
        super().__init__(name=name, dtype=dtype)
        if task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, got {task!r}")
        if task == "binary":
            if num_classes not in (None, 2):
                raise ValueError(f"task='binary' counts classes 0 and 1; got num_classes={num_classes!r}")
            num_classes = 2
        if not isinstance(num_classes, numbers.Integral) or isinstance(num_classes, bool) \
                or num_classes < (2 if task == "multiclass" else 1):
            raise ValueError(f"num_classes must be an integer >= 2 (>= 1 for multilabel), got {num_classes!r}")
        num_classes = int(num_classes)
        if task == "multiclass" and threshold is not None:
            raise ValueError("threshold= is for task='binary' or 'multilabel'; multiclass "
                             "scores are turned into labels by argmax")
        if task != "multiclass" and threshold is None:
            threshold = 0.5
        if task == "multilabel":
            thr = np.asarray(threshold, np.float64)
            if thr.ndim > 1 or thr.ndim == 1 and thr.shape[0] != num_classes:
                raise ValueError(f"threshold must be a float or {num_classes} floats")
            self._thr = np.ascontiguousarray(np.broadcast_to(thr, (num_classes,)))
            threshold = float(thr) if thr.ndim == 0 else [float(x) for x in thr]
        elif threshold is not None:
            threshold = float(threshold)
            self._thr = threshold
        else:
            self._thr = None
        if ignore_index is not None:
            if task == "multilabel":
                raise ValueError("ignore_index is for single-label tasks; for multilabel rows "
                                 "use a mask or sample_weight of 0")
            if not isinstance(ignore_index, numbers.Integral) or isinstance(ignore_index, bool):
                raise ValueError(f"ignore_index must be an integer, got {ignore_index!r}")
            ignore_index = int(ignore_index)
        self.task = task
        self.num_classes = num_classes
        self.threshold = threshold
        self.ignore_index = ignore_index
        #: "numpy" or "xla": the counting path of the last update_state traced or run
        self.counting_path: str | None = None
        k = num_classes
        zeros = keras.initializers.Zeros()
        self._counts = self.add_variable((3, k), zeros, dtype="int64", name="counts")
        self._total = self.add_variable((), zeros, dtype="int64", name="total")
        self._wcounts = self.add_variable((3, k), zeros, dtype="float64", name="weighted_counts")
        self._wtotal = self.add_variable((), zeros, dtype="float64", name="weighted_total")
        # rows of each label in y_true (row 0) and y_pred (row 1) among weighted rows: weights
        # can hide a label that scikit-learn counts as present (it reads rows, not weights)
        self._wseen = self.add_variable((2, k), zeros, dtype="int64", name="weighted_seen")
        # weighted rows of non-zero weight: none (all weights zero) is scikit-learn's error
        self._wnonzero = self.add_variable((), zeros, dtype="int64", name="weighted_nonzero")
        # rows the XLA path could not count (it cannot raise): result() is NaN when > 0
        self._invalid = self.add_variable((), zeros, dtype="int64", name="invalid")

    # ---- counting ------------------------------------------------------------------

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Count one batch into the state (see the module docstring for the two paths)."""
        y_true = tf.convert_to_tensor(y_true)
        y_pred = tf.convert_to_tensor(y_pred)
        mask = _keras_mask(y_pred)
        t, p = self._format(_label_tensor(y_true), _label_tensor(y_pred))
        rows = _rows(t)
        w = None if sample_weight is None else _per_row(sample_weight, rows, tf.float64)
        keep = None if mask is None else _per_row(mask, rows, tf.bool)
        if _in_xla_context():
            self.counting_path = "xla"
            out = self._count_tf(t, p, w, keep)
        else:
            self.counting_path = "numpy"
            out = self._count_numpy(t, p, w, keep)
        if w is None:
            counts, total = out[:2]
            self._counts.assign_add(counts)
            self._total.assign_add(total)
        else:
            counts, total, seen, nonzero = out[:4]
            self._wcounts.assign_add(counts)
            self._wtotal.assign_add(total)
            self._wseen.assign_add(seen)
            self._wnonzero.assign_add(nonzero)
        if len(out) == (3 if w is None else 5):
            self._invalid.assign_add(out[-1])

    def _format(self, y_true: tf.Tensor, y_pred: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """Rows: t (n,) labels or (n, L) indicators; p (n,) labels / scores or (n, K) scores."""
        k = self.num_classes
        if self.task == "multilabel":
            return tf.reshape(y_true, [-1, k]), tf.reshape(y_pred, [-1, k])
        if self.task == "binary":
            return tf.reshape(y_true, [-1]), tf.reshape(y_pred, [-1])
        scores = y_pred.dtype.is_floating
        p = tf.reshape(y_pred, [-1, k] if scores else [-1])
        onehot = self._is_onehot(y_true, y_pred, scores)
        if onehot is None:  # shapes unknown when traced: decide on the sizes at run time
            n_pred = tf.size(y_pred) // k if scores else tf.size(y_pred)
            t = tf.cond(
                tf.equal(tf.size(y_true), n_pred * k),
                lambda: tf.cast(tf.argmax(tf.reshape(y_true, [-1, k]), axis=1), y_true.dtype),
                lambda: tf.reshape(y_true, [-1]))
        elif onehot:
            t = tf.argmax(tf.reshape(y_true, [-1, k]), axis=1, output_type=tf.int32)
        else:
            t = tf.reshape(y_true, [-1])
        return t, p

    def _is_onehot(self, y_true: tf.Tensor, y_pred: tf.Tensor, scores: bool) -> bool | None:
        """Is a multiclass y_true one-hot (n, K)? None when the static shapes cannot tell."""
        st, sp = y_true.shape, y_pred.shape
        if st.rank is None or sp.rank is None:
            return None
        label_rank = sp.rank - 1 if scores else sp.rank  # rank of sparse labels
        if st.rank <= label_rank or st.rank == label_rank + 1 and st[-1] == 1:
            return False
        if st.rank == label_rank + 1 and st[-1] is not None:
            return st[-1] == self.num_classes
        return None

    def _count_numpy(self, t: tf.Tensor, p: tf.Tensor, w: Any, keep: Any) -> tuple:
        k = self.num_classes
        scores = p.dtype.is_floating
        ignore = self.ignore_index
        # ignore_index inside the counted range: those rows are filtered out first
        filter_ignore = ignore is not None and 0 <= ignore < k
        ign, use_ign = (0, False) if ignore is None or filter_ignore else (ignore, True)
        if self.task == "multilabel":
            kind = "multilabel"
        elif self.task == "binary":
            kind = "scores" if scores else "labels"
        else:
            kind = "argmax" if scores else "labels"
        count = _BatchCounter(self.task, kind, k, self._thr if scores else None,
                              ignore if filter_ignore else None, ign, use_ign,
                              w is not None, keep is not None)
        args = [t, p] + ([w] if w is not None else []) + ([keep] if keep is not None else [])
        if w is not None:
            out = tf.numpy_function(count, args, [tf.float64, tf.float64, tf.int64, tf.int64],
                                    stateful=False)
            shapes = [(3, k), (), (2, k), ()]
        else:
            out = tf.numpy_function(count, args, [tf.int64, tf.int64], stateful=False)
            shapes = [(3, k), ()]
        for x, shape in zip(out, shapes):
            x.set_shape(shape)
        return tuple(out)

    def _count_tf(self, t: tf.Tensor, p: tf.Tensor, w: Any, keep: Any) -> tuple:
        """The same counts as the kernels, with TF ops only (for XLA)."""
        k, thr = self.num_classes, self._thr
        if self.task == "multilabel":
            return self._count_tf_multilabel(t, p, w, keep)
        a, ok_a = _as_index(t)
        ignored = tf.zeros_like(ok_a) if self.ignore_index is None else tf.equal(
            t, tf.cast(self.ignore_index, t.dtype))
        if p.dtype.is_floating and self.task == "multiclass":
            b = tf.argmax(p, axis=1, output_type=tf.int64)
            ok_b = tf.reduce_all(tf.math.is_finite(p), axis=1)
        elif p.dtype.is_floating:
            pf = tf.cast(p, tf.float64)
            b = tf.cast(pf >= thr, tf.int64)
            ok_b = tf.math.is_finite(pf)
        else:
            b, ok_b = _as_index(p)
        ok_a = ok_a & (a >= 0) & (a < k)
        ok_b = ok_b & (b >= 0) & (b < k)
        rows = tf.logical_not(ignored)
        if keep is not None:
            rows = rows & keep
        counted = rows & ok_a & ok_b
        invalid = tf.reduce_sum(tf.cast(rows & tf.logical_not(ok_a & ok_b), tf.int64))
        a = tf.where(counted, a, 0)
        b = tf.where(counted, b, 0)
        # one scatter-add: segment a (tp, junk slot 3k when wrong), k + a (true), 2k + b (pred)
        ids = tf.concat([tf.where(tf.equal(a, b), a, 3 * k), k + a, 2 * k + b], axis=0)
        ones = tf.cast(counted, tf.int64)
        counts = tf.math.unsorted_segment_sum(tf.concat([ones] * 3, 0), ids, 3 * k + 1)
        counts = tf.reshape(counts[: 3 * k], [3, k])
        if w is None:
            return counts, tf.reduce_sum(ones), invalid
        wc = tf.where(counted, w, tf.zeros_like(w))
        wcounts = tf.math.unsorted_segment_sum(tf.concat([wc] * 3, 0), ids, 3 * k + 1)
        wcounts = tf.reshape(wcounts[: 3 * k], [3, k])
        # as the NumPy path: every kept row's weight, ignore_index rows too
        kept = tf.ones_like(counted) if keep is None else keep
        nonzero = tf.math.count_nonzero(tf.where(kept, w, tf.zeros_like(w)), dtype=tf.int64)
        return wcounts, tf.reduce_sum(wc), counts[1:3], nonzero, invalid

    def _count_tf_multilabel(self, t: tf.Tensor, p: tf.Tensor, w: Any, keep: Any) -> tuple:
        a, ok_a = _as_index(t)
        ok_a = ok_a & (a >= 0) & (a < 2)
        if p.dtype.is_floating:
            pf = tf.cast(p, tf.float64)
            b = tf.cast(pf >= tf.constant(self._thr, tf.float64), tf.int64)
            ok_b = tf.math.is_finite(pf)
        else:
            b, ok_b = _as_index(p)
            ok_b = ok_b & (b >= 0) & (b < 2)
        rows = tf.ones_like(ok_a[:, 0]) if keep is None else keep
        bad = tf.logical_not(ok_a) | tf.logical_not(ok_b)
        invalid = tf.reduce_sum(tf.cast(bad & rows[:, None], tf.int64))
        good = tf.logical_not(bad) & rows[:, None]
        a = tf.where(good, a, 0)
        b = tf.where(good, b, 0)
        stacked = tf.stack([a * b, a, b])  # (3, n, L)
        counts = tf.reduce_sum(stacked, axis=1)
        if w is None:
            return counts, tf.reduce_sum(tf.cast(rows, tf.int64)), invalid
        wr = tf.where(rows, w, tf.zeros_like(w))
        wcounts = tf.reduce_sum(tf.cast(stacked, tf.float64) * wr[None, :, None], axis=1)
        nonzero = tf.math.count_nonzero(wr, dtype=tf.int64)
        return wcounts, tf.reduce_sum(wr), counts[1:3], nonzero, invalid

    # ---- the counts ------------------------------------------------------------------

    def _state(self, with_total: bool = True) -> tuple:
        """float64 (tp, true, pred, total, present) from the state: unweighted rows count 1
        (total is None unless ``with_total``). Each variable is read once."""
        counts = tf.convert_to_tensor(self._counts)
        c = tf.cast(counts, tf.float64) + tf.convert_to_tensor(self._wcounts)
        total = None
        if with_total:
            total = tf.cast(tf.convert_to_tensor(self._total), tf.float64) + \
                tf.convert_to_tensor(self._wtotal)
        if self.task == "multilabel":  # scikit-learn averages over every column
            present = tf.ones([self.num_classes], tf.bool)
        else:  # labels in y_true or y_pred, weighted or not (scikit-learn's unique_labels)
            seen = tf.reduce_sum(tf.convert_to_tensor(self._wseen), axis=0)
            present = (counts[cpu.TRUE] + counts[cpu.PRED] + seen) > 0
        return c[cpu.TP], c[cpu.TRUE], c[cpu.PRED], total, present

    def _nan_if_invalid(self, x: tf.Tensor) -> tf.Tensor:
        bad = tf.convert_to_tensor(self._invalid) > 0
        return tf.where(bad, tf.constant(math.nan, x.dtype), x)

    def stat_scores(self) -> Any:
        """Return the counts so far as a :class:`fastf1.StatScores` (eager only).

        For single-label tasks it holds the classes present in y_true or y_pred, exactly
        what ``fastf1.stat_scores`` on all the rows would hold, so its ``f1_score(...)``,
        ``classification_report()`` etc. equal scikit-learn's on the whole data set.
        Counts are int64 unless weighted rows were seen (then float64, unweighted rows
        counting with weight 1).
        """
        if int(self._invalid.numpy()):
            raise ValueError(f"{int(self._invalid.numpy())} invalid row(s) were seen by the XLA "
                             "counting path (NaN scores or labels out of range)")
        total: int | float
        counts, total = self._counts.numpy(), int(self._total.numpy())
        seen = self._wseen.numpy()
        # rows of each label in y_true, of any weight (scikit-learn's presence tests)
        true_rows = counts[cpu.TRUE] + seen[0]
        present_int = true_rows + counts[cpu.PRED] + seen[1]
        weighted = bool(self._wtotal.numpy() != 0 or self._wcounts.numpy().any()
                        or seen.any())
        # unweighted rows weigh 1: only a stream of weighted rows, all of weight 0, is refused
        some_weight = bool(total or self._wnonzero.numpy()) if weighted else True
        if weighted:
            counts = counts + self._wcounts.numpy()
            total = total + float(self._wtotal.numpy())
        multilabel = self.task == "multilabel"
        labels = np.arange(self.num_classes)
        true_seen = None
        if not multilabel:
            labels = np.flatnonzero(present_int)
            counts = counts[:, labels]
            true_seen = true_rows[labels] > 0 if weighted else None
        c = _dispatch.Counts(labels, counts[cpu.TP], counts[cpu.TRUE], counts[cpu.PRED], total,
                             multilabel, true_seen=true_seen, some_weight=some_weight)
        return CoreStatScores._from_counts(c, weighted)

    # ---- config ----------------------------------------------------------------------

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(task=self.task, num_classes=self.num_classes, threshold=self.threshold,
                      ignore_index=self.ignore_index)
        return config


def _as_index(x: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """(int64 label, ok): ok is False for NaN, inf and fractional float labels."""
    if x.dtype.is_floating:
        xf = tf.cast(x, tf.float64)
        ok = tf.math.is_finite(xf) & tf.equal(xf, tf.floor(xf)) & (tf.abs(xf) < 4.0e18)
        return tf.cast(tf.where(ok, xf, tf.zeros_like(xf)), tf.int64), ok
    return tf.cast(x, tf.int64), tf.ones_like(x, dtype=tf.bool)


@keras.saving.register_keras_serializable(package="fastf1")
class ClassCounts(_CountingMetric):
    """Per-class counts of every row seen, as a Keras 3 metric.

    ``result()`` is a float64 (5, num_classes) tensor whose rows are tp, fp, fn, tn and
    support, for all classes, present or not. ``stat_scores()`` gives the same counts as a
    :class:`fastf1.StatScores` (int64 when unweighted), from which any score or a whole
    classification report is derived exactly as scikit-learn would on all the rows.

    Parameters
    ----------
    task : {"multiclass", "binary", "multilabel"}, default "multiclass"
        What y_true and y_pred hold, as for :class:`F1Score`.
    num_classes : int, optional
        K (classes) or L (labels); not needed for binary.
    threshold : float or list of float, optional
        Binary / multilabel score threshold: a score is a positive prediction when
        ``score >= threshold`` (default 0.5; one per label allowed for multilabel).
    ignore_index : int, optional
        Rows whose true label equals this value are not counted (padding, e.g. -100);
        single-label tasks only. The Keras mask of y_pred is honoured too.
    name : str, default "stat_scores"
        The metric's name, the key of its value in the logs.
    dtype : str, default "float64"
        The dtype ``result()`` returns.

    Raises
    ------
    ValueError
        An unknown task, num_classes missing or below 2 (1 for multilabel), threshold=
        with task="multiclass", ignore_index= with task="multilabel".

    Examples
    --------
    >>> import numpy as np
    >>> import fastf1.keras
    >>> counts = fastf1.keras.ClassCounts(num_classes=3)
    >>> counts.update_state(np.array([0, 1, 2, 2]), np.eye(3)[[0, 2, 2, 2]])
    >>> counts.result().numpy()[0]          # tp per class
    array([1., 0., 2.])
    >>> counts.stat_scores().tp
    array([1, 0, 2])
    """

    def __init__(self, task: str = "multiclass", num_classes: int | None = None, *,
                 threshold: Any = None, ignore_index: int | None = None,
                 name: str = "stat_scores", dtype: Any = "float64") -> None:
        super().__init__(task, num_classes, threshold=threshold, ignore_index=ignore_index,
                         name=name, dtype=dtype)

    def result(self) -> tf.Tensor:
        """Return the (5, num_classes) counts: rows tp, fp, fn, tn, support."""
        tp, true, pred, total, _ = self._state()
        fp, fn = pred - tp, true - tp
        out = tf.stack([tp, fp, fn, total - tp - fp - fn, true])
        return tf.cast(self._nan_if_invalid(out), self.dtype)


@keras.saving.register_keras_serializable(package="fastf1", name="StatScores")
class StatScores(ClassCounts):
    """Deprecated alias of :class:`ClassCounts`, the Keras metric of per-class counts.

    :class:`fastf1.StatScores` is the counts object that ``stat_scores()`` returns; this name
    warns (``DeprecationWarning``) and otherwise is ``ClassCounts``. Models saved with it
    still load.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn("fastf1.keras.StatScores is deprecated: use fastf1.keras.ClassCounts "
                      "(fastf1.StatScores is the counts object, not a Keras metric)",
                      DeprecationWarning, stacklevel=2)
        super().__init__(*args, **kwargs)


class _ScoreMetric(_CountingMetric):
    _quantity = "f"  # which of (precision, recall, f) result() returns

    def __init__(self, task: str = "multiclass", num_classes: int | None = None, *,
                 average: Any = "auto", threshold: Any = None, labels: Any = "present",
                 zero_division: Any = 0.0, beta: float = 1.0, ignore_index: int | None = None,
                 name: str | None = None, dtype: Any = "float64") -> None:
        super().__init__(task, num_classes, threshold=threshold, ignore_index=ignore_index,
                         name=name, dtype=dtype)
        if average == "auto":
            average = "binary" if task == "binary" else "macro"
        if average not in _AVERAGES:
            raise ValueError(f"average must be 'auto', 'micro', 'macro', 'weighted', 'binary' "
                             f"or None, got {average!r} ('samples' needs per-row counts)")
        if average == "binary" and (task == "multilabel" or self.num_classes != 2):
            raise ValueError("average='binary' needs two classes (task='binary', or "
                             "task='multiclass' with num_classes=2)")
        self.zero_division = _validation.check_zero_division(zero_division)
        _validation.check_beta(beta)
        if isinstance(labels, str):
            if labels not in ("present", "all"):
                raise ValueError(f"labels must be 'present', 'all', None or a list of class "
                                 f"indices, got {labels!r}")
            self._label_idx = None
        elif labels is None:
            self._label_idx = None
        else:
            idx = [int(x) for x in np.asarray(labels).ravel()]
            if any(not 0 <= x < self.num_classes for x in idx):
                raise ValueError(f"labels must be class indices in [0, {self.num_classes}), "
                                 f"got {idx}")
            if average == "binary":
                raise ValueError("average='binary' scores class 1 alone; labels= is not used")
            labels = self._label_idx = idx
        self.average = average
        self.labels = labels
        self.beta = float(beta)

    def result(self) -> tf.Tensor:
        tp, true, pred, _, present = self._state(with_total=False)
        if self._label_idx is not None:  # the labels asked for, in that order
            idx = tf.constant(self._label_idx, tf.int32)
            tp, true, pred = (tf.gather(x, idx) for x in (tp, true, pred))
            present = tf.ones([len(self._label_idx)], tf.bool)
        elif self.labels in (None, "all"):
            present = tf.ones_like(present)
        (value,) = _scores_tf(tp, true, pred, present, beta=self.beta, average=self.average,
                              zero_division=self.zero_division, quantities=self._quantity)
        return tf.cast(self._nan_if_invalid(value), self.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(average=self.average, labels=self.labels,
                      zero_division=self.zero_division)
        return config


@keras.saving.register_keras_serializable(package="fastf1")
class FBetaScore(_ScoreMetric):
    """F-beta score over all rows seen, as ``sklearn.metrics.fbeta_score``.

    A Keras 3 metric that keeps int64 per-class counts of every row it sees and derives
    the F-beta score from them in ``result()``: the value ``evaluate()`` reports is
    scikit-learn's score on the whole data set, not an average of per-batch scores.

    Parameters
    ----------
    task : {"multiclass", "binary", "multilabel"}, default "multiclass"
        multiclass: y_true holds labels (shape (n,) or (n, 1), int or float) or one-hot
        rows (n, K); y_pred holds probabilities or logits (n, K) (the argmax is the
        prediction) or integer labels. binary: y_true 0/1, y_pred one score per row
        (positive when ``score >= threshold``) or 0/1 labels. multilabel: (n, L) indicators
        and (n, L) scores or indicators. Sequence outputs, y_true (batch, time[, ...]) with
        y_pred (batch, time, K), are counted row by row.
    num_classes : int, optional
        K (classes) or L (labels); not needed for binary.
    beta : float, default 1.0
        The weight of recall in the harmonic mean (beta > 1 favours recall).
    average : {"auto", "micro", "macro", "weighted", "binary", None}, default "auto"
        "auto" is "binary" (the score of class 1, scikit-learn's default) for task="binary"
        and "macro" otherwise. None gives one value per class (of ``labels`` when given,
        else of all num_classes classes).
    threshold : float or list of float, optional
        Binary / multilabel score threshold: a score is a positive prediction when
        ``score >= threshold`` (default 0.5; one per label allowed for multilabel). For
        logits pass 0.0.
    labels : "present", "all", None or list of int, default "present"
        The classes an average runs over. "present": the classes that occur in y_true or
        y_pred over all rows seen, as ``sklearn.metrics.f1_score(y, p)`` does; "all" or
        None: all num_classes classes, as ``f1_score(y, p, labels=range(K))``; a list: those
        classes, in that order, as ``labels=[...]``. Multilabel always averages over all
        labels, as scikit-learn does.
    zero_division : "warn", 0.0, 1.0 or nan, default 0.0
        The value of a ratio with a zero denominator ("warn" acts as 0 without a warning);
        with nan, macro / weighted averages skip it.
    ignore_index : int, optional
        Rows whose true label equals this value are not counted (padding, e.g. -100);
        single-label tasks only. The Keras mask of y_pred is honoured too: masked rows are
        not counted.
    name : str, default "fbeta_score"
        The metric's name, the key of its value in the logs.
    dtype : str, default "float64"
        The dtype ``result()`` returns; the score is computed in float64.

    Raises
    ------
    ValueError
        An unknown task or average, num_classes missing or below 2 (1 for multilabel),
        threshold= with task="multiclass", ignore_index= with task="multilabel", labels
        outside ``[0, num_classes)``.

    See Also
    --------
    ClassCounts : The counts themselves, for a whole classification report.
    fastf1.fbeta_score : The same score of arrays in memory.

    Notes
    -----
    Counts are int64 (float64 for rows with a sample_weight, which reaches a metric only
    through ``compile(weighted_metrics=[...])``), so they are exact past 2**24 rows.
    ``counting_path`` says which path counted: "numpy" (``tf.numpy_function`` into
    fastf1's Numba kernels) or "xla" (pure TensorFlow ops, under ``jit_compile=True``, where
    invalid rows make the result NaN instead of raising).

    Examples
    --------
    >>> import numpy as np
    >>> import fastf1.keras
    >>> metric = fastf1.keras.FBetaScore(num_classes=3, beta=2.0)
    >>> metric.update_state(np.array([0, 1, 2, 2]), np.eye(3)[[0, 2, 2, 2]])
    >>> round(float(metric.result()), 4)
    0.6364

    In a model, as any Keras metric:

    >>> import keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, "softmax")])
    >>> model.compile("adam", "sparse_categorical_crossentropy",
    ...               metrics=[fastf1.keras.FBetaScore(num_classes=3)])
    """

    def __init__(self, task: str = "multiclass", num_classes: int | None = None, *,
                 average: Any = "auto", threshold: Any = None, labels: Any = "present",
                 zero_division: Any = 0.0, beta: float = 1.0, ignore_index: int | None = None,
                 name: str = "fbeta_score", dtype: Any = "float64") -> None:
        super().__init__(task, num_classes, average=average, threshold=threshold,
                         labels=labels, zero_division=zero_division, beta=beta,
                         ignore_index=ignore_index, name=name, dtype=dtype)

    def get_config(self) -> dict:
        """Return the constructor's arguments, to save and load the metric."""
        config = super().get_config()
        config["beta"] = self.beta
        return config


@keras.saving.register_keras_serializable(package="fastf1")
class F1Score(_ScoreMetric):
    """F1 score over all rows seen, as ``sklearn.metrics.f1_score``.

    A Keras 3 metric that keeps int64 per-class counts of every row it sees and derives
    the F1 score from them in ``result()``: the value ``evaluate()`` reports is
    scikit-learn's score on the whole data set, not an average of per-batch scores.

    Parameters
    ----------
    task : {"multiclass", "binary", "multilabel"}, default "multiclass"
        multiclass: y_true holds labels (shape (n,) or (n, 1), int or float) or one-hot
        rows (n, K); y_pred holds probabilities or logits (n, K) (the argmax is the
        prediction) or integer labels. binary: y_true 0/1, y_pred one score per row
        (positive when ``score >= threshold``) or 0/1 labels. multilabel: (n, L) indicators
        and (n, L) scores or indicators. Sequence outputs, y_true (batch, time[, ...]) with
        y_pred (batch, time, K), are counted row by row.
    num_classes : int, optional
        K (classes) or L (labels); not needed for binary.
    average : {"auto", "micro", "macro", "weighted", "binary", None}, default "auto"
        "auto" is "binary" (the score of class 1, scikit-learn's default) for task="binary"
        and "macro" otherwise. None gives one value per class (of ``labels`` when given,
        else of all num_classes classes).
    threshold : float or list of float, optional
        Binary / multilabel score threshold: a score is a positive prediction when
        ``score >= threshold`` (default 0.5; one per label allowed for multilabel). For
        logits pass 0.0.
    labels : "present", "all", None or list of int, default "present"
        The classes an average runs over. "present": the classes that occur in y_true or
        y_pred over all rows seen, as ``sklearn.metrics.f1_score(y, p)`` does; "all" or
        None: all num_classes classes, as ``f1_score(y, p, labels=range(K))``; a list: those
        classes, in that order, as ``labels=[...]``. Multilabel always averages over all
        labels, as scikit-learn does.
    zero_division : "warn", 0.0, 1.0 or nan, default 0.0
        The value of a ratio with a zero denominator ("warn" acts as 0 without a warning);
        with nan, macro / weighted averages skip it.
    ignore_index : int, optional
        Rows whose true label equals this value are not counted (padding, e.g. -100);
        single-label tasks only. The Keras mask of y_pred is honoured too: masked rows are
        not counted.
    name : str, default "f1_score"
        The metric's name, the key of its value in the logs.
    dtype : str, default "float64"
        The dtype ``result()`` returns; the score is computed in float64.

    Raises
    ------
    ValueError
        An unknown task or average, num_classes missing or below 2 (1 for multilabel),
        threshold= with task="multiclass", ignore_index= with task="multilabel", labels
        outside ``[0, num_classes)``.

    See Also
    --------
    ClassCounts : The counts themselves, for a whole classification report.
    fastf1.f1_score : The same score of arrays in memory.

    Notes
    -----
    Counts are int64 (float64 for rows with a sample_weight, which reaches a metric only
    through ``compile(weighted_metrics=[...])``), so they are exact past 2**24 rows.
    ``counting_path`` says which path counted: "numpy" (``tf.numpy_function`` into
    fastf1's Numba kernels) or "xla" (pure TensorFlow ops, under ``jit_compile=True``, where
    invalid rows make the result NaN instead of raising).

    Examples
    --------
    >>> import numpy as np
    >>> import fastf1.keras
    >>> metric = fastf1.keras.F1Score(num_classes=3)
    >>> metric.update_state(np.array([0, 1, 2, 2]), np.eye(3)[[0, 2, 2, 2]])
    >>> round(float(metric.result()), 4)
    0.6

    In a model, as any Keras metric:

    >>> import keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, "softmax")])
    >>> model.compile("adam", "sparse_categorical_crossentropy",
    ...               metrics=[fastf1.keras.F1Score(num_classes=3)])
    """

    def __init__(self, task: str = "multiclass", num_classes: int | None = None, *,
                 average: Any = "auto", threshold: Any = None, labels: Any = "present",
                 zero_division: Any = 0.0, ignore_index: int | None = None,
                 name: str = "f1_score", dtype: Any = "float64") -> None:
        super().__init__(task, num_classes, average=average, threshold=threshold,
                         labels=labels, zero_division=zero_division, beta=1.0,
                         ignore_index=ignore_index, name=name, dtype=dtype)


@keras.saving.register_keras_serializable(package="fastf1")
class Precision(_ScoreMetric):
    """Precision over all rows seen, as ``sklearn.metrics.precision_score``.

    A Keras 3 metric that keeps int64 per-class counts of every row it sees and derives
    the precision from them in ``result()``: the value ``evaluate()`` reports is
    scikit-learn's score on the whole data set, not an average of per-batch scores.

    Parameters
    ----------
    task : {"multiclass", "binary", "multilabel"}, default "multiclass"
        multiclass: y_true holds labels (shape (n,) or (n, 1), int or float) or one-hot
        rows (n, K); y_pred holds probabilities or logits (n, K) (the argmax is the
        prediction) or integer labels. binary: y_true 0/1, y_pred one score per row
        (positive when ``score >= threshold``) or 0/1 labels. multilabel: (n, L) indicators
        and (n, L) scores or indicators. Sequence outputs, y_true (batch, time[, ...]) with
        y_pred (batch, time, K), are counted row by row.
    num_classes : int, optional
        K (classes) or L (labels); not needed for binary.
    average : {"auto", "micro", "macro", "weighted", "binary", None}, default "auto"
        "auto" is "binary" (the score of class 1, scikit-learn's default) for task="binary"
        and "macro" otherwise. None gives one value per class (of ``labels`` when given,
        else of all num_classes classes).
    threshold : float or list of float, optional
        Binary / multilabel score threshold: a score is a positive prediction when
        ``score >= threshold`` (default 0.5; one per label allowed for multilabel). For
        logits pass 0.0.
    labels : "present", "all", None or list of int, default "present"
        The classes an average runs over. "present": the classes that occur in y_true or
        y_pred over all rows seen, as ``sklearn.metrics.f1_score(y, p)`` does; "all" or
        None: all num_classes classes, as ``f1_score(y, p, labels=range(K))``; a list: those
        classes, in that order, as ``labels=[...]``. Multilabel always averages over all
        labels, as scikit-learn does.
    zero_division : "warn", 0.0, 1.0 or nan, default 0.0
        The value of a ratio with a zero denominator ("warn" acts as 0 without a warning);
        with nan, macro / weighted averages skip it.
    ignore_index : int, optional
        Rows whose true label equals this value are not counted (padding, e.g. -100);
        single-label tasks only. The Keras mask of y_pred is honoured too: masked rows are
        not counted.
    name : str, default "precision"
        The metric's name, the key of its value in the logs.
    dtype : str, default "float64"
        The dtype ``result()`` returns; the score is computed in float64.

    Raises
    ------
    ValueError
        An unknown task or average, num_classes missing or below 2 (1 for multilabel),
        threshold= with task="multiclass", ignore_index= with task="multilabel", labels
        outside ``[0, num_classes)``.

    See Also
    --------
    ClassCounts : The counts themselves, for a whole classification report.
    fastf1.precision_score : The same score of arrays in memory.

    Notes
    -----
    Counts are int64 (float64 for rows with a sample_weight, which reaches a metric only
    through ``compile(weighted_metrics=[...])``), so they are exact past 2**24 rows.
    ``counting_path`` says which path counted: "numpy" (``tf.numpy_function`` into
    fastf1's Numba kernels) or "xla" (pure TensorFlow ops, under ``jit_compile=True``, where
    invalid rows make the result NaN instead of raising).

    Examples
    --------
    >>> import numpy as np
    >>> import fastf1.keras
    >>> metric = fastf1.keras.Precision(num_classes=3)
    >>> metric.update_state(np.array([0, 1, 2, 2]), np.eye(3)[[0, 2, 2, 2]])
    >>> round(float(metric.result()), 4)
    0.5556

    In a model, as any Keras metric:

    >>> import keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, "softmax")])
    >>> model.compile("adam", "sparse_categorical_crossentropy",
    ...               metrics=[fastf1.keras.Precision(num_classes=3)])
    """

    _quantity = "p"

    def __init__(self, task: str = "multiclass", num_classes: int | None = None, *,
                 average: Any = "auto", threshold: Any = None, labels: Any = "present",
                 zero_division: Any = 0.0, ignore_index: int | None = None,
                 name: str = "precision", dtype: Any = "float64") -> None:
        super().__init__(task, num_classes, average=average, threshold=threshold,
                         labels=labels, zero_division=zero_division, ignore_index=ignore_index,
                         name=name, dtype=dtype)


@keras.saving.register_keras_serializable(package="fastf1")
class Recall(_ScoreMetric):
    """Recall over all rows seen, as ``sklearn.metrics.recall_score``.

    A Keras 3 metric that keeps int64 per-class counts of every row it sees and derives
    the recall from them in ``result()``: the value ``evaluate()`` reports is
    scikit-learn's score on the whole data set, not an average of per-batch scores.

    Parameters
    ----------
    task : {"multiclass", "binary", "multilabel"}, default "multiclass"
        multiclass: y_true holds labels (shape (n,) or (n, 1), int or float) or one-hot
        rows (n, K); y_pred holds probabilities or logits (n, K) (the argmax is the
        prediction) or integer labels. binary: y_true 0/1, y_pred one score per row
        (positive when ``score >= threshold``) or 0/1 labels. multilabel: (n, L) indicators
        and (n, L) scores or indicators. Sequence outputs, y_true (batch, time[, ...]) with
        y_pred (batch, time, K), are counted row by row.
    num_classes : int, optional
        K (classes) or L (labels); not needed for binary.
    average : {"auto", "micro", "macro", "weighted", "binary", None}, default "auto"
        "auto" is "binary" (the score of class 1, scikit-learn's default) for task="binary"
        and "macro" otherwise. None gives one value per class (of ``labels`` when given,
        else of all num_classes classes).
    threshold : float or list of float, optional
        Binary / multilabel score threshold: a score is a positive prediction when
        ``score >= threshold`` (default 0.5; one per label allowed for multilabel). For
        logits pass 0.0.
    labels : "present", "all", None or list of int, default "present"
        The classes an average runs over. "present": the classes that occur in y_true or
        y_pred over all rows seen, as ``sklearn.metrics.f1_score(y, p)`` does; "all" or
        None: all num_classes classes, as ``f1_score(y, p, labels=range(K))``; a list: those
        classes, in that order, as ``labels=[...]``. Multilabel always averages over all
        labels, as scikit-learn does.
    zero_division : "warn", 0.0, 1.0 or nan, default 0.0
        The value of a ratio with a zero denominator ("warn" acts as 0 without a warning);
        with nan, macro / weighted averages skip it.
    ignore_index : int, optional
        Rows whose true label equals this value are not counted (padding, e.g. -100);
        single-label tasks only. The Keras mask of y_pred is honoured too: masked rows are
        not counted.
    name : str, default "recall"
        The metric's name, the key of its value in the logs.
    dtype : str, default "float64"
        The dtype ``result()`` returns; the score is computed in float64.

    Raises
    ------
    ValueError
        An unknown task or average, num_classes missing or below 2 (1 for multilabel),
        threshold= with task="multiclass", ignore_index= with task="multilabel", labels
        outside ``[0, num_classes)``.

    See Also
    --------
    ClassCounts : The counts themselves, for a whole classification report.
    fastf1.recall_score : The same score of arrays in memory.

    Notes
    -----
    Counts are int64 (float64 for rows with a sample_weight, which reaches a metric only
    through ``compile(weighted_metrics=[...])``), so they are exact past 2**24 rows.
    ``counting_path`` says which path counted: "numpy" (``tf.numpy_function`` into
    fastf1's Numba kernels) or "xla" (pure TensorFlow ops, under ``jit_compile=True``, where
    invalid rows make the result NaN instead of raising).

    Examples
    --------
    >>> import numpy as np
    >>> import fastf1.keras
    >>> metric = fastf1.keras.Recall(num_classes=3)
    >>> metric.update_state(np.array([0, 1, 2, 2]), np.eye(3)[[0, 2, 2, 2]])
    >>> round(float(metric.result()), 4)
    0.6667

    In a model, as any Keras metric:

    >>> import keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, "softmax")])
    >>> model.compile("adam", "sparse_categorical_crossentropy",
    ...               metrics=[fastf1.keras.Recall(num_classes=3)])
    """

    _quantity = "r"

    def __init__(self, task: str = "multiclass", num_classes: int | None = None, *,
                 average: Any = "auto", threshold: Any = None, labels: Any = "present",
                 zero_division: Any = 0.0, ignore_index: int | None = None,
                 name: str = "recall", dtype: Any = "float64") -> None:
        super().__init__(task, num_classes, average=average, threshold=threshold,
                         labels=labels, zero_division=zero_division, ignore_index=ignore_index,
                         name=name, dtype=dtype)


@keras.saving.register_keras_serializable(package="fastf1")
class MatthewsCorrelation(_CountingMetric):
    """Matthews correlation over all rows seen, as ``sklearn.metrics.matthews_corrcoef``.

    Exact over the whole data set like :class:`F1Score`: the per-class counts are kept
    across batches (int64, float64 with sample weights) and the coefficient is derived from
    them (scikit-learn's covariance form needs only tp, true and predicted per class).

    Parameters
    ----------
    task : {"multiclass", "binary"}
        multiclass: y_true labels (or one-hot rows), y_pred scores (argmax) or labels;
        binary: y_true 0/1, y_pred one score per row (with ``threshold``) or 0/1 labels.
    num_classes : int
        K (classes); not needed for binary.
    threshold : float, optional
        Binary score threshold (default 0.5).
    ignore_index : int, optional
        Rows whose true label equals this value are not counted.
    name, dtype
        As for any Keras metric; the value is computed in float64.

    Examples
    --------
    >>> import fastf1.keras
    >>> m = fastf1.keras.MatthewsCorrelation(num_classes=3)
    >>> m.update_state([0, 1, 2, 2], [0, 2, 2, 2])
    >>> round(float(m.result()), 6)
    0.645497
    """

    def __init__(self, task: str = "multiclass", num_classes: int | None = None, *,
                 threshold: Any = None, ignore_index: int | None = None,
                 name: str = "matthews_correlation", dtype: Any = "float64") -> None:
        if task == "multilabel":
            raise ValueError("multilabel-indicator is not supported")
        super().__init__(task, num_classes, threshold=threshold, ignore_index=ignore_index,
                         name=name, dtype=dtype)

    def result(self) -> tf.Tensor:
        """The MCC of every row counted so far (NaN after an invalid row on the XLA path)."""
        tp, true, pred, _, _ = self._state(with_total=False)
        return tf.cast(self._nan_if_invalid(_mcc_tf(tp, true, pred)), self.dtype)


# ---- ROC AUC and average precision: a score histogram in the state ------------------------

# LO / HI of a bin no row has reached: above / below every finite score's order key, and
# exact in float64 (initialisers may pass through a float)
_LO_EMPTY = 2**63 - 2**52
_HI_EMPTY = -(2**63)
_MAG = 0x7FFFFFFFFFFFFFFF


class _HistogramBatch:
    """The NumPy side of ``tf.numpy_function`` for AUC / AP: one batch's used bins, their
    negative and positive rows, smallest and largest order keys, and weights per class."""

    def __init__(self, m: int, center: int) -> None:
        self.m, self.center = m, center

    @tf.autograph.experimental.do_not_convert
    def __call__(self, t: np.ndarray, s: np.ndarray, w: np.ndarray) -> tuple:
        from . import histogram
        from ._kernels import histogram as hkern

        histogram._raise_diag(hkern.check_rows(t, s, w))
        bins, keys = hkern.bins_and_keys(s, self.m, self.center)
        used, inv = np.unique(bins, return_inverse=True)
        pos = t == 1
        counts = np.stack([np.bincount(inv, ~pos, used.size), np.bincount(inv, pos, used.size)],
                          axis=1).astype(np.int64)
        wsums = np.stack([np.bincount(inv, np.where(pos, 0.0, w), used.size),
                          np.bincount(inv, np.where(pos, w, 0.0), used.size)],
                         axis=1).astype(np.float64)  # bincount of no rows is int64
        lo = np.full(used.size, _LO_EMPTY, np.int64)
        hi = np.full(used.size, _HI_EMPTY, np.int64)
        np.minimum.at(lo, inv, keys)
        np.maximum.at(hi, inv, keys)
        return used, counts, lo, hi, wsums


class _RankingMetric(keras.metrics.Metric):
    """A :class:`fastf1.ScoreHistogram`'s bins in the state: AUC / AP over all rows seen,
    within the histogram's bound of the exact value (``histogram()`` gives the bound)."""

    def __init__(self, bins: int = 1 << 16, *, name: str | None = None,
                 dtype: Any = "float64") -> None:
        from . import histogram
        from ._kernels import histogram as hkern

        super().__init__(name=name, dtype=dtype)
        self.bins = int(bins)
        self._m = histogram._mantissa_bits(bins)
        self._n_bins = hkern.n_bins(self._m)
        self._center = hkern.magnitude_bins(self._m) - 1
        nb = self._n_bins

        def full(value: int) -> Any:
            return lambda shape, dtype=None: tf.fill(shape, tf.constant(value, tf.int64))

        zeros = keras.initializers.Zeros()
        self._counts = self.add_variable((nb, 2), zeros, dtype="int64", name="counts")
        self._lo = self.add_variable((nb,), full(_LO_EMPTY), dtype="int64", name="lowest")
        self._hi = self.add_variable((nb,), full(_HI_EMPTY), dtype="int64", name="highest")
        self._wsums = self.add_variable((nb, 2), zeros, dtype="float64", name="weights")
        # rows the XLA path could not count (it cannot raise): result() is NaN when > 0
        self._invalid = self.add_variable((), zeros, dtype="int64", name="invalid")
        self.counting_path: str | None = None

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Count one batch: y_true 0/1, y_pred scores (any shape, one score per label)."""
        y_pred = tf.convert_to_tensor(y_pred)
        mask = _keras_mask(y_pred)
        s = tf.reshape(tf.cast(y_pred, tf.float64), [-1])
        t = tf.reshape(tf.cast(tf.convert_to_tensor(y_true), tf.float64), [-1])
        rows = _rows(s)
        w = (tf.ones_like(s) if sample_weight is None
             else _per_row(sample_weight, rows, tf.float64))
        if mask is not None:
            keep = _per_row(mask, rows, tf.bool)
            t, s, w = (tf.boolean_mask(x, keep) for x in (t, s, w))
        if _in_xla_context():
            self.counting_path = "xla"
            self._count_tf(t, s, w)
            return
        self.counting_path = "numpy"
        used, counts, lo, hi, wsums = tf.numpy_function(
            _HistogramBatch(self._m, self._center), [t, s, w],
            [tf.int64, tf.int64, tf.int64, tf.int64, tf.float64], stateful=False)
        self._counts.value.scatter_add(tf.IndexedSlices(tf.reshape(counts, [-1, 2]), used))
        self._wsums.value.scatter_add(tf.IndexedSlices(tf.reshape(wsums, [-1, 2]), used))
        self._lo.value.scatter_min(tf.IndexedSlices(lo, used))
        self._hi.value.scatter_max(tf.IndexedSlices(hi, used))

    def _count_tf(self, t: tf.Tensor, s: tf.Tensor, w: tf.Tensor) -> None:
        """The same bins with TF ops only (XLA); invalid rows are not counted."""
        from ._kernels import histogram as hkern

        m, nb, center = self._m, self._n_bins, self._center
        sh = tf.bitwise.right_shift
        # -0.0 is keyed as +0.0, as the NumPy kernel does; "s + 0.0" would do it in IEEE
        # arithmetic, but XLA folds the addition away
        b = tf.bitcast(tf.where(s == 0.0, tf.zeros_like(s), s), tf.int64)
        # fastf1._kernels.histogram.bin_index, in TF ops
        mag = tf.bitwise.bitwise_and(b, tf.constant(_MAG, tf.int64))
        a = tf.bitcast(mag, tf.float64)
        upper = (a > 0.5) & (a < 1.0)
        x = tf.where(upper, tf.bitcast(1.0 - a, tf.int64), mag)  # 1 - a: exact
        ex = sh(x, tf.constant(52, tf.int64))
        e_lo, bias, e_top = hkern._E_LO, hkern._BIAS, hkern._E_TOP
        low = tf.where(ex < e_lo, ex + tf.cast(x != 0, tf.int64),
                       1 + e_lo + sh(x, tf.constant(52 - m, tf.int64)) - (e_lo << m))
        e = sh(mag, tf.constant(52, tf.int64))
        h2 = 2 * hkern._half(m)
        p = tf.where(e < bias, tf.where(upper, h2 - low, low), tf.where(
            e < e_top, h2 + sh(mag, tf.constant(52 - m, tf.int64)) - (bias << m),
            h2 + (hkern.FINE_TOP << m) + e - e_top))
        k = tf.where(b < 0, center - p, center + p)
        key = tf.bitwise.bitwise_xor(b, tf.bitwise.bitwise_and(
            sh(b, tf.constant(63, tf.int64)), tf.constant(_MAG, tf.int64)))
        valid = (tf.math.is_finite(s) & ((t == 0.0) | (t == 1.0))
                 & tf.math.is_finite(w) & (w >= 0.0))
        k = tf.where(valid, k, nb)  # segment nb collects the invalid rows, then is dropped
        pos = t == 1.0
        one = tf.ones_like(k)
        neg_c = tf.math.unsorted_segment_sum(tf.where(pos, 0 * one, one), k, nb + 1)[:nb]
        pos_c = tf.math.unsorted_segment_sum(tf.where(pos, one, 0 * one), k, nb + 1)[:nb]
        zero = tf.zeros_like(w)
        neg_w = tf.math.unsorted_segment_sum(tf.where(pos, zero, w), k, nb + 1)[:nb]
        pos_w = tf.math.unsorted_segment_sum(tf.where(pos, w, zero), k, nb + 1)[:nb]
        self._counts.assign_add(tf.stack([neg_c, pos_c], axis=1))
        self._wsums.assign_add(tf.stack([neg_w, pos_w], axis=1))
        self._lo.assign(tf.minimum(self._lo, tf.math.unsorted_segment_min(key, k, nb + 1)[:nb]))
        self._hi.assign(tf.maximum(self._hi, tf.math.unsorted_segment_max(key, k, nb + 1)[:nb]))
        self._invalid.assign_add(tf.reduce_sum(tf.cast(tf.logical_not(valid), tf.int64)))

    def _bins_tf(self) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        """(negative weight, positive weight, exact tie) per bin, ascending scores."""
        c = self._counts.value
        used = (c[:, 0] + c[:, 1]) > 0
        tie = used & tf.equal(self._lo.value, self._hi.value)
        return self._wsums.value[:, 0], self._wsums.value[:, 1], tie

    def _nan_if_invalid(self, x: tf.Tensor) -> tf.Tensor:
        return tf.where(self._invalid > 0, tf.constant(math.nan, tf.float64), x)

    def histogram(self) -> Any:
        """The state as a :class:`fastf1.ScoreHistogram` (eager): its
        ``roc_auc_error_bound()`` / ``average_precision_error_bound()`` bound ``result()``."""
        from . import histogram

        if int(self._invalid.numpy()):
            raise ValueError(f"{int(self._invalid.numpy())} invalid row(s) were skipped by "
                             "the XLA counting path (truth not 0/1, NaN / inf scores or weights)")
        return histogram.histogram_of_bins(self.bins, self._counts.numpy(),
                                           self._wsums.numpy(), self._lo.numpy(),
                                           self._hi.numpy())

    def reset_state(self) -> None:
        for v in self.variables:
            v.assign(tf.fill(v.shape, tf.constant(
                _LO_EMPTY if v is self._lo else _HI_EMPTY if v is self._hi else 0, v.dtype)))

    def get_config(self) -> dict:
        return {**super().get_config(), "bins": self.bins}


@keras.saving.register_keras_serializable(package="fastf1")
class AUC(_RankingMetric):
    """Area under the ROC curve over all rows seen (binary: y_true 0/1, y_pred scores).

    The state is a :class:`fastf1.ScoreHistogram` of ``bins`` bins in variables (about
    ``2 * bins`` records of 48 bytes, with the weight sums), so ``result()`` is within
    ``histogram().roc_auc_error_bound()`` of ``sklearn.metrics.roc_auc_score`` on every row
    seen, with no interpolation between thresholds. Counted through ``tf.numpy_function``
    (bad rows raise), or with pure TF ops under XLA (bad rows make the result NaN).

    Parameters
    ----------
    bins : int, default 2**16
        The histogram's ``bins``, a power of two from 64 to 2**24 (see
        :class:`fastf1.ScoreHistogram`): more bins, a smaller bound, 96 bytes each.
    name : str
        The metric's name in Keras logs.
    dtype : str, default "float64"
        The result's dtype.

    Examples
    --------
    >>> import numpy as np
    >>> import fastf1.keras
    >>> m = fastf1.keras.AUC()
    >>> m.update_state(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> float(m.result())
    0.75
    """

    def __init__(self, bins: int = 1 << 16, *, name: str = "auc", dtype: Any = "float64") -> None:
        super().__init__(bins, name=name, dtype=dtype)

    def result(self) -> tf.Tensor:
        """The histogram's ROC AUC (pure TF): NaN with a single class, invalid rows or
        weights that were all zero (``histogram()``'s scores raise for those)."""
        neg, pos, tie = self._bins_tf()
        below = tf.cumsum(neg, exclusive=True)
        total = tf.reduce_sum(pos) * tf.reduce_sum(neg)
        area = tf.reduce_sum(pos * below) + 0.5 * tf.reduce_sum(pos * neg)
        nan = tf.constant(math.nan, tf.float64)
        return self._nan_if_invalid(tf.where(total > 0, area / tf.where(total > 0, total, 1.0),
                                             nan))


@keras.saving.register_keras_serializable(package="fastf1")
class AveragePrecision(_RankingMetric):
    """Average precision over all rows seen (binary y_true 0/1, y_pred scores).

    As :class:`AUC`, for ``sklearn.metrics.average_precision_score``: ``result()`` is
    within ``histogram().average_precision_error_bound()`` of it.

    Parameters
    ----------
    bins : int, default 2**16
        The histogram's ``bins``, a power of two from 64 to 2**24 (see
        :class:`fastf1.ScoreHistogram`): more bins, a smaller bound, 96 bytes each.
    name : str
        The metric's name in Keras logs.
    dtype : str, default "float64"
        The result's dtype.

    Examples
    --------
    >>> import numpy as np
    >>> import fastf1.keras
    >>> m = fastf1.keras.AveragePrecision()
    >>> m.update_state(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    >>> round(float(m.result()), 6)
    0.833333
    """

    def __init__(self, bins: int = 1 << 16, *, name: str = "average_precision",
                 dtype: Any = "float64") -> None:
        super().__init__(bins, name=name, dtype=dtype)

    def result(self) -> tf.Tensor:
        """The histogram's average precision (pure TF): 0 without positive weight (also
        when every weight was zero: ``histogram()``'s scores raise then), NaN with invalid
        rows."""
        # fastf1.histogram.ScoreHistogram._ap_parts, in TF: bins in descending scores
        neg, pos, tie = (tf.reverse(x, [0]) for x in self._bins_tf())
        total_p = tf.reduce_sum(pos)
        t_above = tf.cumsum(pos, exclusive=True)
        f_above = tf.cumsum(neg, exclusive=True)
        c = f_above + neg
        has = pos > 0

        def safe(x: tf.Tensor) -> tf.Tensor:
            return tf.where(x > 0, x, tf.ones_like(x))

        upper = tf.where(has, pos * (t_above + pos) / safe(t_above + pos + f_above), 0.0)
        exact = tf.where(has, pos * (t_above + pos) / safe(t_above + pos + c), 0.0)
        lower = tf.where(has & (c > 0), pos - c * tf.math.log1p(pos / safe(t_above + c)), pos)
        upper = tf.where(tie, exact, upper)
        lower = tf.where(tie, exact, tf.minimum(lower, exact))
        mid = 0.5 * (tf.reduce_sum(upper) + tf.reduce_sum(lower)) / tf.where(total_p > 0,
                                                                             total_p, 1.0)
        return self._nan_if_invalid(tf.where(total_p > 0, mid, 0.0))
