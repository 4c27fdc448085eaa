"""The confusion counts: (present labels, int64 confusion matrix, its weighted twin or None).

One counting pass gives them; two of them add over the union of their labels, so chunks
of a file and partitions of a Dask collection reduce like ``StatScores`` do. The metric
function, the file reader and the Dask front end share this one home.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _chunked, _dispatch, _validation

#: (present labels, int64 confusion matrix, weighted matrix or None): the weighted matrix
#: is int64 for integer weights (``int64_confusion_counts``), float64 otherwise
ConfusionCounts = tuple[np.ndarray, np.ndarray, "np.ndarray | None"]


def confusion_counts(inp: _validation.Inputs, ignore_index: Any, labels: Any) -> ConfusionCounts:
    """(present labels, their int64 confusion matrix, its weighted twin or None): one pass."""
    if inp.kind == "multilabel":
        raise ValueError("multilabel-indicator is not supported")
    if inp.kind == "scores":  # the confusion kernel counts labels: threshold the scores first
        p = _dispatch._host(inp.p)
        if not np.isfinite(p).all():
            raise ValueError("y_pred contains invalid score(s) (NaN or inf)")
        t = _dispatch._host(inp.t)
        inp = inp._replace(kind="labels", t=t, p=(p >= inp.thr).astype(t.dtype), thr=None,
                           device="cpu")
    values, (cm, wcm) = _dispatch.count_labels(inp, ignore_index, labels, confusion=True)
    present = np.flatnonzero(cm.sum(axis=0) + cm.sum(axis=1))
    ix = np.ix_(present, present)
    return values[present].astype(inp.label_dtype), cm[ix], None if inp.w is None else wcm[ix]


def merge_confusion_counts(a: ConfusionCounts | None,
                           b: ConfusionCounts | None) -> ConfusionCounts | None:
    """Add two (labels, cm, weighted cm) triples over the union of their labels (None = 0)."""
    if a is None or b is None:
        return b if a is None else a
    values = _validation.exact_union(a[0], b[0])
    cm = np.zeros((values.size, values.size), np.int64)
    weighted = [part[2] for part in (a, b) if part[2] is not None]
    # integer-weighted parts stay int64 (wrapping as scikit-learn's int64 sums do); a
    # part without weights adds its counts, which are int64 too
    wcm = np.zeros(cm.shape, np.result_type(*weighted)) if weighted else None
    for part in (a, b):
        idx = np.ix_(*(2 * [np.searchsorted(values, part[0])]))
        cm[idx] += part[1]
        if wcm is not None:
            wcm[idx] += part[1] if part[2] is None else part[2]
    return values, cm, wcm


def weight_limbs(sample_weight: Any) -> list[tuple[int, np.ndarray]] | None:
    """None when float64 sums of these integer weights are exact (every partial sum is
    below 2**53 in magnitude: n * max|w| < 2**53). Else the weights' 64 bits cut into
    limbs of b bits, ``(shift, float64 limb)``, each of whose sums is exact in float64
    (n * 2**b <= 2**53); put back together modulo 2**64 they are the int64 sum, wrapping
    past 2**63 as scikit-learn's int64 sums do."""
    w = np.asarray(sample_weight)
    if w.ndim != 1 or not w.size:
        return None  # a scalar weight, or the errors of the float path
    big = max(abs(int(w.min())), abs(int(w.max())))
    if w.size * big < 2**53:
        return None
    bits = 53 - w.size.bit_length()
    u = w.astype(np.int64).view(np.uint64)  # two's complement: negative weights wrap back
    mask = np.uint64((1 << bits) - 1)
    return [(shift, ((u >> np.uint64(shift)) & mask).astype(np.float64))
            for shift in range(0, 64, bits)]


def limb_confusion_counts(inp: _validation.Inputs, ignore_index: Any, labels: Any,
                          limbs: list[tuple[int, np.ndarray]]) -> ConfusionCounts:
    """``confusion_counts`` with integer weights summed exactly in int64 (one counting
    pass per limb of ``weight_limbs``: only for weights too large for float64)."""
    total: np.ndarray | None = None
    for shift, limb in limbs:
        values, cm, wcm = confusion_counts(inp._replace(w=limb), ignore_index, labels)
        assert wcm is not None  # weighted counts exist: every limb is a weight vector
        part = wcm.astype(np.uint64) << np.uint64(shift)
        total = part if total is None else total + part  # wraps modulo 2**64
    assert total is not None  # weight_limbs gives at least one limb
    return values, cm, total.view(np.int64)


