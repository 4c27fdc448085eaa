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
from .histogram import DEFAULT_BINS, ScoreHistogram

__all__ = ["confusion_counts", "is_dask", "score_histogram", "stat_scores"]


def is_dask(x: Any) -> bool:
    """A Dask collection (array, DataFrame column, ...)?"""
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
    """Lazy counts of Dask inputs: a ``dask.delayed`` object that computes a StatScores
    (with ``groups``, a :class:`fastf1.ByGroup` of them).

    ``y_true``, ``y_pred``, ``sample_weight`` and ``groups`` are Dask arrays or Dask
    DataFrame columns (Series) with the same row chunks (arrays are rechunked to
    ``y_true``'s rows if needed; Series must come from the same DataFrame or have the same
    partitions). ``labels`` only helps each chunk guess its label range.
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
    """(labels, confusion matrix, weighted matrix) of Dask inputs: one pass, summed in a tree."""
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


def _histogram_chunk(t: Any, s: Any, w: Any, bins: int, calibration_bins: int) -> ScoreHistogram:
    """The histogram of one chunk (an empty chunk adds nothing)."""
    out = ScoreHistogram(bins, calibration_bins=calibration_bins)
    return out.update(_as_numpy(t), _as_numpy(s), None if w is None else _as_numpy(w))


def score_histogram(y_true: Any, y_score: Any, *, sample_weight: Any = None,
                    bins: int = DEFAULT_BINS, calibration_bins: int = 10) -> Any:
    """Lazy :class:`fastf1.ScoreHistogram` of Dask inputs: a ``dask.delayed`` object.

    Each chunk (partition) is counted where it lives into its own histogram; the
    histograms are added in a tree (they pickle as the bins that hold rows only).
    """
    t_parts, s_parts, w_parts = _aligned_chunks(y_true, y_score, sample_weight)
    count = dask.delayed(_histogram_chunk, pure=True)
    parts = [count(t, s, w, bins, calibration_bins)
             for t, s, w in zip(t_parts, s_parts, w_parts)]
    return _tree_sum(parts, empty=lambda: ScoreHistogram(bins, calibration_bins=calibration_bins))
