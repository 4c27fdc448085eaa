"""The Dask path: count each chunk on the workers, sum the counts in a tree, derive once.

Counts are additive, so a Dask array or DataFrame column is scored by counting every chunk
(partition) with the ordinary fastf1 kernels where it lives, then adding the per-chunk
``StatScores`` pairwise (a tree reduction, log depth). Labels are discovered by the counting
itself, so there is no separate pass to find them.

The metric functions accept Dask inputs directly and compute on call. For larger graphs,
:func:`stat_scores` returns the lazy counts (a ``dask.delayed`` object)::

    lazy = fastf1.dask.stat_scores(ddf["label"], ddf["prediction"])
    counts = lazy.compute()          # a fastf1.StatScores
    counts.f1_score(average="macro")

Imported only when Dask input is seen (Dask is the ``dask`` extra).
"""

from __future__ import annotations

import operator
from typing import Any

import dask

from .counts import ByGroup, StatScores, _count_by_group

__all__ = ["confusion_counts", "is_dask", "stat_scores"]


def is_dask(x: Any) -> bool:
    """Whether ``x`` is a Dask collection (an array, a DataFrame column, ...).

    Checked by duck typing, without importing Dask.

    Parameters
    ----------
    x : object
        Any object.

    Returns
    -------
    bool
        True for a Dask collection.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> from fastf1.dask import is_dask
    >>> is_dask(da.zeros(4, chunks=2)), is_dask(np.zeros(4))
    (True, False)
    """
    return hasattr(x, "__dask_graph__") and hasattr(x, "__dask_keys__")


def _count_chunk(t: Any, p: Any, w: Any, threshold: Any, ignore_index: Any,
                 labels: Any) -> StatScores:
    """The counts of one chunk (an empty chunk counts nothing)."""
    t, p = _as_numpy(t), _as_numpy(p)
    w = None if w is None else _as_numpy(w)
    out = StatScores(threshold=threshold, ignore_index=ignore_index)
    if len(t) == 0:
        return out
    return out.update(t, p, sample_weight=w, device="cpu", labels=labels)


def _count_chunk_by_group(t: Any, p: Any, w: Any, g: Any, threshold: Any, ignore_index: Any,
                          labels: Any) -> ByGroup:
    """The counts of each group in one chunk."""
    t, p, g = _as_numpy(t), _as_numpy(p), _as_numpy(g)
    if len(t) == 0:
        return ByGroup()
    return _count_by_group(t, p, None if w is None else _as_numpy(w), threshold, ignore_index,
                           labels, "cpu", g, allow_all_zero_weights=True)


def _as_numpy(x: Any) -> Any:
    return x.to_numpy() if hasattr(x, "to_numpy") else x


def _chunks_of(x: Any, rows: tuple[int, ...] | None) -> tuple[list[Any], tuple[int, ...] | None]:
    """The delayed row chunks of a Dask array / Series (rechunked to ``rows`` if given)."""
    import dask.array as da

    if isinstance(x, da.Array):
        if rows is not None and x.chunks[0] != rows:
            x = x.rechunk({0: rows})
        if x.ndim == 2 and len(x.chunks[1]) > 1:
            x = x.rechunk({1: -1})  # a score / indicator matrix: whole rows in each chunk
        return list(x.to_delayed().ravel()), x.chunks[0]
    if hasattr(x, "to_delayed"):  # DataFrame column / Series
        return list(x.to_delayed()), None
    raise TypeError(f"expected a Dask array or Series, got {type(x).__name__}")


def _tree_sum(parts: list[Any], add: Any = operator.add, empty: Any = StatScores) -> Any:
    """Pairwise sums of delayed counts: log depth, so no worker adds up everything."""
    if not parts:
        return dask.delayed(empty)()
    while len(parts) > 1:
        pairs = [dask.delayed(add, pure=True)(a, b) for a, b in zip(parts[::2], parts[1::2])]
        parts = pairs + ([parts[-1]] if len(parts) % 2 else [])
    return parts[0]


