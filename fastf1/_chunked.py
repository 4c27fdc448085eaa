"""The Dask recipe every front end shares: count each chunk where it lives, add in a tree.

Counts are additive, so a Dask array or DataFrame column is scored by counting every chunk
(partition) with an ordinary in-memory count function on the workers, then adding the
per-chunk results pairwise (a tree reduction: log depth, so no worker adds up everything).
The count function and the way to add two results are passed in: this module knows the
chunks, not what is counted in them, so it imports nothing of fastf1 but the input checks.

Dask itself is imported on call only: importing fastf1 stays free of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._validation import is_dask


def as_numpy(x: Any) -> Any:
    """A chunk as an array (a pandas Series chunk becomes its NumPy values; None stays)."""
    return x.to_numpy() if hasattr(x, "to_numpy") else x


def chunks_of(x: Any, rows: tuple[int, ...] | None) -> tuple[list[Any], tuple[int, ...] | None]:
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


def tree_sum(parts: list[Any], add: Callable[[Any, Any], Any], empty: Callable[[], Any]) -> Any:
    """Pairwise sums of delayed results (``empty()`` when there is none): log depth."""
    import dask

    if not parts:
        return dask.delayed(empty)()
    while len(parts) > 1:
        pairs = [dask.delayed(add, pure=True)(a, b) for a, b in zip(parts[::2], parts[1::2])]
        parts = pairs + ([parts[-1]] if len(parts) % 2 else [])
    return parts[0]


def aligned_chunks(y_true: Any, y_pred: Any, sample_weight: Any) -> tuple[list, list, list]:
    """Delayed row chunks of the inputs, chunk i of each holding the same rows
    (``None`` weight chunks when there are no weights)."""
    arrays = [y_true, y_pred] + ([] if sample_weight is None else [sample_weight])
    if not all(is_dask(a) for a in arrays):
        raise TypeError("mix of Dask and in-memory inputs: pass all of y_true, y_pred, "
                        "sample_weight (and groups) as Dask collections (or none)")
    t_parts, rows = chunks_of(y_true, None)
    p_parts, _ = chunks_of(y_pred, rows)
    w_parts = [None] * len(t_parts) if sample_weight is None else chunks_of(sample_weight, rows)[0]
    if not len(t_parts) == len(p_parts) == len(w_parts):
        raise ValueError(
            f"y_true, y_pred and sample_weight have different partitions "
            f"({len(t_parts)}, {len(p_parts)}, {len(w_parts)}); repartition them alike")
    return t_parts, p_parts, w_parts


def group_chunks(groups: Any, y_true: Any, n_parts: int) -> list[Any]:
    """The delayed chunks of ``groups``, holding the same rows as those of ``y_true``."""
    if not is_dask(groups):
        raise TypeError("mix of Dask and in-memory inputs: pass groups as a Dask collection "
                        "with the same rows as y_true")
    g_parts, _ = chunks_of(groups, getattr(y_true, "chunks", (None,))[0])
    if len(g_parts) != n_parts:
        raise ValueError(f"groups has {len(g_parts)} partitions but y_true has "
                         f"{n_parts}; repartition them alike")
    return g_parts


def count_chunks(count: Callable[..., Any], chunks: list[list[Any]], *args: Any,
                 add: Callable[[Any, Any], Any], empty: Callable[[], Any]) -> Any:
    """``count(chunk_0[i], chunk_1[i], ..., *args)`` of every chunk ``i`` on the workers,
    summed in a tree: one lazy (``dask.delayed``) result."""
    import dask

    task = dask.delayed(count, pure=True)
    return tree_sum([task(*parts, *args) for parts in zip(*chunks)], add, empty)


def any_nonzero(x: Any) -> bool:
    """Does a Dask column hold a value other than zero? A pass of its own: for the rare
    case where weighted counts are all zero (every weight zero, or weights that cancel)."""
    return bool((x != 0).any().compute())


_EMPTY_INPUT = ("Found empty input array (e.g., `y_true` or `y_pred`) while a minimum "
                "of 1 sample is required.")


def empty_input_error() -> ValueError:
    """scikit-learn's error for an input without rows (every chunk was empty)."""
    return ValueError(_EMPTY_INPUT)
