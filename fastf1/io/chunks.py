"""The one chunk protocol: every reader yields ``(columns, nbytes)``; :func:`read_chunks`
turns them into ``(y_true, y_pred, sample_weight)`` chunks."""

from __future__ import annotations

import collections
import itertools
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import arrow
from ._errors import _require_pyarrow
from .arrow import _rechunk
from .npy import _npy_chunks, _npz_chunks
from .sources import DATASET_FORMATS, Source, resolve_sources

#: rows per chunk unless told otherwise: large enough that the per-chunk overhead (a few
#: tens of microseconds) vanishes, small enough that a chunk stays in the tens of MB
DEFAULT_CHUNK_ROWS = 1 << 20
"""Rows per chunk unless told otherwise (2**20)."""


class Chunk(NamedTuple):
    """Rows ``start .. start + len(y_true) - 1`` of ``source``, ready for ``StatScores.update``.

    Attributes
    ----------
    y_true : ndarray
        True labels (or 0/1 indicators) of the rows.
    y_pred : ndarray
        Predictions: labels, scores or a score matrix.
    sample_weight : ndarray or None
        Row weights, when a weight column was named.
    source : Source
        Where the rows come from.
    start : int
        The index of the first row within ``source``.
    nbytes : int
        The bytes on disk this chunk stands for (for progress bars).
    groups : ndarray or None
        The group of each row, when a group column was named.
    """

    y_true: np.ndarray
    y_pred: np.ndarray
    sample_weight: np.ndarray | None
    source: Source
    start: int
    nbytes: int
    groups: np.ndarray | None = None
    #: the source's last chunk: every row of it has been read (and found unchanged)
    last: bool = False


@dataclass(frozen=True)
class _Columns:
    true: str
    pred: str | tuple[str, ...]
    weight: str | None
    group: str | None = None

    @property
    def names(self) -> list[str]:
        pred = [self.pred] if isinstance(self.pred, str) else list(self.pred)
        names = [self.true, *pred] + [c for c in (self.weight, self.group) if c]
        return list(dict.fromkeys(names))


def _columns_of(sources: Sequence[Source], names: Sequence[str], chunk_rows: int,
                dictionaries: Sequence[str] = (),
                ) -> Iterator[tuple[Source, Iterator[tuple[dict[str, Any], int]]]]:
    """Each source with its ``(columns, nbytes)`` pairs (not read until iterated); label
    columns named in ``dictionaries`` may come as ``DictionaryLabels`` (``arrow._rechunk``)."""
    for source in sources:
        if source.format in DATASET_FORMATS:
            _require_pyarrow()
            batches = arrow.dataset_batches(source, names, chunk_rows, dictionaries)
            yield source, _rechunk(batches, chunk_rows, names, source.name, dictionaries)
        elif source.format == "npy":
            yield source, _npy_chunks(source, names, chunk_rows)
        else:
            yield source, _npz_chunks(source, names, chunk_rows)


def _numeric(arr: np.ndarray, what: str, where: str) -> np.ndarray:
    if arr.dtype.kind in "US":
        sample = arr.flat[0] if arr.size else ""
        raise ValueError(f"{where}: {what} holds strings (such as {str(sample)!r}); "
                         "expected numbers")
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{where}: {what} holds {arr.dtype} values; expected numbers")
    return arr


def _assemble(cols: dict[str, Any], spec: _Columns, threshold: Any,
              where: str) -> tuple[Any, Any, np.ndarray | None]:
    t = cols[spec.true]
    if isinstance(spec.pred, str):
        p = cols[spec.pred]
        if threshold is not None or p.ndim == 2:
            _numeric(p, f"score column {spec.pred!r}", where)
        if p.ndim == 2 and t.ndim == 1 and p.dtype.kind != "f":
            p = p.astype(np.float64)  # integer scores: argmax all the same
    else:
        parts = [_numeric(cols[c], f"score column {c!r}", where) for c in spec.pred]
        for c, part in zip(spec.pred, parts):
            if part.ndim != 1:
                raise ValueError(f"{where}: score column {c!r} is not 1-D (shape {part.shape})")
        dtype = np.result_type(np.float32, *parts)
        p = np.empty((t.shape[0], len(parts)), dtype)
        for j, part in enumerate(parts):
            p[:, j] = part
    w = None
    if spec.weight is not None:
        w = _numeric(cols[spec.weight], f"sample_weight column {spec.weight!r}", where)
    return t, p, w


