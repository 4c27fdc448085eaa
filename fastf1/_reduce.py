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


def divide(
    numerator: np.ndarray,
    denominator: np.ndarray,
    metric: str,
    modifier: str,
    average: Any,
    warn_for: Any,
    zero_division: Any,
) -> np.ndarray:
    """numerator / denominator with zero denominators set to the zero_division value."""
    mask = denominator == 0
    denominator = np.array(denominator, dtype=np.float64)
    denominator[mask] = 1
    result = np.asarray(numerator, dtype=np.float64) / denominator
    if not mask.any():
        return result
    result[mask] = zero_division_value(zero_division)
    if zero_division == "warn" and metric in warn_for:
        _warn_prf(average, modifier, f"{metric.capitalize()} is", result.shape[0])
    return result


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
    pred: np.ndarray,
    true: np.ndarray,
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
        tp, pred, true = (np.reshape(np.sum(x), (1,)) for x in (tp, pred, true))
    beta2 = beta**2
    precision = divide(tp, pred, "precision", "predicted", average, warn_for, zero_division)
    recall = divide(tp, true, "recall", "true", average, warn_for, zero_division)
    if beta == np.inf:
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        denom = beta2 * np.asarray(true, dtype=np.float64) + np.asarray(pred, dtype=np.float64)
        f_score = divide(
            (1 + beta2) * np.asarray(tp, dtype=np.float64),
            denom,
            "f-score",
            "true nor predicted",
            average,
            warn_for,
            zero_division,
        )
    if average is None:
        return precision, recall, f_score, true
    weights = true if average == "weighted" else sample_weight if average == "samples" else None
    return (
        nanaverage(precision, weights),
        nanaverage(recall, weights),
        nanaverage(f_score, weights),
        None,
    )


def accuracy(correct: Any, total: Any, normalize: bool) -> float:
    """Fraction (or, with normalize=False, number/weight) of correctly classified rows."""
    return float(correct / total) if normalize else float(correct)
