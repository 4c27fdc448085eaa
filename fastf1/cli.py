"""The ``fastf1`` command: score prediction dumps on disk, and a built-in demo.

    fastf1 score preds.parquet --true label --pred pred
    fastf1 score 'dumps/*.parquet' --true y --pred-columns p0,p1,p2 --json
    fastf1 demo --rows 1e7

``main(argv)`` returns the exit status (0 on success, 1 for a bad input, 2 for bad usage)
and never shows a traceback: every failure is one line ``fastf1: error: ...`` on stderr,
printed before anything is written to stdout, so no partial result looks final.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from . import __version__, io
from .counts import StatScores

#: the confusion-matrix heatmap of --plot is drawn up to this many labels
PLOT_CONFUSION_MAX_LABELS = 30
#: per-class bars of --plot: at most this many labels (those with the most support)
PLOT_BARS_MAX_LABELS = 60
#: above this many rows the demo skips scikit-learn (minutes, and the arrays in memory)
DEMO_SKLEARN_MAX_ROWS = 20_000_000
_AVERAGES = ("micro", "macro", "weighted")


class CLIError(Exception):
    """A failure with a message meant for the user as is."""


# ---- argument types --------------------------------------------------------------------------


def _count(text: str) -> int:
    """A positive integer, also written as 1e7 or 10_000_000."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_integer() or value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(value)


def _names(text: str) -> list[str]:
    items = [s.strip() for s in text.split(",")]
    if not all(items):
        raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}")
    return items


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _zero_division(text: str) -> Any:
    if text == "warn":
        return text
    if text in ("0", "1", "nan"):
        return float(text)
    raise argparse.ArgumentTypeError(f"expected warn, 0, 1 or nan, got {text!r}")


def _as_label(text: str, present: np.ndarray, option: str) -> Any:
    """A label typed on the command line, in the dtype of the labels found in the data."""
    kind = present.dtype.kind
    if kind in "US":
        return text
    try:
        if kind == "b":
            if text.lower() not in ("0", "1", "true", "false"):
                raise ValueError
            return text.lower() in ("1", "true")
        value = float(text)
        if kind in "iu":
            if not value.is_integer():
                raise ValueError
            return int(value)
        return value
    except ValueError:
        raise CLIError(
            f"{option}: {text!r} is not a label of this data (its labels are {present.dtype} "
            "numbers)") from None