def _spec(true: str, pred: Any, sample_weight: str | None,
          group_by: str | None = None) -> _Columns:
    if not isinstance(true, str) or not true:
        raise TypeError(f"true must name a column, got {true!r}")
    if isinstance(pred, str):
        if not pred:
            raise ValueError("pred must name a column")
        pred_spec: str | tuple[str, ...] = pred
    else:
        pred_spec = tuple(pred)
        if len(pred_spec) < 2 or not all(isinstance(c, str) and c for c in pred_spec):
            raise ValueError(
                f"pred must name one column or a list of at least 2 score columns, got {pred!r}")
    if group_by is not None and (not isinstance(group_by, str) or not group_by):
        raise TypeError(f"group_by must name a column, got {group_by!r}")
    return _Columns(true, pred_spec, sample_weight, group_by)


def _check_chunk_rows(chunk_rows: Any) -> None:
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) \
            or chunk_rows < 1:
        raise ValueError(f"chunk_rows must be a positive integer, got {chunk_rows!r}")


def read_chunks(
    sources: Any, *, true: str, pred: str | Sequence[str], sample_weight: str | None = None,
    threshold: Any = None, chunk_rows: int = DEFAULT_CHUNK_ROWS, format: str | None = None,
) -> Iterator[Chunk]:
    """Read prediction files as chunks of at most ``chunk_rows`` rows.

    For your own loop over the rows: each :class:`Chunk` holds ``y_true``, ``y_pred`` and
    ``sample_weight`` ready for :meth:`fastf1.StatScores.update`, and where they come from.

    Parameters
    ----------
    sources : str, path-like, Source, or a list of them
        Files, directories (their files of a supported type, recursively, skipping names that start
        with ``.`` or ``_``) and glob patterns, read one after the other as one data set.
    true : str
        The column (or ``.npy`` / ``.npz`` array) of true labels; a 2-D column of 0/1 indicators
        gives multilabel counts.
    pred : str or list of str
        The column of predicted labels, of scores (with ``threshold``) or of K scores per row (a
        list column or an (n, K) array, scored by argmax); or a list of K score columns (class j is
        column j, scored by argmax).
    sample_weight : str, optional
        The column of sample weights.
    threshold : float, optional
        Only checked here (the score column must hold numbers); it applies when counting.
    chunk_rows : int, default 2**20
        The most rows held in memory at once (a Parquet row group or an Arrow record batch is
        decoded whole by pyarrow).
    format : {"parquet", "ipc", "csv", "npy", "npz"}, optional
        Read every file as this format, whatever its suffix.

    Yields
    ------
    Chunk
        The rows ``start .. start + len(y_true) - 1`` of one source; empty chunks are skipped.

    Raises
    ------
    FileNotFoundError
        A source that does not exist.
    ValueError
        A missing column (the message lists the columns there), a corrupt file, columns of different
        lengths, a null value, strings where numbers are expected.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import read_chunks
    >>> d = tempfile.mkdtemp()
    >>> np.save(os.path.join(d, "y.npy"), np.array([0, 1, 1, 2]))
    >>> np.save(os.path.join(d, "yhat.npy"), np.array([0, 1, 2, 2]))
    >>> [c.y_pred.tolist() for c in read_chunks(d, true="y", pred="yhat", chunk_rows=3)]
    [[0, 1, 2], [2]]
    """
    _check_chunk_rows(chunk_rows)
    spec = _spec(true, pred, sample_weight)
    for chunk in _chunks(sources, spec, threshold, int(chunk_rows), format):
        if chunk.y_true.shape[0]:
            yield chunk


