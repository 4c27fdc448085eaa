"""The report of counts: scikit-learn's text report, the per-group table, JSON; and
``fastf1 report``, which prints it for runs saved by ``fastf1 score --save``."""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any, TextIO

import numpy as np

from .. import _validation, io
from ..counts import ByGroup, StatScores
from ..io.saved import load_run, merge_runs
from ..scorecard import TopKCounts
from . import ranking
from ._common import _AVERAGES, CLIError, _as_label, _names, _plain, _zero_division
from .plots import PLOT_CONFUSION_MAX_LABELS, _need_matplotlib, _plot


def _json_result(result: io.ScoreResult, seconds: float, labels: Any, average: str | None,
                 pos_label: Any, zero_division: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n_rows": result.n_rows,
        "n_files": result.n_files,
        "seconds": round(seconds, 6),
        **_json_scores(result.stats, labels, average, pos_label, zero_division, result.top_k),
    }
    if result.by_group is not None:
        hits: Any = result.top_k_by_group or {}
        out["groups"] = {}
        for group, stats in result.by_group.items():
            with _validation.scoring_group(group):
                out["groups"][str(group)] = _json_scores(stats, labels, average, pos_label,
                                                         zero_division, hits.get(group))
    return out


def _json_scores(stats: StatScores, labels: Any, average: str | None, pos_label: Any,
                 zero_division: Any, hits: Any = None) -> dict[str, Any]:
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
        out["accuracy"] = _plain(_mean(stats.accuracy_score))
        out["summary"] = {key: _plain(value) for key, value in _summary(stats, hits).items()}
    return out


def _mean(score: Callable[[], float]) -> float:
    """``score()``, a weighted mean over rows (accuracy, top-k accuracy); NaN where weights
    sum to zero: the mean is undefined (scikit-learn raises ZeroDivisionError), while the
    rest of the report stands (scikit-learn's classification_report scores such weights)."""
    try:
        return score()
    except ZeroDivisionError:
        return float("nan")


def _summary(stats: StatScores, hits: Any = None) -> dict[str, Any]:
    """The scorecard beyond F1 of single-label counts (all present labels): accuracy,
    balanced accuracy, Matthews correlation and unweighted Cohen's kappa; and with top-k
    hits (:class:`fastf1.TopKCounts`), the top-k accuracy and its k."""
    out: dict[str, Any] = {"accuracy": _mean(stats.accuracy_score),
                           "balanced_accuracy": stats.balanced_accuracy_score(),
                           "matthews_corrcoef": stats.matthews_corrcoef(),
                           "cohen_kappa": stats.cohen_kappa_score()}
    if hits is not None and hits.rows:
        out.update(top_k_accuracy=_mean(hits.top_k_accuracy_score), top_k=hits.k)
    return out


#: the summary line's names of the keys of ``_summary``
_SUMMARY_NAMES = {"accuracy": "accuracy", "balanced_accuracy": "balanced accuracy",
                  "matthews_corrcoef": "MCC", "cohen_kappa": "Cohen's kappa"}


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
    if not stats.multilabel:
        summary = _summary(stats, result.top_k)
        cells = [f"{name} {summary[key]:.{d}f}" for key, name in _SUMMARY_NAMES.items()]
        if "top_k" in summary:
            cells.append(f"top-{summary['top_k']} accuracy {summary['top_k_accuracy']:.{d}f}")
        lines.append("summary: " + "  ".join(cells))
    rate = result.n_rows / seconds / 1e6 if seconds > 0 else float("inf")
    weight = f" (total weight {stats.total:,.6g})" if stats.weighted else ""
    files = f"{result.n_files} file{'s' if result.n_files != 1 else ''}"
    lines.append(f"{result.n_rows:,} rows{weight} from {files} in {seconds:.3f} s "
                 f"({rate:,.1f} M rows/s)")
    if result.by_group is not None:
        lines += ["", *_group_table(result.by_group, labels, average, pos_label,
                                    zero_division, d, result.top_k_by_group)]
    return "\n".join(lines)


def _group_table(by_group: Any, labels: Any, average: str | None, pos_label: Any,
                 zero_division: Any, digits: int, hits: Any = None) -> list[str]:
    """One line of scores per group: rows (or weight), accuracy, F1 averages, --average,
    and the top-k accuracy of ``hits`` (a ByGroup of TopKCounts)."""
    heads = ["rows", "accuracy", "f1 micro", "f1 macro", "f1 weighted"]
    if average:
        heads += [f"{average} precision", f"{average} recall", f"{average} f1"]
    k = next(iter(hits.values())).k if hits else None
    if k is not None:
        heads.append(f"top-{k} accuracy")
    rows = []
    for group, stats in by_group.items():
        with _validation.scoring_group(group):
            rows.append([str(group), *_group_cells(stats, labels, average, pos_label,
                                                   zero_division, digits, k, hits, group)])
    first = max(len("group"), *(len(r[0]) for r in rows))
    widths = [max(len(h), *(len(r[i + 1]) for r in rows)) for i, h in enumerate(heads)]
    fmt = "  ".join([f"{{:<{first}}}", *(f"{{:>{w}}}" for w in widths)])
    return [f"per group ({len(rows)}):", fmt.format("group", *heads),
            *(fmt.format(*r) for r in rows)]