def _aligned_chunks(y_true: Any, y_pred: Any, sample_weight: Any) -> tuple[list, list, list]:
    """Delayed row chunks of the inputs, chunk i of each holding the same rows."""
    arrays = [y_true, y_pred] + ([] if sample_weight is None else [sample_weight])
    if not all(is_dask(a) for a in arrays):
        raise TypeError("mix of Dask and in-memory inputs: pass all of y_true, y_pred, "
                        "sample_weight (and groups) as Dask collections (or none)")
    t_parts, rows = _chunks_of(y_true, None)
    p_parts, _ = _chunks_of(y_pred, rows)
    w_parts = [None] * len(t_parts) if sample_weight is None else _chunks_of(sample_weight, rows)[0]
    if not len(t_parts) == len(p_parts) == len(w_parts):
        raise ValueError(
            f"y_true, y_pred and sample_weight have different partitions "
            f"({len(t_parts)}, {len(p_parts)}, {len(w_parts)}); repartition them alike")
    return t_parts, p_parts, w_parts


def stat_scores(y_true: Any, y_pred: Any, *, sample_weight: Any = None, threshold: Any = None,
                ignore_index: Any = None, labels: Any = None, groups: Any = None) -> Any:
    """Lazy counts of Dask inputs, counted chunk by chunk on the workers.

    Each chunk is counted by the fastf1 kernels where it lives and the per-chunk counts are
    added pairwise in a tree; nothing runs until the result is computed, so the counts can be
    computed together with other results of the same graph.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series
        Ground truth, as for :func:`fastf1.stat_scores`, in row chunks (partitions).
    y_pred : dask.array.Array or dask.dataframe.Series
        Predictions (labels, scores with ``threshold``, a score matrix or multilabel
        indicators) with the same row chunks as ``y_true``: arrays are rechunked to
        ``y_true``'s rows if needed; Series must come from the same DataFrame or have the same
        partitions.
    sample_weight : dask.array.Array or dask.dataframe.Series, default None
        Row weights, chunked as ``y_true``. All-zero weights are not rejected (that check
        would need its own pass).
    threshold : float or array-like of shape (n_labels,), default None
        ``y_pred`` holds scores, and a row (or, for multilabel data, a row's
        label) is a positive prediction when ``score >= threshold``, compared in float64; one
        value per label for multilabel scores. None: ``y_pred`` holds labels, indicators or a
        score matrix.
    ignore_index : int, default None
        Rows whose true label equals this value are skipped inside the counting
        pass (padded sequence positions, such as -100). Single-label data only.
    labels : array-like, default None
        The labels you expect: only helps each chunk guess its label range; every label
        present is counted.
    groups : dask.array.Array or dask.dataframe.Series, default None
        One group per row, with the same partitions as ``y_true``: the result is then a
        :class:`fastf1.ByGroup` of counts, one per group.

    Returns
    -------
    dask.delayed.Delayed
        Computes to a :class:`fastf1.StatScores` (with ``groups``, a :class:`fastf1.ByGroup`
        of them); an empty input computes to an empty ``StatScores``.

    Raises
    ------
    TypeError
        ``groups`` is not a Dask collection while the data are.
    ValueError
        ``groups`` has another number of partitions than ``y_true``. Errors in the data
        (NaN, fractional labels, ...) are raised when the result is computed.

    See Also
    --------
    fastf1.stat_scores : Counts now; takes Dask inputs too and computes them.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> import fastf1.dask
    >>> y_true = da.from_array(np.array([0, 1, 2, 2, 1, 0]), chunks=3)
    >>> y_pred = da.from_array(np.array([0, 2, 2, 2, 1, 1]), chunks=3)
    >>> lazy = fastf1.dask.stat_scores(y_true, y_pred)
    >>> counts = lazy.compute()
    >>> counts.tp, counts.f1_score(average="micro")
    (array([1, 1, 2]), 0.6666666666666666)
    """
    t_parts, p_parts, w_parts = _aligned_chunks(y_true, y_pred, sample_weight)
    if groups is None:
        count = dask.delayed(_count_chunk, pure=True)
        parts = [count(t, p, w, threshold, ignore_index, labels)
                 for t, p, w in zip(t_parts, p_parts, w_parts)]
        return _tree_sum(parts)
    if not is_dask(groups):
        raise TypeError("mix of Dask and in-memory inputs: pass groups as a Dask collection "
                        "with the same rows as y_true")
    g_parts, _ = _chunks_of(groups, getattr(y_true, "chunks", (None,))[0])
    if len(g_parts) != len(t_parts):
        raise ValueError(f"groups has {len(g_parts)} partitions but y_true has "
                         f"{len(t_parts)}; repartition them alike")
    count = dask.delayed(_count_chunk_by_group, pure=True)
    parts = [count(t, p, w, g, threshold, ignore_index, labels)
             for t, p, w, g in zip(t_parts, p_parts, w_parts, g_parts)]
    return _tree_sum(parts, empty=ByGroup)


