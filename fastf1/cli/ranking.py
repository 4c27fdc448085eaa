"""``fastf1 score`` on scores: ROC AUC (with its bound), AP, log loss, Brier, calibration.

With a column of scores and no ``--threshold``, or a matrix of K class scores, the files are
read once and every chunk feeds both the label counts of the ordinary report (scores at or
above 0.5 predict 1; a matrix predicts its argmax) and :class:`fastf1.ScoreHistogram` s
(one for a score column, one per class, one-vs-rest, for a matrix): see
``fastf1.io.scores``. This module turns them into the report's lines, JSON keys and plot.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .. import io
from ..histogram import ScoreHistogram
from ..io.scores import REPORT_THRESHOLD


class Ranked(NamedTuple):
    """A scores run: the label counts' result, the histograms, and the matrix log loss."""

    result: io.ScoreResult
    histograms: list[ScoreHistogram]
    matrix: bool
    log_loss: float | None = None


def ranked(result: io.ScoreResult) -> Ranked:
    """The ranking part of a score run's result (``result.scores`` is set)."""
    tally = result.scores
    assert tally is not None  # the callers check
    return Ranked(result, tally.histograms, tally.matrix, tally.log_loss)


def scores(r: Ranked) -> dict[str, Any]:
    """The --json keys: roc_auc, average_precision (with their bounds), log_loss, brier,
    ece, best_f1_threshold (None where not defined)."""
    hs = r.histograms
    out: dict[str, Any] = {
        "roc_auc": float(np.mean([h.roc_auc_score() for h in hs])),
        "roc_auc_bound": float(np.mean([h.roc_auc_error_bound() for h in hs])),
        "average_precision": float(np.mean([h.average_precision_score() for h in hs])),
        "average_precision_bound": float(np.mean([h.average_precision_error_bound()
                                                  for h in hs])),
        "bins": hs[0].bins,
    }
    if r.matrix:
        out.update(log_loss=r.log_loss, brier=None, ece=None, best_f1_threshold=None,
                   best_f1=None, averaging="macro one-vs-rest")
        return out
    h = hs[0]
    in_unit = _in_unit_interval(h)
    out["log_loss"] = h.log_loss(labels=[0, 1]) if in_unit else None
    out["brier"] = h.brier_score_loss() if in_unit else None
    out["ece"] = h.expected_calibration_error() if in_unit else None
    out["best_f1_threshold"], out["best_f1"] = h.best_f1_threshold()
    out["report_threshold"] = REPORT_THRESHOLD
    return out


def _in_unit_interval(h: ScoreHistogram) -> bool:
    try:
        h._check_probabilities()
    except ValueError:
        return False
    return True


def text(r: Ranked) -> str:
    s = scores(r)
    bins = f"2^{s['bins'].bit_length() - 1}"

    def num(key: str, fmt: str = ".6f") -> str:
        return "n/a (scores outside [0, 1])" if s[key] is None else f"{s[key]:{fmt}}"

    if r.matrix:
        head = (f"scores: {len(r.histograms)} classes, one-vs-rest, macro averages "
                f"(ScoreHistogram, {bins} bins a class)")
    else:
        head = (f"scores (ScoreHistogram, {bins} bins; the report above predicts 1 at "
                f"score >= {REPORT_THRESHOLD})")
    lines = ["", head,
             f"  ROC AUC            {s['roc_auc']:.6f} +- {s['roc_auc_bound']:.1e}",
             f"  average precision  {s['average_precision']:.6f} +- "
             f"{s['average_precision_bound']:.1e}",
             f"  log loss           {num('log_loss')}"]
    if not r.matrix:
        lines += [f"  Brier              {num('brier')}",
                  f"  ECE (10 bins)      {num('ece')}",
                  f"  best F1            {s['best_f1']:.6f} at score >= "
                  f"{s['best_f1_threshold']:.6g}"]
    return "\n".join(lines)


def plot(r: Ranked, path: str) -> str:
    """The ROC curve(s) and (score column in [0, 1]) the reliability curve, next to
    ``path``: returns the file written."""
    from matplotlib.figure import Figure

    hs = r.histograms
    reliability = not r.matrix and _in_unit_interval(hs[0])
    fig = Figure(figsize=(10 if reliability else 5, 4.5), layout="constrained")
    axes = fig.subplots(1, 2 if reliability else 1, squeeze=False)[0]
    ax = axes[0]
    for c, h in enumerate(hs):
        fpr, tpr, _ = h.roc_curve()
        label = f"AUC {h.roc_auc_score():.4f}" + (f" (class {c})" if r.matrix else "")
        ax.plot(fpr, tpr, label=label)
    ax.plot([0, 1], [0, 1], color="grey", ls=":")
    ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC")
    ax.legend(fontsize=8)
    if reliability:
        prob_true, prob_pred = hs[0].calibration_curve()
        ax = axes[1]
        ax.plot(prob_pred, prob_true, "o-", label=f"ECE {hs[0].expected_calibration_error():.4f}")
        ax.plot([0, 1], [0, 1], color="grey", ls=":")
        ax.set(xlabel="mean score", ylabel="fraction of positives", title="reliability")
        ax.legend(fontsize=8)
    out = str(path)
    stem = out[:-4] if out.lower().endswith(".png") else out
    out = stem + "-scores.png"
    fig.savefig(out, dpi=100)
    return out