def _chunks(sources: Any, spec: _Columns, threshold: Any, chunk_rows: int,
            format: str | None, dictionaries: Sequence[str] = ()) -> Iterator[Chunk]:
    """read_chunks, with the empty chunks that carry only bytes (for progress) and each
    source's ``last`` chunk. A source is made into chunks by its own reader thread
    (:func:`read_ahead`), which stays a chunk ahead: the caller takes chunks ready to count,
    decoded while it counted the ones before (pyarrow and the counting kernels both release
    the GIL). The label columns named in ``dictionaries`` may come as
    ``DictionaryLabels``, which only the counting pass takes."""
    parts = _columns_of(resolve_sources(sources, format), spec.names, chunk_rows,
                        dictionaries)
    per_source = ((source, _source_chunks(source, items, spec, threshold))
                  for source, items in parts)
    for _source, chunks in read_ahead(per_source, arrow.FRAGMENT_READAHEAD):
        yield from chunks


def _source_chunks(source: Source, parts: Iterator[tuple[dict[str, Any], int]],
                   spec: _Columns, threshold: Any) -> Iterator[Chunk]:
    """One source's chunks, then its ``last`` chunk once the file is found unchanged."""
    start = 0
    for cols, nbytes in parts:
        if not cols:
            yield Chunk(np.empty(0), np.empty(0), None, source, start, nbytes)
            continue
        t, p, w = _assemble(cols, spec, threshold, source.name)
        g = None if spec.group is None else cols[spec.group]
        yield Chunk(t, p, w, source, start, nbytes, g)
        start += t.shape[0]
    _check_unchanged(source)
    yield Chunk(np.empty(0), np.empty(0), None, source, start, 0, last=True)


def read_ahead(sources: Iterator[tuple[Source, Iterator[Any]]],
               ahead: int) -> Iterator[tuple[Source, Iterator[Any]]]:
    """The same ``(source, items)`` pairs, up to ``ahead`` sources read at once: the one
    taken and those after it, each by a thread of its own that stays one item ahead
    (a file's pyarrow scanner keeps its own few batches on top); ``ahead < 1``: no
    threads, each item read when it is taken.

    The caller consumes a source's items before taking the next source. Errors come in
    order: a broken file is reported when its turn comes, after the files before it.
    """
    if ahead < 1:
        yield from sources
        return
    sources = iter(sources)
    started: collections.deque[tuple[Source, _Producer]] = collections.deque()
    try:
        while True:
            for source, items in itertools.islice(sources, ahead - len(started)):
                started.append((source, _Producer(items, 1)))
            if not started:
                return
            source, producer = started.popleft()
            try:
                yield source, iter(producer)
            finally:
                producer.close()
    finally:
        for _, producer in started:
            producer.close()


class _Producer:
    """An iterator read by a thread of its own, up to ``depth`` items ahead of the caller
    (who iterates this object once). An error is raised to the caller at the item where it
    happened; :meth:`close` stops the thread when the caller stops early."""

    def __init__(self, items: Iterator[Any], depth: int) -> None:
        self.items = items
        self.box: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._read, name="fastf1-reader", daemon=True)
        self.thread.start()

    def _put(self, item: Any) -> bool:
        while not self.stop.is_set():
            try:
                self.box.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _read(self) -> None:
        try:
            for item in self.items:
                if not self._put(item):
                    return
            self._put(_END)
        except BaseException as exc:  # handed to the caller, raised there
            self._put(_Failed(exc))

    def __iter__(self) -> Iterator[Any]:
        while True:
            item = self.box.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.exc.with_traceback(item.exc.__traceback__)
            yield item

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        close = getattr(self.items, "close", None)
        if close is not None:
            close()


_END = object()


class _Failed(NamedTuple):
    exc: BaseException


def _check_unchanged(source: Source) -> None:
    """A file that shrank, grew or was rewritten while it was read gave rows of neither
    version: an error, never a count."""
    if not source.stamps:
        return
    infos = source.fs.get_file_info([source.fs_path(p) for p in source.paths])
    for path, info, (size, mtime) in zip(source.paths, infos, source.stamps):
        now = (int(info.size or 0), int(info.mtime_ns or 0))
        if now != (size, mtime):
            what = (f"{size:,} -> {now[0]:,} bytes" if now[0] != size
                    else "modified")
            raise ValueError(f"{source.prefix}{path}: the file changed while it was read "
                             f"({what}); its counts would mix two versions")