def _group_cells(stats: StatScores, labels: Any, average: str | None, pos_label: Any,
                 zero_division: Any, digits: int, k: int | None, hits: Any,
                 group: Any) -> list[str]:
    """One group's line of the per-group table (after its name)."""
    cells = [f"{stats.total:,.6g}" if stats.weighted else f"{stats.total:,}",
             "" if stats.multilabel else f"{_mean(stats.accuracy_score):.{digits}f}"]
    cells += [f"{stats.f1_score(average=a, labels=labels, zero_division=zero_division):.{digits}f}"
              for a in _AVERAGES]
    if average:
        extra = {"pos_label": pos_label} if average == "binary" else {}
        cells += [f"{v:.{digits}f}" for v in stats.precision_recall_fscore_support(
            average=average, labels=labels, zero_division=zero_division, **extra)[:3]]
    if k is not None:
        group_hits = hits.get(group)
        cells.append("" if group_hits is None or not group_hits.rows
                     else f"{_mean(group_hits.top_k_accuracy_score):.{digits}f}")
    return cells


# ---- the options every report takes, and printing it ------------------------------------------


def add_report_arguments(parser: argparse.ArgumentParser, how: Any) -> Any:
    """The options of what a report shows (``score`` and ``report`` share them)."""
    how.add_argument("--labels", type=_names, metavar="L1,L2,...",
                     help="report these labels, in this order (scikit-learn's labels=)")
    how.add_argument("--average", choices=["micro", "macro", "weighted", "binary"],
                     help="also print this average on its own line (and in --json)")
    how.add_argument("--pos-label", metavar="L", help="the positive label of --average binary "
                     "(default 1)")
    how.add_argument("--zero-division", type=_zero_division, default="warn", metavar="Z",
                     help="warn (default), 0, 1 or nan: the score when a ratio is 0/0")
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true",
                     help="print one JSON object instead of the report")
    out.add_argument("--plot", metavar="FILE.png",
                     help="also write per-class precision/recall/F1 bars (and the confusion "
                     f"matrix for up to {PLOT_CONFUSION_MAX_LABELS} labels) with matplotlib")
    out.add_argument("--digits", type=int, default=2, metavar="N",
                     help="digits in the report (default 2, as scikit-learn)")
    return out


def check_report_arguments(args: argparse.Namespace) -> None:
    """Usage errors found before any reading starts."""
    if args.plot:
        _need_matplotlib()
    if args.pos_label is not None and args.average != "binary":
        raise CLIError("--pos-label applies to --average binary only")


def emit(result: io.ScoreResult, seconds: float, args: argparse.Namespace, out: TextIO,
         ranked: Any = None) -> None:
    """Print the report (text or JSON) of ``result``, write ``--plot``; warnings as one line
    each on stderr, after the report is complete.

    ``ranked`` (a score column's counts from :mod:`fastf1.cli.ranking`) adds the ranking
    scores and their plot.
    """
    present: np.ndarray = result.stats.labels  # type: ignore[assignment]
    labels = None if args.labels is None else [_as_label(x, present, "--labels")
                                               for x in args.labels]
    pos_label = 1 if args.pos_label is None else _as_label(args.pos_label, present, "--pos-label")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if args.json:
            report = _json_result(result, seconds, labels, args.average, pos_label,
                                  args.zero_division)
            report.update(ranking.scores(ranked) if ranked is not None else {})
            text = json.dumps(report, indent=2)
        else:
            text = _text_result(result, seconds, labels, args.average, pos_label,
                                args.zero_division, args.digits)
            text += ranking.text(ranked) if ranked is not None else ""
    if args.plot:
        _plot(result, labels, args.plot)
        if not args.json:
            text += f"\nplot written to {args.plot}"
        if ranked is not None:
            written = ranking.plot(ranked, args.plot)
            if not args.json:
                text += f"\nROC / reliability plot written to {written}"
    for message in dict.fromkeys(" ".join(str(w.message).split()) for w in caught):
        print(f"fastf1: warning: {message}", file=sys.stderr)
    print(text, file=out)


# ---- fastf1 report -----------------------------------------------------------------------------


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add ``fastf1 report`` to the subcommands ``sub``."""
    report = sub.add_parser(
        "report", help="merge counts saved by 'fastf1 score --save' and print their report",
        description="Read runs saved by 'fastf1 score --save' (JSON counts: shards scored in "
        "separate jobs, slices, days), merge them and print the report 'fastf1 score' prints "
        "for all their rows. Runs made with different options (columns, threshold, "
        "--group-by, --where) or that counted the same file are refused.",
        epilog="Example:\n"
        "  fastf1 score s3://b/dump/day=1/ --true y --pred p --save day1.json\n"
        "  fastf1 score s3://b/dump/day=2/ --true y --pred p --save day2.json\n"
        "  fastf1 report day1.json day2.json --average macro",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("saved", nargs="+", metavar="FILE.json", help="saved runs to merge")
    how = report.add_argument_group("scoring")
    add_report_arguments(report, how)
    report.set_defaults(func=_cmd_report)
    return report


def _cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    check_report_arguments(args)
    start = time.perf_counter()
    run = merge_runs([(name, load_run(name)) for name in args.saved])
    counts = run.counts
    by_group = counts if isinstance(counts, ByGroup) else None
    if by_group is not None:
        counts = sum(by_group.values(), StatScores(threshold=run.options["threshold"]))
    if counts.labels is None:
        raise CLIError(f"no rows counted in {', '.join(args.saved)}")
    hits, hits_by_group = run.top_k_counts, None
    if isinstance(hits, ByGroup):
        hits_by_group, hits = hits, sum(hits.values(), TopKCounts(run.top_k or 1))
    result = io.ScoreResult(counts, run.n_rows, len(run.files), None, None, by_group,
                            run.scores, hits, hits_by_group)
    emit(result, time.perf_counter() - start, args, out,
         ranking.ranked(result) if run.scores is not None else None)
    return 0
