"""``fastf1 score``: read prediction files chunk by chunk and print the report."""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from typing import Any, TextIO

import numpy as np

from .. import io
from ._common import CLIError, _as_label, _count, _finite, _message, _names, _zero_division
from .plots import PLOT_CONFUSION_MAX_LABELS, _need_matplotlib, _plot
from .report import _json_result, _text_result


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add ``fastf1 score`` to the subcommands ``sub``."""
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
    return score


def _check_device(device: str) -> None:
    if device == "cuda":
        from .._validation import resolve_device

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
    with io.ProgressBar(sum(s.nbytes for s in sources), disable=not show) as progress:
        result = io.count_files(sources, true=true, pred=pred, sample_weight=sample_weight,
                                threshold=threshold, chunk_rows=chunk_rows, progress=progress,
                                confusion_max_labels=PLOT_CONFUSION_MAX_LABELS if confusion else 0,
                                device=device, scheduler=scheduler, group_by=group_by)
    return result, time.perf_counter() - start


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
