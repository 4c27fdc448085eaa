"""Counts in, scores out: the one place where metric formulas live (NumPy only).

Every front end (functions, StatScores, Keras, CLI, Dask) derives its scores here, with
scikit-learn's formulas in scikit-learn's order, so integer counts give bit-identical scores:

    precision = tp / pred        recall = tp / true
    F-beta    = (1 + beta**2) * tp / (beta**2 * true + pred)

Zero division is handled per quantity (precision when pred == 0, recall when true == 0,
F only when true == pred == 0), as in scikit-learn >= 1.4.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .exceptions import UndefinedMetricWarning


def zero_division_value(zero_division: Any) -> float:
    if isinstance(zero_division, str):  # "warn"
        return 0.0
    if zero_division in (0, 1):
        return float(zero_division)
    return np.nan


def _warn_prf(average: Any, modifier: str, msg_start: str, result_size: int) -> None:
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    msg = (
        f"{msg_start} ill-defined and being set to 0.0 {{0}} no {modifier} {axis0}s. "
        "Use `zero_division` parameter to control this behavior."
    )
    msg = msg.format("due to" if result_size == 1 else f"in {axis1}s with")
    warnings.warn(msg, UndefinedMetricWarning, stacklevel=4)


def nanaverage(a: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Mean of the non-NaN values (weighted by ``weights`` when given); NaN if none."""
    if a.shape[0] == 0:
        return np.nan
    mask = np.isnan(a)
    if mask.all():
        return np.nan
    if weights is None:
        # np.nanmean's arithmetic (pairwise sum of the non-NaN values / their count),
        # without its overhead, which dominates per-batch calls
        if not mask.any():
            return float(np.add.reduce(a) / a.shape[0])
        return float(np.add.reduce(np.where(mask, 0.0, a)) / np.count_nonzero(~mask))
    a, weights = a[~mask], np.asarray(weights)[~mask]
    try:
        return float(np.average(a, weights=weights))
    except ZeroDivisionError:  # all weights zero
        return float(np.average(a))


def precision_recall_fscore(
    tp: np.ndarray,
    true: np.ndarray,
    pred: np.ndarray,
    *,
    beta: float = 1.0,
    average: Any = None,
    warn_for: Any = ("precision", "recall", "f-score"),
    zero_division: Any = "warn",
    sample_weight: np.ndarray | None = None,
) -> tuple[Any, Any, Any, Any]:
    """Scores from per-label (or, for average="samples", per-row) counts already selected.

    Returns (precision, recall, fbeta, support) like
    ``sklearn.metrics.precision_recall_fscore_support``: arrays and the support when
    ``average`` is None, else three floats and None.
    """
    if average == "micro":
        tp, true, pred = (np.reshape(np.sum(x), (1,)) for x in (tp, true, pred))
    beta2 = beta**2
    tp_f = np.asarray(tp, dtype=np.float64)
    true_f = np.asarray(true, dtype=np.float64)
    pred_f = np.asarray(pred, dtype=np.float64)
    # one divide for the three quantities (rows precision, recall, F): what matters per call
    # when Keras scores a batch; each element is computed exactly as on its own
    rows = 2 if beta == np.inf or beta == 0 else 3
    num = np.empty((rows, tp_f.shape[0]))
    den = np.empty((rows, tp_f.shape[0]))
    num[0], den[0] = tp_f, pred_f
    num[1], den[1] = tp_f, true_f
    if rows == 3:
        num[2], den[2] = (1 + beta2) * tp_f, beta2 * true_f + pred_f
    ratios = _divide_rows(num, den, average, warn_for, zero_division)
    precision, recall = ratios[0], ratios[1]
    f_score = ratios[2] if rows == 3 else recall if beta == np.inf else precision
    if average is None:
        return precision, recall, f_score, true
    weights = true if average == "weighted" else sample_weight if average == "samples" else None
    if weights is None and ratios.shape[1] and not np.isnan(ratios).any():
        # plain means, each row as nanaverage sums it (pairwise, then / count)
        means = [float(np.add.reduce(row) / row.shape[0]) for row in ratios]
    else:
        means = [nanaverage(row, weights) for row in ratios]
    f_mean = means[2] if rows == 3 else means[1] if beta == np.inf else means[0]
    return means[0], means[1], f_mean, None


_QUANTITIES = (("precision", "predicted"), ("recall", "true"), ("f-score", "true nor predicted"))


def _divide_rows(num: np.ndarray, den: np.ndarray, average: Any, warn_for: Any,
                 zero_division: Any) -> np.ndarray:
    """num / den with zero denominators set to the zero_division value, warning as
    scikit-learn does for each quantity (row: precision, recall, F) that hit one."""
    zero = den == 0
    den[zero] = 1
    out = num / den
    if zero.any():
        out[zero] = zero_division_value(zero_division)
        if zero_division == "warn":
            for (metric, modifier), hit in zip(_QUANTITIES, zero):
                if metric in warn_for and hit.any():
                    _warn_prf(average, modifier, f"{metric.capitalize()} is", out.shape[1])
    return out


def accuracy(correct: Any, total: Any, normalize: bool) -> float:
    """Fraction (or, with normalize=False, number/weight) of correctly classified rows."""
    return float(correct / total) if normalize else float(correct)
