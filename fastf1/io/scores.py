"""Score runs: a column of scores, or a matrix of class scores, counted in the same pass as
the label counts into :class:`fastf1.ScoreHistogram` s (ROC AUC, average precision, log loss,
Brier, calibration), savable and mergeable as data.

A run is a score run when no threshold was given and its first chunk's prediction is a float
column holding a non-integer or a 2-D float matrix. Then:

* a score column: the label counts are those of ``score >= REPORT_THRESHOLD`` and one
  histogram of ``BINS`` bins holds the scores;
* a score matrix: the label counts are those of the argmax, one histogram of
  ``BINS_PER_CLASS`` bins per class holds that class's scores one-vs-rest, and the log loss
  is summed (clipped as scikit-learn clips it).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _json
from ..histogram import ScoreHistogram

#: a score column's label counts: score >= this predicts 1
REPORT_THRESHOLD = 0.5
#: bins of the histograms: one score column, and each class of a score matrix
BINS = 1 << 19  # 2**13 fine bins a binade (ScoreHistogram), 34 MB a table
BINS_PER_CLASS = 1 << 16
#: the kinds of score run
MODES = ("column", "matrix")


def is_scores(y_pred: np.ndarray, threshold: Any) -> bool:
    """Scores, not labels, when no threshold turns them into labels: a float column
    holding a non-integer, or a float matrix of class scores."""
    if threshold is not None or y_pred.dtype.kind != "f":
        return False
    return y_pred.ndim == 2 or bool((y_pred != np.floor(y_pred)).any())


class ScoreTally:
    """The score part of a score run: its histograms and (matrix) log-loss sums.

    Parameters
    ----------
    mode : {"column", "matrix"}
        A column of scores or a matrix of class scores.
    """

    def __init__(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self.mode = mode
        self.histograms: list[ScoreHistogram] = []
        self.log_loss_sum = 0.0
        self.weight = 0.0

    @property
    def matrix(self) -> bool:
        """A matrix of class scores (one histogram per class)."""
        return self.mode == "matrix"

    @property
    def log_loss(self) -> float | None:
        """The matrix's mean log loss (None for a column, or before any weight)."""
        return self.log_loss_sum / self.weight if self.matrix and self.weight else None

    def label_prediction(self, y_pred: np.ndarray) -> np.ndarray:
        """What the label counts count: ``score >= REPORT_THRESHOLD`` for a column, the
        matrix itself (its argmax) for a matrix."""
        if self.matrix:
            return y_pred
        return (y_pred >= REPORT_THRESHOLD).astype(np.int8)

    def add(self, y_true: np.ndarray, y_pred: np.ndarray, w: np.ndarray | None) -> None:
        """Count one chunk's scores (its labels are counted by the caller)."""
        if y_pred.ndim != (2 if self.matrix else 1):
            raise ValueError(f"the run holds a score {self.mode}; this chunk's predictions "
                             f"have shape {y_pred.shape}")
        if not self.matrix:
            if not self.histograms:
                self.histograms = [ScoreHistogram(BINS)]
            self.histograms[0].update(y_true, y_pred, w)
            return
        k = y_pred.shape[1]
        if not self.histograms:
            self.histograms = [ScoreHistogram(BINS_PER_CLASS) for _ in range(k)]
        elif len(self.histograms) != k:
            raise ValueError(f"the run holds scores of {len(self.histograms)} classes; this "
                             f"chunk has {k}")
        for c in range(k):
            self.histograms[c].update((y_true == c).view(np.uint8), y_pred[:, c], w)
        loss, weight = _matrix_log_loss(y_true, y_pred, w)
        self.log_loss_sum += loss
        self.weight += weight

    def __add__(self, other: Any) -> ScoreTally:
        if not isinstance(other, ScoreTally):
            return NotImplemented
        if other.mode != self.mode:
            raise ValueError(f"cannot add the scores of a score {self.mode} and of a score "
                             f"{other.mode}")
        out = ScoreTally(self.mode)
        if self.histograms and other.histograms:
            if len(self.histograms) != len(other.histograms):
                raise ValueError(f"cannot add the scores of {len(self.histograms)} and of "
                                 f"{len(other.histograms)} classes")
            out.histograms = [a + b for a, b in zip(self.histograms, other.histograms)]
        else:
            out.histograms = list(self.histograms or other.histograms)
        out.log_loss_sum = self.log_loss_sum + other.log_loss_sum
        out.weight = self.weight + other.weight
        return out

    def to_data(self) -> dict[str, Any]:
        """The JSON-ready document (kind ``scores``) of a saved run's ``"scores"``."""
        return {"format": _json.FORMAT, "version": _json.COUNTS_VERSION, "kind": "scores",
                "mode": self.mode, "report_threshold": REPORT_THRESHOLD,
                "histograms": [h._to_data() for h in self.histograms],
                "log_loss": {"sum": _json.encode_scalar(self.log_loss_sum),
                             "weight": _json.encode_scalar(self.weight)}}

    @classmethod
    def from_data(cls, data: Any) -> ScoreTally:
        """A tally from :meth:`to_data`'s document; ``fastf1._json.NotCounts`` if it is
        not one."""
        _json.check_header(data, "scores")
        mode = data.get("mode")
        if mode not in MODES:
            raise _json.NotCounts(f"scores: mode must be one of {', '.join(MODES)}")
        if data.get("report_threshold") != REPORT_THRESHOLD:
            raise _json.NotCounts(f"scores: counted with report_threshold "
                                  f"{data.get('report_threshold')!r}, not {REPORT_THRESHOLD}")
        out = cls(mode)
        hists = data.get("histograms")
        if not isinstance(hists, list) or (mode == "column" and len(hists) > 1):
            raise _json.NotCounts("scores: histograms must be a list (one for a column)")
        out.histograms = [ScoreHistogram._from_data(h) for h in hists]
        want = BINS_PER_CLASS if out.matrix else BINS
        if any(h.bins != want for h in out.histograms):
            raise _json.NotCounts(f"scores: a score {mode} is counted into histograms of "
                                  f"{want} bins")
        loss = data.get("log_loss")
        values = [loss.get(k) for k in ("sum", "weight")] if isinstance(loss, dict) else []
        numbers = [float(v) for v in values
                   if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(numbers) != 2 or not all(math.isfinite(v) and v >= 0 for v in numbers):
            raise _json.NotCounts("scores: log_loss must hold a sum and a weight")
        out.log_loss_sum, out.weight = numbers
        return out


def _matrix_log_loss(t: np.ndarray, p: np.ndarray, w: Any) -> tuple[float, float]:
    """(weighted sum of -log p[true class], weight) of a chunk, clipped as scikit-learn."""
    if t.dtype.kind not in "iu" or t.min() < 0 or t.max() >= p.shape[1]:
        raise ValueError(f"y_true must hold class indices 0..{p.shape[1] - 1} for a score matrix")
    eps = np.finfo(p.dtype).eps
    q = np.clip(p[np.arange(t.shape[0]), t], eps, 1 - eps).astype(np.float64)
    terms = -np.log(q)
    return (float(terms.sum()), float(t.shape[0])) if w is None else \
        (float(np.dot(terms, w)), float(np.sum(w)))