def compute_stat_scores(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                        threshold: Any = None, ignore_index: Any = None,
                        labels: Any = None, groups: Any = None) -> Any:
    """Count Dask inputs now (the metric functions call this).

    Unlike in-memory input, all-zero weights are not rejected (that check would need its
    own pass over the weights).
    """
    counts = stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                         ignore_index=ignore_index, labels=labels, groups=groups).compute()
    empty = len(counts) == 0 if groups is not None else counts.labels is None
    if empty:
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum "
            "of 1 sample is required.")
    return counts


def _confusion_chunk(t: Any, p: Any, w: Any, threshold: Any, ignore_index: Any,
                     labels: Any) -> Any:
    from . import _validation
    from .metrics import confusion_counts

    t, p = _as_numpy(t), _as_numpy(p)
    if len(t) == 0:
        return None
    inp = _validation.prepare(t, p, None if w is None else _as_numpy(w), threshold,
                              allow_all_zero_weights=True, device="cpu")
    return confusion_counts(inp, ignore_index, labels)


def confusion_counts(y_true: Any, y_pred: Any, *, sample_weight: Any = None,
                     threshold: Any = None, ignore_index: Any = None, labels: Any = None) -> Any:
    """Confusion counts of Dask inputs: one pass over the chunks, summed in a tree.

    Each chunk counts a confusion matrix over its own labels; the matrices are merged onto the
    union of the labels. :func:`fastf1.confusion_matrix` calls this for Dask inputs and applies
    ``labels`` and ``normalize`` to the result.

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series
        Ground truth, as for :func:`fastf1.stat_scores`, in row chunks (partitions).
    y_pred : dask.array.Array or dask.dataframe.Series
        Predictions (labels, scores with ``threshold``, a score matrix or multilabel
        indicators) with the same row chunks as ``y_true``: arrays are rechunked to
        ``y_true``'s rows if needed; Series must come from the same DataFrame or have the same
        partitions.
    sample_weight : dask.array.Array or dask.dataframe.Series, default None
        Row weights, chunked as ``y_true``. All-zero weights are not rejected (that check
        would need its own pass).
    threshold : float or array-like of shape (n_labels,), default None
        ``y_pred`` holds scores, and a row (or, for multilabel data, a row's
        label) is a positive prediction when ``score >= threshold``, compared in float64; one
        value per label for multilabel scores. None: ``y_pred`` holds labels, indicators or a
        score matrix.
    ignore_index : int, default None
        Rows whose true label equals this value are skipped inside the counting
        pass (padded sequence positions, such as -100). Single-label data only.
    labels : array-like, default None
        The labels you expect: only helps each chunk guess its label range; every label
        present is counted.

    Returns
    -------
    labels : ndarray of shape (K,)
        The labels present, sorted.
    matrix : ndarray of shape (K, K)
        int64 counts, row i and column j counting true ``labels[i]`` predicted as
        ``labels[j]``.
    weighted : ndarray of shape (K, K) or None
        The same with sample weights summed (float64), or None without weights.

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
    t_parts, p_parts, w_parts = _aligned_chunks(y_true, y_pred, sample_weight)
    count = dask.delayed(_confusion_chunk, pure=True)
    parts = [count(t, p, w, threshold, ignore_index, labels)
             for t, p, w in zip(t_parts, p_parts, w_parts)]
    from .metrics import merge_confusion_counts

    total = _tree_sum(parts, merge_confusion_counts, lambda: None).compute()
    if total is None:
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum "
            "of 1 sample is required.")
    return total
