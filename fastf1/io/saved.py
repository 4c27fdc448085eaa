"""Saved runs: the counts of a scoring run, the options that made them and the files counted.

A saved run is one JSON document (format ``fastf1.counts``, kind ``run``)::

    {"format": "fastf1.counts", "version": 1, "kind": "run",
     "options": {"true": "label", "pred": "pred", "sample_weight": null,
                 "threshold": null, "group_by": null, "where": null},
     "n_rows": 1000000,
     "files": [{"uri": "s3://bucket/dump/day=1/part-0.parquet", "size": 1234,
                "mtime_ns": 1764547200000000000}, ...],
     "counts": {... a StatScores or ByGroup document ...},
     "scores": null}

``"scores"`` is null for label counts; a run over a column of scores (or a matrix of class
scores) holds its score histograms there (see ``fastf1.io.scores``)::

    {"format": "fastf1.counts", "version": 1, "kind": "scores", "mode": "column",
     "report_threshold": 0.5, "log_loss": {"sum": 0.0, "weight": 0.0},
     "histograms": [{... a ScoreHistogram document (ScoreHistogram.to_json) ...}]}

A run that also counted top-k hits (``fastf1 score --top-k K``) has one more key,
``"top_k": {"k": K, "counts": {... a TopKCounts document, or a ByGroup-shaped document of
them with group_by ...}}``; runs without it are written as before.

``fastf1 score --save`` writes it after every file it finishes (atomically: a killed run
leaves the previous complete document), ``--resume`` continues from it, and
``fastf1 report`` merges several.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

from .. import _json
from ..counts import ByGroup, StatScores
from ..scorecard import TopKCounts
from .scores import ScoreTally

#: the options a run's counts depend on: counts made with others cannot be merged
OPTIONS = ("true", "pred", "sample_weight", "threshold", "group_by", "where")


@dataclass
class SavedRun:
    """A run's counts (StatScores, or ByGroup with ``group_by``), options, rows and files;
    a score run's histograms (:class:`fastf1.io.scores.ScoreTally`); and with ``top_k``
    (its k) the top-k hits (TopKCounts, or ByGroup of them)."""

    options: dict[str, Any]
    counts: Any
    n_rows: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)
    scores: ScoreTally | None = None
    top_k: int | None = None
    top_k_counts: Any = None

    def to_data(self) -> dict[str, Any]:
        """The run as the JSON-ready document of the module docstring."""
        data = {"format": _json.FORMAT, "version": _json.COUNTS_VERSION, "kind": "run",
                "options": {k: list(v) if k == "pred" and isinstance(v, (list, tuple))
                            else _json.encode_scalar(v) for k, v in self.options.items()},
                "n_rows": self.n_rows, "files": self.files,
                "counts": json.loads(self.counts.to_json()),
                "scores": None if self.scores is None else self.scores.to_data()}
        if self.top_k is not None:
            data["top_k"] = {"k": self.top_k, "counts": _top_k_data(self.top_k_counts)}
        return data

    def save(self, path: str | os.PathLike) -> None:
        """Write atomically: readers (and a resumed run) see the old or the new document."""
        path = os.fspath(path)
        folder = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(prefix=".fastf1-", suffix=".json", dir=folder)
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(self.to_data(), f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def run_options(true: str, pred: Any, sample_weight: Any, threshold: Any, group_by: Any,
                where: Any) -> dict[str, Any]:
    """The options a run's counts depend on, by name (:data:`OPTIONS`)."""
    pred = pred if isinstance(pred, str) else list(pred)
    return dict(zip(OPTIONS, (true, pred, sample_weight, threshold, group_by, where)))