def int64_confusion_counts(inp: _validation.Inputs, ignore_index: Any, labels: Any,
                           int_weights: Any) -> ConfusionCounts:
    """``confusion_counts`` for integer weights ``int_weights`` (the caller's array, before
    the float64 cast in ``inp.w``): the weighted matrix is their int64 sum, as
    scikit-learn's. One float64 pass while it is exact, limbs beyond (``weight_limbs``)."""
    limbs = weight_limbs(int_weights) if inp.device == "cpu" else None
    if limbs is not None:
        return limb_confusion_counts(inp, ignore_index, labels, limbs)
    values, cm, wcm = confusion_counts(inp, ignore_index, labels)
    # exact in float64 on the CPU (n * max|w| < 2**53): the cast loses nothing
    return values, cm, None if wcm is None else np.rint(wcm).astype(np.int64)


def _confusion_chunk(t: Any, p: Any, w: Any, threshold: Any, ignore_index: Any,
                     labels: Any) -> ConfusionCounts | None:
    t, p, w = _chunked.as_numpy(t), _chunked.as_numpy(p), _chunked.as_numpy(w)
    if len(t) == 0:
        return None
    inp = _validation.prepare(t, p, w, threshold, allow_all_zero_weights=True, device="cpu")
    if inp.int_weights:  # int64 sums, merged in int64
        return int64_confusion_counts(inp, ignore_index, labels, w)
    return confusion_counts(inp, ignore_index, labels)


def _no_counts() -> None:
    return None


def lazy_confusion_counts(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                          threshold: Any = None, ignore_index: Any = None,
                          labels: Any = None) -> Any:
    """The confusion counts of Dask inputs, lazily (a ``dask.delayed``; None when empty)."""
    chunks = _chunked.aligned_chunks(y_true, y_pred, sample_weight)
    return _chunked.count_chunks(_confusion_chunk, list(chunks), threshold, ignore_index,
                                 labels, add=merge_confusion_counts, empty=_no_counts)


def dask_confusion_counts(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                          threshold: Any = None, ignore_index: Any = None,
                          labels: Any = None) -> ConfusionCounts:
    """Confusion counts of Dask inputs: one pass over the chunks, summed in a tree.

    Each chunk counts a confusion matrix over its own labels; the matrices are merged onto the union
    of the labels. :func:`fastf1.confusion_matrix` calls this for Dask inputs and applies ``labels``
    and ``normalize`` to the result.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series
        Ground truth, as for :func:`fastf1.stat_scores`, in row chunks (partitions).
    y_pred : dask.array.Array or dask.dataframe.Series
        Predictions (labels, scores with ``threshold``, a score matrix or multilabel indicators)
        with the same row chunks as ``y_true``: arrays are rechunked to ``y_true``'s rows if needed;
        Series must come from the same DataFrame or have the same partitions.
    sample_weight : dask.array.Array or dask.dataframe.Series, default None
        Row weights, chunked as ``y_true``. All-zero weights give a zero matrix (the metric
        function :func:`fastf1.confusion_matrix` refuses them, as scikit-learn does).
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

    Returns
    -------
    labels : ndarray of shape (K,)
        The labels present, sorted.
    matrix : ndarray of shape (K, K)
        int64 counts, row i and column j counting true ``labels[i]`` predicted as ``labels[j]``.
    weighted : ndarray of shape (K, K) or None
        The same with sample weights summed (int64 for integer weights, wrapping as
        scikit-learn's int64 sums do; else float64), or None without weights.

    Raises
    ------
    ValueError
        Empty input, multilabel input, or bad data (raised when the chunks are counted).

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> from fastf1.dask import confusion_counts
    >>> y_true = da.from_array(np.array([2, 0, 2, 2, 0, 1]), chunks=3)
    >>> y_pred = da.from_array(np.array([0, 0, 2, 2, 0, 2]), chunks=3)
    >>> labels, matrix, weighted = confusion_counts(y_true, y_pred)
    >>> labels, weighted
    (array([0, 1, 2]), None)
    >>> matrix
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    """
    total = lazy_confusion_counts(y_true, y_pred, sample_weight=sample_weight,
                                  threshold=threshold, ignore_index=ignore_index,
                                  labels=labels).compute()
    if total is None:
        raise _chunked.empty_input_error()
    return total
