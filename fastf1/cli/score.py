"""``fastf1 score``: read prediction files chunk by chunk and print the report."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, TextIO

from .. import io
from . import ranking
from ._common import CLIError, _count, _finite, _message, _names
from .plots import PLOT_CONFUSION_MAX_LABELS
from .report import add_report_arguments, check_report_arguments, emit


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
    how.add_argument("--top-k", type=_count, metavar="K",
                     help="a matrix of class scores (--pred of K scores per row, or "
                     "--pred-columns; --true holds column indices): also report top-K "
                     "accuracy, counted in the same read (per group too; saved with --save)")
    add_report_arguments(score, how)
    out = score.add_argument_group("output")
    out.add_argument("--save", metavar="FILE.json",
                     help="also write the counts, the options and the files counted to this "
                     "JSON file, after every file (merge saved runs with 'fastf1 report')")
    out.add_argument("--resume", action="store_true",
                     help="go on from the run saved at --save: the files counted there are "
                     "skipped (a killed run loses at most the file it was reading)")
    out.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run = score.add_argument_group("reading")
    run.add_argument("--where", metavar="EXPR",
                     help="count only the rows where this SQL expression holds, e.g. "
                     "\"model = 'v2' and day >= '2026-11-01'\" (partition folders key=value "
                     "are columns); pushed down: partitions and Parquet row groups that "
                     "cannot match are not read")
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
               group_by: str | None = None, where: str | None = None,
               save: str | None = None, resume: bool = False,
               top_k: int | None = None) -> tuple[io.ScoreResult, float]:
    """The one scoring path of ``fastf1 score`` and ``fastf1 demo``: (result, seconds).

    A column of scores (without ``threshold``) or a matrix of class scores is also counted
    into score histograms, unless the rows are grouped or counted on a cluster.
    """
    show = not quiet and scheduler is None and sys.stderr.isatty()
    start = time.perf_counter()
    with io.ProgressBar(sum(s.nbytes for s in sources), disable=not show) as progress:
        result = io.count_files(sources, true=true, pred=pred, sample_weight=sample_weight,
                                threshold=threshold, chunk_rows=chunk_rows, progress=progress,
                                confusion_max_labels=PLOT_CONFUSION_MAX_LABELS if confusion else 0,
                                device=device, scheduler=scheduler, group_by=group_by,
                                where=where, save=save, resume=resume,
                                scores=group_by is None and scheduler is None, top_k=top_k)
    return result, time.perf_counter() - start


def _cmd_score(args: argparse.Namespace, out: TextIO) -> int:
    _check_device(args.device)
    check_report_arguments(args)
    if args.resume and not args.save:
        raise CLIError("--resume needs --save FILE.json: the run to go on from")
    if args.top_k is not None and args.threshold is not None:
        raise CLIError("--top-k needs a matrix of class scores; --threshold is for one "
                       "score per row")
    sources = io.resolve_sources(args.sources, args.format)
    pred = args.pred if args.pred is not None else args.pred_columns
    result, seconds = _run_score(
        sources, true=args.true, pred=pred, sample_weight=args.sample_weight,
        threshold=args.threshold, chunk_rows=args.chunk_rows, quiet=args.quiet,
        confusion=bool(args.plot), device=args.device, scheduler=args.scheduler,
        group_by=args.group_by, where=args.where, save=args.save, resume=args.resume,
        top_k=args.top_k)
    ranked = ranking.ranked(result) if result.scores is not None else None
    emit(result, seconds, args, out, ranked)
    return 0
