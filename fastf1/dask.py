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

The recipe (chunks, tree sums) lives in ``fastf1._chunked``, the counting of one chunk with
the counts it makes; this module is the public front end. Dask is the ``dask`` extra.
"""

from __future__ import annotations

from typing import Any

import dask  # noqa: F401  (the dask extra: missing, this module fails at import)

from ._confusion import dask_confusion_counts as confusion_counts
from ._validation import is_dask
from .counts import compute_dask_stat_scores as compute_stat_scores
from .counts import lazy_stat_scores
from .histogram import DEFAULT_BINS, lazy_score_histogram

__all__ = ["compute_stat_scores", "confusion_counts", "is_dask", "score_histogram",
           "stat_scores"]


def stat_scores(y_true: Any, y_pred: Any, *, sample_weight: Any = None, threshold: Any = None,
                ignore_index: Any = None, labels: Any = None, groups: Any = None) -> Any:
    """Lazy counts of Dask inputs, counted chunk by chunk on the workers.

    Each chunk is counted by the fastf1 kernels where it lives and the per-chunk counts are added
    pairwise in a tree; nothing runs until the result is computed, so the counts can be computed
    together with other results of the same graph.

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
    dask.delayed.Delayed
        Computes to a :class:`fastf1.StatScores` (with ``groups``, a :class:`fastf1.ByGroup` of
        them); an empty input computes to an empty ``StatScores``.

    Raises
    ------
    TypeError
        ``groups`` is not a Dask collection while the data are.
    ValueError
        ``groups`` has another number of partitions than ``y_true``. Errors in the data (NaN,
        fractional labels, ...) are raised when the result is computed.

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
    return lazy_stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                            ignore_index=ignore_index, labels=labels, groups=groups)


def score_histogram(y_true: Any, y_score: Any, *, sample_weight: Any = None,
                    bins: int = DEFAULT_BINS, calibration_bins: int = 10) -> Any:
    """Lazy :class:`fastf1.ScoreHistogram` of Dask inputs.

    Each chunk (partition) is counted into its own histogram where it lives, and the
    histograms are added pairwise in a tree (they pickle as the bins that hold rows only).

    Parameters
    ----------
    y_true : dask.array.Array or dask.dataframe.Series
        0/1 (or -1/1, bool) truth, in row chunks.
    y_score : dask.array.Array or dask.dataframe.Series
        Scores, with the same row chunks (arrays are rechunked to ``y_true``'s rows).
    sample_weight : dask.array.Array or dask.dataframe.Series, default None
        Non-negative row weights, chunked as ``y_true``.
    bins, calibration_bins : int
        As for :class:`fastf1.ScoreHistogram`.

    Returns
    -------
    dask.delayed.Delayed
        Computes to a :class:`fastf1.ScoreHistogram`.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> import fastf1.dask
    >>> y = da.from_array(np.array([0, 0, 1, 1]), chunks=2)
    >>> s = da.from_array(np.array([0.1, 0.4, 0.35, 0.8]), chunks=2)
    >>> fastf1.dask.score_histogram(y, s, bins=1024).compute().roc_auc_score()
    0.75
    """
    return lazy_score_histogram(y_true, y_score, sample_weight=sample_weight, bins=bins,
                                calibration_bins=calibration_bins)
