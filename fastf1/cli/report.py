"""The report of a scoring run: scikit-learn's text report, the per-group table, JSON."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import io
from ..counts import StatScores
from ._common import _AVERAGES, _plain


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
        out["summary"] = {key: _plain(value) for key, value in _summary(stats).items()}
    return out


def _summary(stats: StatScores) -> dict[str, float]:
    """The scorecard beyond F1 of single-label counts (all present labels): accuracy,
    balanced accuracy, Matthews correlation and unweighted Cohen's kappa."""
    return {"accuracy": stats.accuracy_score(),
            "balanced_accuracy": stats.balanced_accuracy_score(),
            "matthews_corrcoef": stats.matthews_corrcoef(),
            "cohen_kappa": stats.cohen_kappa_score()}


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
        names = ("accuracy", "balanced accuracy", "MCC", "Cohen's kappa")
        lines.append("summary: " + "  ".join(
            f"{name} {value:.{d}f}" for name, value in zip(names, _summary(stats).values())))
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