def load_run(path: str | os.PathLike) -> SavedRun:
    """Read a saved run; ValueError (one line, naming the file) if it is not one."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            data = json.load(f)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"{name}: not fastf1 counts (not JSON: {exc})") from None
    try:
        return _from_data(data)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def _from_data(data: Any) -> SavedRun:
    _json.check_header(data, "run")
    options = data.get("options")
    if not isinstance(options, dict) or set(options) != set(OPTIONS):
        raise _json.NotCounts(f"options: expected the keys {', '.join(OPTIONS)}")
    if isinstance(options["pred"], list) and not all(
            isinstance(c, str) for c in options["pred"]):
        raise _json.NotCounts("options: pred must name a column or a list of columns")
    options = {k: (v if isinstance(v, list) and k == "pred" else _json.decode_scalar(v, k))
               for k, v in options.items()}
    n_rows, files = data.get("n_rows"), data.get("files")
    if isinstance(n_rows, bool) or not isinstance(n_rows, int) or n_rows < 0:
        raise _json.NotCounts("n_rows: expected a count")
    if not isinstance(files, list) or not all(_is_file_key(f) for f in files):
        raise _json.NotCounts("files: expected a list of {uri, size, mtime_ns}")
    counts = data.get("counts")
    kind = counts.get("kind") if isinstance(counts, dict) else None
    stats: Any = (ByGroup._from_data(counts) if kind == "ByGroup"
                  else StatScores._from_data(counts))
    if (options["group_by"] is None) != (kind != "ByGroup"):
        raise _json.NotCounts("counts: per-group counts go with a group_by option")
    scores = data.get("scores")
    tally = None if scores is None else ScoreTally.from_data(scores)
    if tally is not None and (kind == "ByGroup" or options["threshold"] is not None):
        raise _json.NotCounts("scores: score histograms go without group_by and threshold")
    k, hits = _top_k_from_data(data.get("top_k"), kind == "ByGroup")
    return SavedRun(options, stats, n_rows, files, tally, k, hits)


def _top_k_data(hits: Any) -> dict[str, Any]:
    if isinstance(hits, ByGroup):
        return {"format": _json.FORMAT, "version": _json.COUNTS_VERSION, "kind": "ByGroup",
                "groups": [[_json.encode_scalar(g), c._to_data()] for g, c in hits.items()]}
    return hits._to_data()


def _top_k_from_data(data: Any, grouped: bool) -> tuple[int | None, Any]:
    """(k, hits) of a run's "top_k" entry; (None, None) for a run without one."""
    if data is None:
        return None, None
    k = data.get("k") if isinstance(data, dict) else None
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise _json.NotCounts("top_k: expected {\"k\": a positive integer, \"counts\": ...}")
    counts = data["counts"] if isinstance(data.get("counts"), dict) else {}
    if grouped:
        _json.check_header(counts, "ByGroup")
        groups = counts.get("groups")
        if not isinstance(groups, list) or not all(
                isinstance(g, list) and len(g) == 2 for g in groups):
            raise _json.NotCounts("top_k: expected a list of [group, counts] pairs")
        hits: Any = ByGroup(_json.decode_groups(groups, TopKCounts._from_data))
        values = list(hits.values())
    else:
        hits = TopKCounts._from_data(counts)
        values = [hits]
    if any(c.k != k for c in values):
        raise _json.NotCounts("top_k: counts of another k")
    return k, hits


def _is_file_key(f: Any) -> bool:
    return (isinstance(f, dict) and set(f) == {"uri", "size", "mtime_ns"}
            and isinstance(f["uri"], str)
            and all(isinstance(f[k], int) and not isinstance(f[k], bool)
                    for k in ("size", "mtime_ns")))


def merge_runs(runs: list[tuple[str, SavedRun]]) -> SavedRun:
    """One run from several: refused when their options differ or a file was counted in two
    (its rows would count twice)."""
    name0, first = runs[0]
    total = SavedRun(dict(first.options), first.counts, first.n_rows, list(first.files),
                     first.scores, first.top_k, first.top_k_counts)
    seen = {f["uri"]: name0 for f in first.files}
    for name, run in runs[1:]:
        for key, theirs, ours in [*((key, run.options[key], first.options[key])
                                    for key in OPTIONS), ("top_k", run.top_k, first.top_k)]:
            if theirs != ours:
                raise ValueError(
                    f"{name}: counts made with other options than {name0} ({key} "
                    f"{theirs!r}, not {ours!r}); they cannot be merged")
        for f in run.files:
            if f["uri"] in seen:
                raise ValueError(f"{name}: {f['uri']} was also counted in {seen[f['uri']]}; "
                                 "merging would count its rows twice")
            seen[f["uri"]] = name
        total.scores = _merged_scores(total.scores, run.scores, name, name0)
        total.counts = total.counts + run.counts
        if total.top_k is not None:
            total.top_k_counts = total.top_k_counts + run.top_k_counts
        total.n_rows += run.n_rows
        total.files += run.files
    return total


def _what(tally: ScoreTally | None) -> str:
    return "label counts" if tally is None else f"the histograms of a score {tally.mode}"


def _merged_scores(a: ScoreTally | None, b: ScoreTally | None, name: str,
                   name0: str) -> ScoreTally | None:
    """The score histograms of two runs added; refused unless both hold the same kind of
    histograms, of the same binning."""
    if a is None and b is None:
        return None
    if a is None or b is None or a.mode != b.mode:
        raise ValueError(f"{name}: holds {_what(b)}, {name0} {_what(a)}; they cannot be merged")
    binnings = {(h.bins, h.calibration_bins) for h in a.histograms + b.histograms}
    if len(binnings) > 1:
        shown = " and ".join(f"bins={x}, calibration_bins={y}" for x, y in sorted(binnings))
        raise ValueError(f"{name}: score histograms of another binning than {name0}'s "
                         f"({shown}); they cannot be merged")
    try:
        return a + b
    except ValueError as exc:
        raise ValueError(f"{name}: cannot be merged with {name0}: {exc}") from None
