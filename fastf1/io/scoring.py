"""Scoring: chunks counted into one :class:`fastf1.StatScores` (or a ByGroup of them)."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from .. import _chunked, _validation
from .._confusion import confusion_counts, merge_confusion_counts
from ..counts import ByGroup, StatScores, _count_by_group
from ..scorecard import TopKCounts, _check_k
from ._errors import _one_line
from .arrow import with_where
from .chunks import DEFAULT_CHUNK_ROWS, Chunk, _check_chunk_rows, _chunks, _Columns, _spec
from .progress import Progress, ProgressBar
from .saved import SavedRun, load_run, run_options
from .scores import ScoreTally, is_scores
from .sources import Source, resolve_sources


class _Confusion:
    """The confusion counts summed over chunks; given up past ``max_labels`` labels."""

    def __init__(self, max_labels: int) -> None:
        self.max_labels = max_labels
        self.acc: Any = None  # (labels, int64 matrix, float64 weighted matrix or None)
        self.gave_up = False

    def add(self, t: np.ndarray, p: np.ndarray, w: Any, threshold: Any) -> None:
        if self.gave_up:
            return
        if t.ndim == 2:  # multilabel: no K x K matrix
            self.gave_up = True
            return
        if threshold is not None and p.ndim == 1:
            p = (p >= threshold).astype(np.int64)  # the 0 / 1 prediction the counts used
        inp = _validation.prepare(t, p, w, None, allow_all_zero_weights=True, device="cpu")
        if inp is None:  # an empty chunk adds nothing
            return
        self.acc = merge_confusion_counts(self.acc, confusion_counts(inp, None, None))
        if self.acc[0].size > self.max_labels:
            self.gave_up, self.acc = True, None

    @property
    def result(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        if self.gave_up or self.acc is None:
            return None, None
        labels, cm, wcm = self.acc
        return labels, cm if wcm is None else wcm


class ScoreResult(NamedTuple):
    """What :func:`count_files` found: the counts, the rows read and the confusion matrix if asked.

    Attributes
    ----------
    stats : StatScores
        The counts of every row (with ``group_by``, the sum of the groups' counts).
    n_rows : int
        Rows read.
    n_files : int
        Files read.
    confusion_labels : ndarray or None
        The labels of the confusion matrix's rows and columns.
    confusion : ndarray or None
        The summed confusion matrix, when asked for and within ``confusion_max_labels``.
    by_group : ByGroup or None
        With ``group_by``: the counts of each group.
    scores : ScoreTally or None
        With ``scores=True``, on a column of scores or a matrix of class scores: their
        histograms (``fastf1.io.scores``); ``stats`` then counts the labels they predict.
    top_k : TopKCounts or None
        With ``top_k``: the top-k hits of every row.
    top_k_by_group : ByGroup or None
        With ``top_k`` and ``group_by``: the top-k hits of each group.
    """

    stats: StatScores
    n_rows: int
    n_files: int
    confusion_labels: np.ndarray | None
    confusion: np.ndarray | None
    by_group: ByGroup | None = None
    scores: ScoreTally | None = None
    top_k: TopKCounts | None = None
    top_k_by_group: ByGroup | None = None


class _Counted(NamedTuple):
    """What one pass over sources counted: the counts, the rows, a score run's histograms,
    and (with a top_k) the top-k hits."""

    counts: Any
    n_rows: int
    scores: ScoreTally | None = None
    top_k: Any = None


def _add(a: Any, b: Any) -> Any:
    """A + b, where None adds nothing."""
    return a if b is None else b if a is None else a + b


def _add_counted(a: _Counted, b: _Counted) -> _Counted:
    return _Counted(a.counts + b.counts, a.n_rows + b.n_rows, _add(a.scores, b.scores),
                    _add(a.top_k, b.top_k))


def count_files(
    sources: Any, *, true: str, pred: str | Sequence[str], sample_weight: str | None = None,
    threshold: Any = None, labels: Any = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
    format: str | None = None, progress: Progress | None = None, confusion_max_labels: int = 0,
    device: str = "auto", scheduler: Any = None, group_by: str | None = None,
    where: str | None = None, save: str | os.PathLike | None = None, resume: bool = False,
    scores: bool = False, top_k: int | None = None,
) -> ScoreResult:
    """Count files as :func:`score_files` does, and say what the run read.

    :func:`score_files` is the Python entry point and returns just the counts; this is the
    front ends' form (``fastf1 score``): the counts of every row, the rows and files read, and
    (for up to ``confusion_max_labels`` labels, not for a resumed run) the summed confusion
    matrix.

    Parameters
    ----------
    sources : str, path-like, Source, or a list of them
        Files, directories (their files of a supported type, recursively, skipping names that
        start with ``.`` or ``_``) and glob patterns, local or by URI (``s3://...``), read one
        after the other as one data set; ``key=value`` folders are partition columns.
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
        Binary scores: a row is a positive prediction when ``score >= threshold``.
    labels : array-like, optional
        The labels you expect; only helps the counting pass guess the label range.
    chunk_rows : int, default 2**20
        The most rows held in memory at once (a Parquet row group or an Arrow record batch is
        decoded whole by pyarrow).
    format : {"parquet", "ipc", "csv", "npy", "npz"}, optional
        Read every file as this format, whatever its suffix.
    progress : callable, optional
        Called as ``progress(rows, nbytes)`` after every chunk.
    confusion_max_labels : int, default 0
        Also sum the confusion matrix, for up to this many labels (single-label data only, not with
        ``scheduler``); 0: not at all.
    device : {"auto", "cpu", "cuda"}, default "auto"
        Where each chunk is counted, as for the metric functions: "cuda" streams each chunk through
        the GPU.
    scheduler : str or distributed.Client, optional
        Count on a running Dask cluster instead: each file is read and counted by a worker (so the
        workers must see the same paths), and the counts are summed in a tree.
    group_by : str, optional
        A column of groups (numbers or strings): every group is counted in the same pass.
    where : str, optional
        A SQL boolean expression over the columns, pushed down into the scan (see
        :func:`score_files`).
    save : path, optional
        Write the counts, options and files counted to this JSON file after every file.
    resume : bool, default False
        Go on from the run saved at ``save``, skipping the files counted there.
    scores : bool, default False
        When the predictions are scores (the first chunk's ``pred`` is a float column
        holding a non-integer and there is no ``threshold``, or a float matrix of class
        scores), also count them into score histograms (``ScoreResult.scores``): ROC AUC,
        average precision, log loss, Brier and calibration in the same pass; the label
        counts are then those of ``score >= 0.5`` (a column) or of the argmax (a matrix).
        Not with ``group_by`` or ``scheduler``. Saved with the run, and resumed.
    top_k : int, optional
        Also count the top-k hits of a score matrix (``pred`` holds K class scores per row,
        class j in column j, so ``true`` holds column indices) in the same read: additive
        counts (:class:`fastf1.TopKCounts`), per group too, saved and resumed with the run.
        A ``pred`` of labels or of one score per row is an error.

    Returns
    -------
    ScoreResult
        The counts (their total, and per group with ``group_by``), the rows and files read, and the
        confusion matrix if asked.

    Raises
    ------
    FileNotFoundError
        A source that does not exist.
    ValueError
        No rows to score, a missing column, a corrupt file, or bad values (the message names the
        file and the row range).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import count_files
    >>> path = os.path.join(tempfile.mkdtemp(), "dump.npz")
    >>> np.savez(path, y=np.array([0, 1, 2, 2]), yhat=np.array([0, 2, 2, 2]))
    >>> result = count_files(path, true="y", pred="yhat", confusion_max_labels=10)
    >>> result.n_rows, result.confusion_labels
    (4, array([0, 1, 2]))
    >>> result.confusion
    array([[1, 0, 0],
           [0, 0, 1],
           [0, 0, 2]])
    """
    resolved = resolve_sources(sources, format)
    _check_chunk_rows(chunk_rows)
    spec = _spec(true, pred, sample_weight, group_by)
    if where is not None:
        resolved = with_where(resolved, where)
    if scores and (group_by is not None or scheduler is not None):
        raise ValueError("scores=True counts one score column or matrix: not with group_by "
                         "or scheduler")
    options = run_options(true, pred, sample_weight, threshold, group_by, where)
    if top_k is not None:
        _check_k(top_k)
    saved = _resumed(save, options, top_k) if resume else None
    n_saved = len(saved.files) if saved is not None else 0
    if saved is not None:
        resolved = _not_counted(resolved, saved, save)
        confusion_max_labels = 0 if saved.files else confusion_max_labels
    hint = None
    if labels is not None:
        hint = np.asarray(labels)
        hint = hint if hint.dtype.kind in "biuf" and hint.size else None
    count = dict(spec=spec, threshold=threshold, labels=hint, chunk_rows=int(chunk_rows),
                 device=device, top_k=top_k)
    tally = None
    if scheduler is not None:
        stats, n_rows, _, hits = _count_on_cluster(resolved, scheduler, count)
        cm_labels = cm = None
        if saved is not None:
            stats, n_rows, hits = (saved.counts + stats, saved.n_rows + n_rows,
                                   _add(saved.top_k_counts, hits))
        if save is not None:  # the workers count in parallel: saved once, at the end
            files = (saved.files if saved is not None else []) + [
                k for s in resolved for k in s.keys]
            SavedRun(options, stats, n_rows, files, top_k=top_k, top_k_counts=hits).save(save)
    else:
        confusion = _Confusion(confusion_max_labels) if confusion_max_labels > 0 else None
        run = None
        if save is not None:
            run = saved if saved is not None else SavedRun(
                options, _empty(spec, threshold), top_k=top_k,
                top_k_counts=_empty_top_k(spec, top_k))
        stats, n_rows, tally, hits = _count_sources(
            resolved, progress=progress, confusion=confusion, run=run, save=save,
            scores=scores, resumed=saved, **count)
        cm_labels, cm = confusion.result if confusion is not None else (None, None)
    by_group = hits_by_group = None
    if isinstance(stats, ByGroup):  # every row is in one group: the total is their sum
        by_group, stats = stats, sum(stats.values(), StatScores(threshold=threshold))
    if isinstance(hits, ByGroup):
        assert top_k is not None  # hits are counted only for a top_k
        hits_by_group, hits = hits, sum(hits.values(), TopKCounts(top_k))
    if stats.labels is None:
        names = ", ".join(s.name for s in resolved)
        raise ValueError(f"no rows to score in {names}")
    n_files = sum(len(s.paths) for s in resolved) + n_saved
    return ScoreResult(stats, n_rows, n_files, cm_labels, cm, by_group, tally, hits,
                       hits_by_group)


def _empty(spec: _Columns, threshold: Any) -> Any:
    return StatScores(threshold=threshold) if spec.group is None else ByGroup()


def _empty_top_k(spec: _Columns, top_k: int | None) -> Any:
    if top_k is None:
        return None
    return TopKCounts(top_k) if spec.group is None else ByGroup()


def _top_k_of(chunk: Chunk, top_k: int, grouped: bool) -> Any:
    """The top-k hits of one chunk (a ByGroup of them when ``grouped``)."""
    t, p = chunk.y_true, chunk.y_pred
    if t.ndim != 1 or p.ndim != 2 or p.dtype.kind != "f":
        what = "multilabel indicators" if t.ndim != 1 else (
            "one score per row" if p.dtype.kind == "f" else "labels")
        raise ValueError(f"top-k accuracy needs a matrix of class scores (K per row); "
                         f"y_pred holds {what}")
    if grouped:
        return TopKCounts.by_group(t, p, chunk.groups, k=top_k, sample_weight=chunk.sample_weight)
    return TopKCounts(top_k).update(t, p, chunk.sample_weight)


def _resumed(save: Any, options: dict[str, Any], top_k: int | None = None) -> SavedRun | None:
    """The run saved at ``save`` to go on from (None if there is none yet)."""
    if save is None:
        raise ValueError("resume needs the file the run is saved to (save=)")
    if not os.path.exists(save):
        return None
    run = load_run(save)
    for key, theirs, ours in [*((key, run.options[key], options[key]) for key in options),
                              ("top_k", run.top_k, top_k)]:
        if theirs != ours:
            raise ValueError(
                f"{os.fspath(save)}: saved by a run with other options ({key} "
                f"{theirs!r}, not {ours!r}); resume it with the same "
                "options, or save to another file")
    return run


def _not_counted(sources: list[Source], run: SavedRun, save: Any) -> list[Source]:
    """The sources a resumed run has still to count; a counted file that has changed since
    is an error (its old rows are in the saved counts)."""
    counted = {f["uri"]: (f["size"], f["mtime_ns"]) for f in run.files}
    rest = []
    for source in sources:
        keys = source.keys
        done = [k for k in keys if k["uri"] in counted]
        for k in done:
            if counted[k["uri"]] != (k["size"], k["mtime_ns"]):
                raise ValueError(f"{k['uri']}: changed since it was counted into "
                                 f"{os.fspath(save)}; start a new run")
        if len(done) < len(keys):
            if done:
                raise ValueError(f"{source.name}: only some of its files were counted into "
                                 f"{os.fspath(save)}; start a new run")
            rest.append(source)
    return rest


def _count_sources(sources: list[Source], *, spec: _Columns, threshold: Any, labels: Any,
                   chunk_rows: int, device: str, progress: Progress | None = None,
                   confusion: _Confusion | None = None, run: SavedRun | None = None,
                   save: Any = None, scores: bool = False,
                   resumed: SavedRun | None = None, top_k: int | None = None) -> _Counted:
    """The counts, rows and (a score run) score histograms of the sources, read chunk by
    chunk in this process (the counts are a ByGroup of them with ``spec.group``), added to
    ``run``'s and saved with it when ``save`` is given: after every source, unless saving
    takes long (large score histograms), then as often as :class:`_SaveClock` allows; and
    when the run stops on an error, with the files counted whole before it.

    With ``scores``, the first chunk tells a score run from a label run, unless the run
    resumed (``resumed``) has counted files already: then it goes on as that run did. With
    ``top_k``, the top-k hits of every chunk are counted too.
    """
    counting = _Counting(spec, threshold, scores, resumed, top_k)
    count = dict(labels=labels, device=device, confusion=confusion)
    dictionaries = _dictionary_labels(spec, threshold, scores, top_k, device)
    try:
        for chunk in _chunks(sources, spec, threshold, chunk_rows, None, dictionaries):
            if chunk.last:
                if run is not None:
                    counting.file_done(chunk.source, run, save)
                continue
            counting.count(chunk, **count)
            if progress is not None:
                progress(chunk.y_true.shape[0], chunk.nbytes)
    finally:
        if run is not None and counting.done:
            counting.flush(run, save)  # the files counted whole (on an error too)
    if run is not None:
        return _Counted(run.counts, run.n_rows, run.scores, run.top_k_counts)
    return _Counted(counting.stats, counting.n_rows, counting.tally, counting.hits)


def _dictionary_labels(spec: _Columns, threshold: Any, scores: bool, top_k: int | None,
                       device: str) -> tuple[str, ...]:
    """The label columns that may be read as dictionaries (``_validation.DictionaryLabels``):
    both, when the predictions are labels counted on the CPU (no threshold, no score run,
    no top-k); then a column of strings that a Parquet file stores dictionary-encoded is
    counted from its indices, without gathering its values."""
    if (threshold is not None or scores or top_k is not None or device == "cuda"
            or not isinstance(spec.pred, str)):
        return ()
    return (spec.true, spec.pred)


class _Counting:
    """The state of one pass: the counts of the file being read, and those of the files
    counted whole since the run was last saved."""

    def __init__(self, spec: _Columns, threshold: Any, scores: bool,
                 resumed: SavedRun | None, top_k: int | None = None) -> None:
        self.spec, self.threshold, self.top_k = spec, threshold, top_k
        self.stats: Any = _empty(spec, threshold)
        self.hits: Any = _empty_top_k(spec, top_k)
        self.n_rows = 0
        self.tally: ScoreTally | None = None
        self.decided = not scores
        if resumed is not None and resumed.files:
            self.decided = True
            self.tally = None if resumed.scores is None else ScoreTally(resumed.scores.mode)
        self.pending = _Counted(_empty(spec, threshold), 0)
        self.done: list[dict[str, Any]] = []
        self.clock = _SaveClock()

    def count(self, chunk: Chunk, *, labels: Any, device: str,
              confusion: _Confusion | None) -> None:
        m = chunk.y_true.shape[0]
        if not m:
            return
        spec, threshold = self.spec, self.threshold
        if not self.decided:
            self.decided = True
            if is_scores(chunk.y_pred, threshold):
                self.tally = ScoreTally("matrix" if chunk.y_pred.ndim == 2 else "column")
        tally = self.tally
        try:
            if self.top_k is not None:  # first: its error says what a top_k needs
                self.hits = self.hits + _top_k_of(chunk, self.top_k, spec.group is not None)
            p = chunk.y_pred if tally is None else tally.label_prediction(chunk.y_pred)
            if spec.group is None:
                self.stats.update(chunk.y_true, p, chunk.sample_weight, labels=labels,
                                  device=device)
            else:
                self.stats = self.stats + _count_by_group(
                    chunk.y_true, p, chunk.sample_weight, threshold, None, labels, device,
                    chunk.groups, allow_all_zero_weights=True)
            if tally is not None:
                tally.add(chunk.y_true, chunk.y_pred, chunk.sample_weight)
            if confusion is not None:
                confusion.add(chunk.y_true, p, chunk.sample_weight, threshold)
        except (ValueError, TypeError) as exc:
            where = (f"{chunk.source.name} (rows {chunk.start}..{chunk.start + m - 1}; "
                     f"y_true = {spec.true!r}, y_pred = {spec.pred!r})")
            raise type(exc)(f"{where}: {_one_line(exc)}") from None
        self.n_rows += m

    def file_done(self, source: Source, run: SavedRun, save: Any) -> None:
        """Every row of ``source`` is counted: its counts join those waiting to be saved."""
        self.pending = _add_counted(self.pending, _Counted(self.stats, self.n_rows, self.tally,
                                                           self.hits))
        self.stats, self.n_rows = _empty(self.spec, self.threshold), 0
        self.hits = _empty_top_k(self.spec, self.top_k)
        self.tally = None if self.tally is None else ScoreTally(self.tally.mode)
        self.done.extend(source.keys)
        if self.clock.due():
            self.flush(run, save)

    def flush(self, run: SavedRun, save: Any) -> None:
        """Add the files counted whole to ``run`` and save it."""
        pending = self.pending
        run.counts, run.n_rows = run.counts + pending.counts, run.n_rows + pending.n_rows
        run.scores = _add(run.scores, pending.scores)
        run.top_k_counts = _add(run.top_k_counts, pending.top_k)
        run.files += self.done
        self.done = []
        self.pending = _Counted(_empty(self.spec, self.threshold), 0)
        with self.clock:
            run.save(save)


class _SaveClock:
    """When to save a run: after every file, unless saving took long; then once at least
    ``1 / SAVE_SHARE - 1`` times the last save's duration has passed since it ended, so
    that saving takes at most ``SAVE_SHARE`` of the run (a score run's histograms can
    take a second to write) and a killed run loses only the files read since."""

    def __init__(self) -> None:
        self.ended = self.took = 0.0

    def due(self) -> bool:
        return time.monotonic() - self.ended >= self.took * (1 / SAVE_SHARE - 1)

    def __enter__(self) -> None:
        self.started = time.monotonic()

    def __exit__(self, *exc: Any) -> None:
        self.ended = time.monotonic()
        self.took = self.ended - self.started


#: the most of a run's time spent saving it
SAVE_SHARE = 0.1


def _count_on_cluster(sources: list[Source], scheduler: Any,
                      count: dict[str, Any]) -> _Counted:
    """The counts and rows with every file read and counted on a worker of a Dask cluster.

    ``scheduler`` is a scheduler address (``"tcp://host:8786"``) or a
    ``distributed.Client``. The workers open the files themselves, so the paths must mean the
    same there (a shared file system); one source (a file, or a folder of ``.npy`` columns)
    is one task, and the per-source counts are summed in a tree.
    """
    try:
        import dask
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("scheduler= needs Dask: pip install 'fastf1-metrics[dask]'") from None
    task = dask.delayed(_count_sources, pure=False)
    empty = StatScores(threshold=count["threshold"]) if count["spec"].group is None else ByGroup()
    total = _chunked.tree_sum([task([source], **count) for source in sources], _add_counted,
                              lambda: _Counted(empty, 0))
    if isinstance(scheduler, Client):
        return scheduler.compute(total).result()
    with Client(scheduler) as client:
        return client.compute(total).result()


def score_files(
    sources: Any, *, true: str, pred: str | Sequence[str], sample_weight: str | None = None,
    threshold: Any = None, labels: Any = None, chunk_rows: int = DEFAULT_CHUNK_ROWS,
    format: str | None = None, progress: Progress | bool | None = None, device: str = "auto",
    scheduler: Any = None, group_by: str | None = None, where: str | None = None,
    save: str | os.PathLike | None = None, resume: bool = False,
) -> Any:
    """Count prediction files on disk into one :class:`fastf1.StatScores`, chunk by chunk.

    Parameters
    ----------
    sources : path, URI, glob pattern, or list of them
        Parquet, Arrow IPC / Feather, CSV (also ``.csv.gz``), ``.npy`` or ``.npz`` files, or
        directories of them, local or by URI (``s3://bucket/dump/``, ``gs://``, ``abfs://``,
        ``hdfs://``, or any fsspec scheme); read one after the other as one data set. The
        ``key=value`` folders of a hive-partitioned dataset are columns too.
    true : str
        The column (or array) of true labels.
    pred : str or list of str
        The column of predicted labels, of scores (with ``threshold``) or of K-score rows
        (argmax); or K score columns (argmax).
    sample_weight : str, optional
        The column of sample weights.
    threshold : float, optional
        Binary scores: a row is predicted positive when ``score >= threshold``.
    labels : array-like, optional
        The labels you expect; only helps the counting guess the label range.
    chunk_rows : int
        The most rows held in memory at once (default 2**20).
    format : str, optional
        Read every file as this format ("parquet", "ipc", "csv", "npy", "npz").
    progress : callable or bool, optional
        ``progress(rows, nbytes)`` after every chunk; True shows a tqdm bar on stderr.
    device : {"auto", "cpu", "cuda"}
        Where each chunk is counted (as for the metric functions).
    scheduler : str or distributed.Client, optional
        Count on a running Dask cluster instead: each file is read and counted by a worker
        (so the workers must see the same paths), and the counts are summed in a tree.
    group_by : str, optional
        A column of groups (numbers or strings): count every group in the same pass.
    where : str, optional
        A SQL boolean expression over the columns, partition columns included (``model =
        'v2' and day >= '2026-11-01'``): only matching rows are counted, and it is pushed
        down into the scan, so partitions and Parquet row groups that cannot match are not
        read. Parquet, Arrow IPC files and CSV only.
    save : path, optional
        Write the counts, with these options and the files counted, to this JSON file
        after every file (see ``fastf1.io.saved``).
    resume : bool
        Go on from the counts saved at ``save``: files counted there are skipped.

    Returns
    -------
    StatScores, or a ByGroup of them with ``group_by``
        Its metrics equal scikit-learn's on the concatenated rows (of each group).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import score_files
    >>> path = os.path.join(tempfile.mkdtemp(), "dump.npz")
    >>> np.savez(path, y=np.array([0, 1, 2, 2]), yhat=np.array([0, 2, 2, 2]))
    >>> s = score_files(path, true="y", pred="yhat", chunk_rows=3)
    >>> round(s.f1_score(average="macro"), 4)
    0.6
    """
    resolved = resolve_sources(sources, format)
    def run(bar: Any) -> Any:
        result = count_files(resolved, true=true, pred=pred, sample_weight=sample_weight,
                             threshold=threshold, labels=labels, chunk_rows=chunk_rows,
                             progress=bar, device=device, scheduler=scheduler,
                             group_by=group_by, where=where, save=save, resume=resume)
        return result.stats if group_by is None else result.by_group

    if progress is True:
        with ProgressBar(sum(s.nbytes for s in resolved)) as bar:
            return run(bar)
    return run(progress or None)
