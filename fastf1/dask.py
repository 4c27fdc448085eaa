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

__all__ = ["compute_stat_scores", "confusion_counts", "is_dask", "stat_scores"]


def stat_scores(y_true: Any, y_pred: Any, *, sample_weight: Any = None, threshold: Any = None,
                ignore_index: Any = None, labels: Any = None, groups: Any = None) -> Any:
    """Lazy counts of Dask inputs: a ``dask.delayed`` object that computes a StatScores
    (with ``groups``, a :class:`fastf1.ByGroup` of them).

    ``y_true``, ``y_pred``, ``sample_weight`` and ``groups`` are Dask arrays or Dask
    DataFrame columns (Series) with the same row chunks (arrays are rechunked to
    ``y_true``'s rows if needed; Series must come from the same DataFrame or have the same
    partitions). ``labels`` only helps each chunk guess its label range.
    """
    return lazy_stat_scores(y_true, y_pred, sample_weight=sample_weight, threshold=threshold,
                            ignore_index=ignore_index, labels=labels, groups=groups)
