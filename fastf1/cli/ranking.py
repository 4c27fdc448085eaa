"""``fastf1 score`` on scores: ROC AUC (with its bound), AP, log loss, Brier, calibration.

With a column of scores and no ``--threshold``, or a matrix of K class scores, the files are
read once and every chunk feeds both the label counts of the ordinary report (scores at or
above 0.5 predict 1; a matrix predicts its argmax) and :class:`fastf1.ScoreHistogram` s
(one for a score column, one per class, one-vs-rest, for a matrix).
"""

from __future__ import annotations

import itertools
import sys
import time
from typing import Any, NamedTuple

import numpy as np

from .. import io
from ..counts import StatScores
from ..histogram import ScoreHistogram
from ..scorecard import TopKCounts

#: labels of a score column: score >= this predicts 1 (the report shows the best-F1 one too)
REPORT_THRESHOLD = 0.5
#: bins of the histograms: one score column, and each class of a score matrix
BINS = 1 << 20
BINS_PER_CLASS = 1 << 16


class Ranked(NamedTuple):
    """A scores run: the label counts' result, the histograms, and the matrix log loss."""

    result: io.ScoreResult
    histograms: list[ScoreHistogram]
    matrix: bool
    log_loss: float | None = None


def is_scores(first: io.Chunk, threshold: Any) -> bool:
    """Scores, not labels: a float column without --threshold holding a non-integer, or a
    matrix of class scores."""
    p = first.y_pred
    if p.ndim == 2:
        return p.dtype.kind == "f"
    return threshold is None and p.dtype.kind == "f" and bool((p != np.floor(p)).any())


def first_chunk(sources: list[io.Source], *, true: str, pred: Any, sample_weight: Any,
                chunk_rows: int) -> tuple[io.Chunk | None, Any]:
    """The first chunk, and an iterator over all the chunks (the first one included)."""
    chunks = io.read_chunks(sources, true=true, pred=pred, sample_weight=sample_weight,
                            chunk_rows=chunk_rows)
    first = next(chunks, None)
    return first, (itertools.chain([first], chunks) if first is not None else iter(()))


def count_scores(chunks: Any, n_files: int, *, quiet: bool, nbytes: int,
                 top_k: int | None = None) -> tuple[Ranked, float]:
    """One pass over the chunks: label counts, histograms, (matrix) log-loss sums and
    (``top_k``, a matrix) top-k hits."""
    show = not quiet and sys.stderr.isatty()
    start = time.perf_counter()
    stats = StatScores()
    hists: list[ScoreHistogram] = []
    matrix = False
    hits = None if top_k is None else TopKCounts(top_k)
    ll = weight = 0.0
    n_rows = 0
    with io.ProgressBar(nbytes, disable=not show) as progress:
        for chunk in chunks:
            t, p, w = chunk.y_true, chunk.y_pred, chunk.sample_weight
            try:
                if p.ndim == 1:
                    stats.update(t, (p >= REPORT_THRESHOLD).astype(np.int8), w)
                    if not hists:
                        hists = [ScoreHistogram(BINS)]
                    hists[0].update(t, p, w)
                else:
                    matrix = True
                    stats.update(t, p, w)
                    k = p.shape[1]
                    if not hists:
                        hists = [ScoreHistogram(BINS_PER_CLASS) for _ in range(k)]
                    for c in range(k):
                        hists[c].update((t == c).view(np.uint8), p[:, c], w)
                    if hits is not None:
                        hits.update(t, p, w)
                    chunk_ll, chunk_w = _matrix_log_loss(t, p, w)
                    ll += chunk_ll
                    weight += chunk_w
            except (ValueError, TypeError) as exc:
                where = f"{chunk.source.name} (rows {chunk.start}..{chunk.start + t.shape[0] - 1})"
                raise type(exc)(f"{where}: {exc}") from None
            n_rows += t.shape[0]
            progress(t.shape[0], chunk.nbytes)
    result = io.ScoreResult(stats, n_rows, n_files, None, None, top_k=hits)
    return (Ranked(result, hists, matrix, ll / weight if matrix and weight else None),
            time.perf_counter() - start)


def _matrix_log_loss(t: np.ndarray, p: np.ndarray, w: Any) -> tuple[float, float]:
    """(weighted sum of -log p[true class], weight) of a chunk, clipped as scikit-learn."""
    if t.dtype.kind not in "iu" or t.min() < 0 or t.max() >= p.shape[1]:
        raise ValueError(f"y_true must hold class indices 0..{p.shape[1] - 1} for a score matrix")
    eps = np.finfo(p.dtype).eps
    q = np.clip(p[np.arange(t.shape[0]), t], eps, 1 - eps).astype(np.float64)
    terms = -np.log(q)
    return (float(terms.sum()), float(t.shape[0])) if w is None else \
        (float(np.dot(terms, w)), float(np.sum(w)))


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