# ---- the parser ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fastf1",
        description="Precision, recall and F1 of prediction dumps on disk, exactly as "
        "scikit-learn computes them, in one streaming pass.",
        epilog="Run 'fastf1 COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"fastf1 {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub.required = True

    score = sub.add_parser(
        "score", help="score prediction files: Parquet, Arrow/Feather, CSV, .npy, .npz",
        description="Read prediction files chunk by chunk (memory bounded by --chunk-rows, "
        "not by the file size) and print scikit-learn's classification report.",
        epilog="Examples:\n"
        "  fastf1 score preds.parquet --true label --pred pred\n"
        "  fastf1 score 'out/part-*.parquet' --true y --pred-columns p0,p1,p2 --json\n"
        "  fastf1 score scores.csv --true y --pred score --threshold 0.5 --average binary\n"
        "  fastf1 score preds.parquet --true label --pred pred --group-by country\n"
        "  fastf1 score dump/ --true y_true --pred y_pred   # dump/y_true.npy, dump/y_pred.npy",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    score.add_argument(
        "sources", nargs="+", metavar="SOURCE",
        help="a file, a directory of files or a quoted glob; several are read as one data set. "
        "Types by suffix: .parquet .pq .arrow .feather .ipc .csv .csv.gz .npy .npz (the .npy "
        "files of one directory are the columns of one table, named by file name)")
    cols = score.add_argument_group("columns")
    cols.add_argument("--true", required=True, metavar="COL", help="the column of true labels")
    pred = cols.add_mutually_exclusive_group(required=True)
    pred.add_argument(
        "--pred", metavar="COL",
        help="the column of predicted labels; or of scores, with --threshold; or of K scores "
        "per row (a list column or an (n, K) array), scored by argmax")
    pred.add_argument(
        "--pred-columns", type=_names, metavar="C1,C2,...",
        help="K score columns, one per class (class j is column j), scored by argmax")
    cols.add_argument("--sample-weight", metavar="COL", help="a column of sample weights")
    cols.add_argument("--group-by", metavar="COL",
                      help="also score every group of this column (model version, country, "
                      "day) in the same pass: a table of per-group scores (in --json: "
                      "\"groups\")")
    how = score.add_argument_group("scoring")
    how.add_argument("--threshold", type=_finite, metavar="T",
                     help="binary scores: a row is predicted 1 when score >= T")
    how.add_argument("--labels", type=_names, metavar="L1,L2,...",
                     help="report these labels, in this order (scikit-learn's labels=)")
    how.add_argument("--average", choices=["micro", "macro", "weighted", "binary"],
                     help="also print this average on its own line (and in --json)")
    how.add_argument("--pos-label", metavar="L", help="the positive label of --average binary "
                     "(default 1)")
    how.add_argument("--zero-division", type=_zero_division, default="warn", metavar="Z",
                     help="warn (default), 0, 1 or nan: the score when a ratio is 0/0")
    out = score.add_argument_group("output")
    out.add_argument("--json", action="store_true",
                     help="print one JSON object instead of the report")
    out.add_argument("--plot", metavar="FILE.png",
                     help="also write per-class precision/recall/F1 bars (and the confusion "
                     f"matrix for up to {PLOT_CONFUSION_MAX_LABELS} labels) with matplotlib")
    out.add_argument("--digits", type=int, default=2, metavar="N",
                     help="digits in the report (default 2, as scikit-learn)")
    out.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run = score.add_argument_group("reading")
    run.add_argument("--format", choices=io.FORMATS,
                     help="read every file as this format, whatever its suffix")
    run.add_argument("--chunk-rows", type=_count, default=io.DEFAULT_CHUNK_ROWS, metavar="N",
                     help=f"rows per chunk: the memory bound (default {io.DEFAULT_CHUNK_ROWS:,})")
    run.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                     help="where to count (default auto: the CPU for files on disk; cuda "
                     "streams each chunk through the GPU)")
    run.add_argument("--scheduler", metavar="ADDRESS",
                     help="count on a running Dask cluster (e.g. tcp://10.0.0.5:8786): each "
                     "file is read and counted by a worker, so the workers must see the same "
                     "paths; no progress bar, no confusion-matrix heatmap")
    score.set_defaults(func=_cmd_score)

    demo = sub.add_parser(
        "demo", help="write an example prediction dump, score it, compare with scikit-learn",
        description="Write a realistic example prediction dump (imbalanced classes, a model "
        "right about 80% of the time) as Parquet to a temporary folder, score it as "
        "'fastf1 score' does, and time scikit-learn on the same rows where it is installed.")
    demo.add_argument("--rows", type=_count, default=10**7, metavar="N",
                      help="rows in the dump (default 1e7)")
    demo.add_argument("--classes", type=_count, default=20, metavar="K",
                      help="classes (default 20)")
    demo.add_argument("--keep", metavar="DIR",
                      help="write the dump into DIR and keep it (default: a temporary folder, "
                      "removed at the end)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument("--chunk-rows", type=_count, default=io.DEFAULT_CHUNK_ROWS, metavar="N",
                      help=f"rows per chunk (default {io.DEFAULT_CHUNK_ROWS:,})")
    demo.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(func=_cmd_demo)
    return parser


# ---- scoring ---------------------------------------------------------------------------------


def _check_device(device: str) -> None:
    if device == "cuda":
        from ._validation import resolve_device

        try:
            resolve_device("cuda", None)
        except (ValueError, ImportError, RuntimeError) as exc:
            raise CLIError(f"--device cuda: {_message(exc)}") from None


def _run_score(sources: list[io.Source], *, true: str, pred: Any, sample_weight: Any = None,
               threshold: Any = None, chunk_rows: int, quiet: bool, confusion: bool = False,
               device: str = "auto", scheduler: str | None = None,
               group_by: str | None = None) -> tuple[io.ScoreResult, float]:
    """The one scoring path of ``fastf1 score`` and ``fastf1 demo``: (result, seconds)."""
    show = not quiet and scheduler is None and sys.stderr.isatty()
    start = time.perf_counter()
    with io.progress_bar(sum(s.nbytes for s in sources), disable=not show) as progress:
        result = io.score(sources, true=true, pred=pred, sample_weight=sample_weight,
                          threshold=threshold, chunk_rows=chunk_rows, progress=progress,
                          confusion_max_labels=PLOT_CONFUSION_MAX_LABELS if confusion else 0,
                          device=device, scheduler=scheduler, group_by=group_by)
    return result, time.perf_counter() - start


def _plain(x: Any) -> Any:
    """JSON-ready: NumPy scalars to Python, NaN to None."""
    if isinstance(x, np.ndarray):
        return [_plain(v) for v in x.tolist()]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _json_result(result: io.ScoreResult, seconds: float, labels: Any, average: str | None,
                 pos_label: Any, zero_division: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n_rows": result.n_rows,
        "n_files": result.n_files,
        "seconds": round(seconds, 6),
        **_json_scores(result.stats, labels, average, pos_label, zero_division),
    }
    if result.by_group is not None:
        out["groups"] = {str(group): _json_scores(stats, labels, average, pos_label,
                                                  zero_division)
                         for group, stats in result.by_group.items()}
    return out


def _json_scores(stats: StatScores, labels: Any, average: str | None, pos_label: Any,
                 zero_division: Any) -> dict[str, Any]:
    p, r, f, s = stats.precision_recall_fscore_support(
        average=None, labels=labels, zero_division=zero_division)
    out: dict[str, Any] = {
        "labels": _plain(np.asarray(labels if labels is not None else stats.labels)),
        "per_class": {"precision": _plain(p), "recall": _plain(r), "f1": _plain(f),
                      "support": _plain(s)},
    }
    if stats.weighted:
        out["total_weight"] = _plain(stats.total)
    else:
        out["rows"] = _plain(stats.total)
    averages = list(_AVERAGES) + ([average] if average and average not in _AVERAGES else [])
    scores: dict[str, dict[str, Any]] = {"precision": {}, "recall": {}, "f1": {}}
    for avg in averages:
        extra = {"pos_label": pos_label} if avg == "binary" else {}
        ap, ar, af, _ = stats.precision_recall_fscore_support(
            average=avg, labels=labels, zero_division=zero_division, **extra)
        scores["precision"][avg], scores["recall"][avg], scores["f1"][avg] = map(
            _plain, (ap, ar, af))
    out.update(scores)
    if average:
        out["average"] = average
    if not stats.multilabel:
        out["accuracy"] = _plain(stats.accuracy_score())
    return out


def _text_result(result: io.ScoreResult, seconds: float, labels: Any, average: str | None,
                 pos_label: Any, zero_division: Any, digits: int) -> str:
    stats = result.stats
    lines = [stats.classification_report(labels=labels, digits=digits,
                                         zero_division=zero_division).rstrip("\n"), ""]
    d = max(digits, 4)
    if average:
        extra = {"pos_label": pos_label} if average == "binary" else {}
        p, r, f, _ = stats.precision_recall_fscore_support(
            average=average, labels=labels, zero_division=zero_division, **extra)
        lines.append(f"{average} average: precision {p:.{d}f}  recall {r:.{d}f}  f1 {f:.{d}f}")
    f1s = [stats.f1_score(average=a, labels=labels, zero_division=zero_division)
           for a in _AVERAGES]
    lines.append("f1 micro / macro / weighted: " + " / ".join(f"{v:.{d}f}" for v in f1s))
    rate = result.n_rows / seconds / 1e6 if seconds > 0 else float("inf")
    weight = f" (total weight {stats.total:,.6g})" if stats.weighted else ""
    files = f"{result.n_files} file{'s' if result.n_files != 1 else ''}"
    lines.append(f"{result.n_rows:,} rows{weight} from {files} in {seconds:.3f} s "
                 f"({rate:,.1f} M rows/s)")
    if result.by_group is not None:
        lines += ["", *_group_table(result.by_group, labels, average, pos_label,
                                    zero_division, d)]
    return "\n".join(lines)


def _group_table(by_group: Any, labels: Any, average: str | None, pos_label: Any,
                 zero_division: Any, digits: int) -> list[str]:
    """One line of scores per group: rows (or weight), accuracy, F1 averages, --average."""
    heads = ["rows", "accuracy", "f1 micro", "f1 macro", "f1 weighted"]
    if average:
        heads += [f"{average} precision", f"{average} recall", f"{average} f1"]
    rows = []
    for group, stats in by_group.items():
        cells = [f"{stats.total:,.6g}" if stats.weighted else f"{stats.total:,}",
                 "" if stats.multilabel else f"{stats.accuracy_score():.{digits}f}"]
        cells += [f"{stats.f1_score(average=a, labels=labels, zero_division=zero_division):.{digits}f}"
                  for a in _AVERAGES]
        if average:
            extra = {"pos_label": pos_label} if average == "binary" else {}
            cells += [f"{v:.{digits}f}" for v in stats.precision_recall_fscore_support(
                average=average, labels=labels, zero_division=zero_division, **extra)[:3]]
        rows.append([str(group), *cells])
    first = max(len("group"), *(len(r[0]) for r in rows))
    widths = [max(len(h), *(len(r[i + 1]) for r in rows)) for i, h in enumerate(heads)]
    fmt = "  ".join([f"{{:<{first}}}", *(f"{{:>{w}}}" for w in widths)])
    return [f"per group ({len(rows)}):", fmt.format("group", *heads),
            *(fmt.format(*r) for r in rows)]


def _cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    _check_device(args.device)
    if args.plot:
        _need_matplotlib()
    if args.pos_label is not None and args.average != "binary":
        raise CLIError("--pos-label applies to --average binary only")
    sources = io.resolve_sources(args.sources, args.format)
    pred = args.pred if args.pred is not None else args.pred_columns
    result, seconds = _run_score(
        sources, true=args.true, pred=pred, sample_weight=args.sample_weight,
        threshold=args.threshold, chunk_rows=args.chunk_rows, quiet=args.quiet,
        confusion=bool(args.plot), device=args.device, scheduler=args.scheduler,
        group_by=args.group_by)
    present: np.ndarray = result.stats.labels  # type: ignore[assignment]
    labels = None if args.labels is None else [_as_label(x, present, "--labels")
                                               for x in args.labels]
    pos_label = 1 if args.pos_label is None else _as_label(args.pos_label, present, "--pos-label")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if args.json:
            text = json.dumps(_json_result(result, seconds, labels, args.average, pos_label,
                                           args.zero_division), indent=2)
        else:
            text = _text_result(result, seconds, labels, args.average, pos_label,
                                args.zero_division, args.digits)
    if args.plot:
        _plot(result, labels, args.plot)
        if not args.json:
            text += f"\nplot written to {args.plot}"
    for message in dict.fromkeys(" ".join(str(w.message).split()) for w in caught):
        print(f"fastf1: warning: {message}", file=sys.stderr)
    print(text, file=out)
    return 0


# ---- the plot --------------------------------------------------------------------------------


def _need_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CLIError("--plot needs matplotlib: pip install 'fastf1-metrics[plot]'") from None


def _plot(result: io.ScoreResult, labels: Any, path: str) -> None:
    """Per-class precision / recall / F1 bars, and the row-normalised confusion matrix."""
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

    stats = result.stats
    shown = np.asarray(labels if labels is not None else stats.labels)
    p, r, f, s = stats.precision_recall_fscore_support(average=None, labels=shown,
                                                       zero_division=0.0)
    title = "per-class scores"
    if shown.size > PLOT_BARS_MAX_LABELS:
        top = np.sort(np.argsort(-np.asarray(s, float), kind="stable")[:PLOT_BARS_MAX_LABELS])
        shown, p, r, f = shown[top], p[top], r[top], f[top]
        title += f" ({PLOT_BARS_MAX_LABELS} labels with the most support)"
    heat = result.confusion is not None
    fig = Figure(figsize=(13 if heat else 8, 4.8), layout="constrained")
    axes = fig.subplots(1, 2 if heat else 1, squeeze=False)[0]
    ax = axes[0]
    x = np.arange(shown.size)
    for i, (name, values) in enumerate((("precision", p), ("recall", r), ("F1", f))):
        ax.bar(x + (i - 1) * 0.27, np.nan_to_num(values), width=0.27, label=name)
    ax.set_xticks(x)
    ax.set_xticklabels([str(v) for v in shown.tolist()], rotation=90 if shown.size > 12 else 0,
                       fontsize=8)
    ax.set(ylim=(0, 1.15), xlabel="label", title=title)
    ax.legend(fontsize=8, loc="upper center", ncols=3, frameon=False)
    if heat:
        cm_labels: np.ndarray = result.confusion_labels  # type: ignore[assignment]
        cm: np.ndarray = result.confusion  # type: ignore[assignment]
        with np.errstate(invalid="ignore", divide="ignore"):
            normed = np.nan_to_num(cm / cm.sum(axis=1, keepdims=True))
        ax = axes[1]
        im = ax.imshow(normed, cmap="Blues", vmin=0, vmax=1)
        ticks = np.arange(cm_labels.size)
        names = [str(v) for v in cm_labels.tolist()]
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
        ax.set_xticklabels(names, fontsize=7, rotation=90 if cm_labels.size > 12 else 0)
        ax.set_yticklabels(names, fontsize=7)
        ax.set(xlabel="predicted", ylabel="true", title="confusion matrix (rows sum to 1)")
        if cm_labels.size <= 12:
            for i in range(cm_labels.size):
                for j in range(cm_labels.size):
                    ax.text(j, i, f"{normed[i, j]:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if normed[i, j] > 0.5 else "black")
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.suptitle(f"{result.n_rows:,} rows")
    fig.savefig(path, dpi=110)


# ---- the demo --------------------------------------------------------------------------------

_DEMO_FILE_ROWS = 1 << 22
_DEMO_GROUP_ROWS = 1 << 20


def write_demo_dump(folder: str | os.PathLike, rows: int, classes: int, seed: int = 0,
                    **writer_options: Any) -> int:
    """Write an example prediction dump as Parquet files (columns ``label``, ``pred``: int32).

    A Zipf-like class prior (class 0 the most frequent); the model is right on about 80% of
    the rows, more often on frequent classes (90%) than on rare ones (55%), and its mistakes go
    to a neighbouring class (60%) or to a class drawn from the prior (40%: models over-predict
    frequent classes). Written 2**20 rows at a time (one row group each, 4 row groups per
    file), so memory stays small. ``writer_options`` go to ``pyarrow.parquet.ParquetWriter``
    (e.g. ``compression="none", use_dictionary=False``). Returns the bytes written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if classes < 2:
        raise CLIError("--classes must be at least 2")
    rng = np.random.default_rng(seed)
    prior = 1.0 / np.arange(1, classes + 1) ** 1.2
    cdf = np.cumsum(prior / prior.sum())
    cdf[-1] = 1.0
    right = 0.9 - 0.35 * np.linspace(0, 1, classes) ** 0.7  # P(correct | class)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([("label", pa.int32()), ("pred", pa.int32())])
    total = 0
    for part, lo in enumerate(range(0, rows, _DEMO_FILE_ROWS)):
        path = folder / f"part-{part:05d}.parquet"
        with pq.ParquetWriter(path, schema, **writer_options) as writer:
            for glo in range(lo, min(lo + _DEMO_FILE_ROWS, rows), _DEMO_GROUP_ROWS):
                n = min(_DEMO_GROUP_ROWS, rows - glo, lo + _DEMO_FILE_ROWS - glo)
                y = np.searchsorted(cdf, rng.random(n), side="right").astype(np.int32)
                u = rng.random(n)
                step = np.where(rng.random(n) < 0.5, -1, 1)
                near = np.clip(y + step, 0, classes - 1)
                near = np.where(near == y, y - step, near)  # the ends step inwards
                other = np.searchsorted(cdf, rng.random(n), side="right")
                other = np.where(other == y, (y + 1) % classes, other)
                miss = (u - right[y]) / (1 - right[y])  # uniform in [0, 1) on the mistakes
                pred = np.where(u < right[y], y, np.where(miss < 0.6, near, other)).astype(np.int32)
                writer.write_table(pa.table({"label": y, "pred": pred}, schema=schema))
        total += path.stat().st_size
    return total


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise CLIError("the demo writes Parquet and needs pyarrow: "
                       "pip install 'fastf1-metrics[io]'") from None
    keep = args.keep is not None
    root = Path(args.keep) if keep else Path(tempfile.mkdtemp(prefix="fastf1-demo-"))
    folder = root / "predictions" if keep else root
    if keep and folder.exists() and any(folder.iterdir()):
        raise CLIError(f"--keep: {folder} already exists and is not empty")
    try:
        _demo(args, folder, out)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def _demo(args: argparse.Namespace, folder: Path, out: TextIO) -> None:
    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    say(f"fastf1 demo: {args.rows:,} predictions of {args.classes} imbalanced classes "
        "(Zipf-like prior), a model right about 80% of the time")
    start = time.perf_counter()
    nbytes = write_demo_dump(folder, args.rows, args.classes, args.seed)
    say(f"wrote {folder} ({nbytes / 2**20:,.1f} MiB of Parquet) in "
        f"{time.perf_counter() - start:.1f} s")
    say()
    say(f"$ fastf1 score {folder} --true label --pred pred")
    sources = io.resolve_sources([folder])
    kw = dict(true="label", pred="pred", chunk_rows=args.chunk_rows, quiet=args.quiet)
    _, first = _run_score(sources, **kw)  # pays the kernels' compile (or cache load)
    result, warm = _run_score(sources, **kw)
    warm = min(warm, _run_score(sources, **kw)[1])
    report = result.stats.classification_report()
    say(_text_result(result, warm, None, None, 1, "warn", 2))
    say()
    say(f"fastf1: first call {first:.2f} s (includes compiling or loading the numba kernels), "
        f"warm {warm:.3f} s: {args.rows / warm / 1e6:,.0f} M rows/s from disk")
    try:
        import sklearn
        import sklearn.metrics
    except ImportError:
        say("(scikit-learn is not installed: pip install scikit-learn to compare)")
        return
    if args.rows > DEMO_SKLEARN_MAX_ROWS:
        say(f"(scikit-learn skipped above {DEMO_SKLEARN_MAX_ROWS:,} rows: minutes, and the "
            "whole arrays in memory)")
        return
    import pyarrow.parquet as pq

    from . import metrics

    table = pq.read_table(folder, columns=["label", "pred"])
    y_true, y_pred = (table.column(c).to_numpy() for c in ("label", "pred"))
    del table
    metrics.classification_report(y_true, y_pred)  # compile / load outside the timing
    start = time.perf_counter()
    metrics.classification_report(y_true, y_pred)
    in_memory = time.perf_counter() - start
    start = time.perf_counter()
    theirs = sklearn.metrics.classification_report(y_true, y_pred)
    sk = time.perf_counter() - start
    say(f"scikit-learn {sklearn.__version__} classification_report on the same rows, already "
        f"in memory: {sk:.2f} s ({sk / warm:,.0f}x fastf1 reading from disk; "
        f"fastf1.classification_report on the arrays: {in_memory:.3f} s, "
        f"{sk / in_memory:,.0f}x)")
    say(f"reports identical: {'yes' if theirs == report else 'NO'}")
    if theirs != report:
        say(theirs)


# ---- main ------------------------------------------------------------------------------------


def _message(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:  # str(KeyError) quotes its message
        return io._one_line(Exception(exc.args[0])) if exc.args[0] else type(exc).__name__
    return io._one_line(exc)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fastf1`` command; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else 2
    out = sys.stdout
    try:
        return args.func(args, out)
    except KeyboardInterrupt:
        print("fastf1: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `fastf1 score ... | head`
        sys.stderr.close()
        return 1
    except (CLIError, ValueError, TypeError, OSError, ImportError, KeyError, MemoryError,
            NotImplementedError) as exc:
        if os.environ.get("FASTF1_DEBUG"):
            raise
        print(f"fastf1: error: {_message(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: still one line, and the way to see more
        if os.environ.get("FASTF1_DEBUG"):
            raise
        print(f"fastf1: error: internal error ({type(exc).__name__}: {_message(exc)}); "
              "run with FASTF1_DEBUG=1 for the traceback", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
