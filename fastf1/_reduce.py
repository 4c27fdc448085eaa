"""Counts in, scores out: the one place where metric formulas live (NumPy, and one
compiled sum that replays NumPy's order: ``_kernels.pairwise``).

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

from ._kernels import pairwise
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
                 zero_division: Any, quantities: Any = _QUANTITIES) -> np.ndarray:
    """num / den with zero denominators set to the zero_division value, warning as
    scikit-learn does for each quantity (row: ``quantities``, by default precision,
    recall, F) that hit one."""
    zero = den == 0
    den[zero] = 1
    out = num / den
    if zero.any():
        out[zero] = zero_division_value(zero_division)
        if zero_division == "warn":
            for (metric, modifier), hit in zip(quantities, zero):
                if metric in warn_for and hit.any():
                    _warn_prf(average, modifier, f"{metric.capitalize()} is", out.shape[1])
    return out


#: scikit-learn's error for a weighted mean whose weights sum to zero (``_average``)
WEIGHTS_SUM_TO_ZERO = "Weights sum to zero, can't be normalized"


def accuracy(correct: Any, total: Any, normalize: bool, weighted: bool = False) -> float:
    """Fraction (or, with normalize=False, number/weight) of correctly classified rows;
    ``weighted``: ``total`` is the rows' total weight, which may be zero (weights that
    cancel out), and scikit-learn's weighted mean then refuses."""
    if not normalize:
        return float(correct)
    if weighted and total == 0:
        raise ZeroDivisionError(WEIGHTS_SUM_TO_ZERO)
    return float(correct / total)


# ---- the rest of the scorecard --------------------------------------------------------
# Each formula below is scikit-learn's, in scikit-learn's order, on the same float64 values,
# so integer counts give bit-identical scores. Where scikit-learn builds the K x K confusion
# matrix C, the per-class sums it takes of C are the counts fastf1 already has:
# trace(C) = sum(tp), C.sum(axis=1) = true, C.sum(axis=0) = pred. MCC, unweighted Cohen's
# kappa and balanced accuracy therefore need O(K) counts; only weighted kappa (and kappa
# with labels= a subset of the present labels) needs C itself.

#: up to this many classes unweighted kappa sums scikit-learn's K x K expected-agreement
#: matrix in NumPy's order (bit-identical; O(K^2) time in a compiled loop, O(K) memory);
#: above, an O(K) form of the same sum (equal to rounding)
KAPPA_MATRIX_MAX = 1 << 11


def warn_single_label(stacklevel: int = 4) -> None:
    """scikit-learn's warning for a 1 x 1 confusion matrix (every function built on it)."""
    warnings.warn(
        "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to "
        "have the correct shape, use the 'labels' parameter to pass all known labels.",
        UserWarning, stacklevel=stacklevel)


def matthews_corrcoef(tp: np.ndarray, pred: np.ndarray, true: np.ndarray) -> float:
    """scikit-learn's covariance form of the MCC from per-class counts (all present labels)."""
    t_sum = np.asarray(true, dtype=np.float64)
    p_sum = np.asarray(pred, dtype=np.float64)
    n_correct = np.sum(np.asarray(tp, dtype=np.float64))
    n_samples = p_sum.sum()
    # scikit-learn takes both sums from one matrix, so sum(true) == sum(pred) to the bit;
    # weighted fastf1 counts are separate float sums, so each variance uses the total of its
    # own sums (the same value for integer counts): one class in y_true then gives exactly 0
    n_true = t_sum.sum()
    cov_ytyp = n_correct * n_samples - np.dot(t_sum, p_sum)
    cov_ypyp = n_samples**2 - np.dot(p_sum, p_sum)
    cov_ytyt = n_true**2 - np.dot(t_sum, t_sum)
    cov_ypyp_ytyt = cov_ypyp * cov_ytyt
    if cov_ypyp_ytyt == 0:
        return 0.0
    return float(cov_ytyp / np.sqrt(cov_ypyp_ytyt))


def balanced_accuracy(tp: np.ndarray, true: np.ndarray, adjusted: bool) -> float:
    """Mean recall over the classes present in y_true (all present labels, sorted)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.asarray(tp, dtype=np.float64) / np.asarray(true, dtype=np.float64)
    if np.any(np.isnan(per_class)):
        warnings.warn("y_pred contains classes not in y_true", UserWarning, stacklevel=4)
        per_class = per_class[~np.isnan(per_class)]
    score = np.mean(per_class)
    if adjusted:
        n_classes = per_class.shape[0]
        chance = 1 / n_classes
        score -= chance
        score /= 1 - chance
    return float(score)


def _kappa_weights(n_classes: int, weights: Any) -> np.ndarray:
    if weights is None:
        w_mat = np.ones((n_classes, n_classes), dtype=np.float64)
        np.fill_diagonal(w_mat, 0)
        return w_mat
    w_mat = np.zeros((n_classes, n_classes), dtype=np.float64)
    w_mat += np.arange(n_classes)
    return np.abs(w_mat - w_mat.T) if weights == "linear" else (w_mat - w_mat.T) ** 2


def cohen_kappa(pred: np.ndarray, true: np.ndarray, *, confusion: np.ndarray | None = None,
                disagreement: Any = None, weights: Any = None,
                replace_undefined_by: Any = np.nan) -> float:
    """Cohen's kappa from the column sums ``pred`` and row sums ``true`` of the confusion
    matrix, and either the matrix itself (``confusion``, needed for linear / quadratic
    weights) or, unweighted, the total of its off-diagonal cells (``disagreement``)."""
    sum0 = np.asarray(pred, dtype=np.float64)
    sum1 = np.asarray(true, dtype=np.float64)
    n_classes = sum0.shape[0]
    denominator = np.sum(sum0)
    if denominator == 0:
        _warn_kappa("`y2` contains no labels that are present in both `y1` and `labels`."
                    "`cohen_kappa_score` is undefined and set to the value defined by "
                    "the `replace_undefined_by` param, which is set to "
                    f"{replace_undefined_by}.")
        return replace_undefined_by
    if confusion is None and n_classes > KAPPA_MATRIX_MAX:
        # O(K): the off-diagonal sum of outer(sum0, sum1) / n without forming it
        numerator = float(disagreement)
        denominator = (denominator * np.sum(sum1) - np.dot(sum0, sum1)) / denominator
    else:
        # scikit-learn's np.sum(w_mat * outer(sum0, sum1) / n), summed in NumPy's order
        # without forming the K x K matrices
        mode = {None: pairwise.UNWEIGHTED, "linear": pairwise.LINEAR,
                "quadratic": pairwise.QUADRATIC}[weights]
        if confusion is None:
            numerator = np.float64(disagreement)
        else:
            w_mat = _kappa_weights(n_classes, weights)
            numerator = np.sum(w_mat * np.asarray(confusion, dtype=np.float64))
        denominator = pairwise.expected_sum(np.ascontiguousarray(sum0),
                                            np.ascontiguousarray(sum1), denominator, mode)
    if denominator == 0:
        _warn_kappa("`y1`, `y2` and `labels` have only one label in common. "
                    "`cohen_kappa_score` is undefined and set to the value defined by the "
                    "the `replace_undefined_by` param, which is set to "
                    f"{replace_undefined_by}.")
        return replace_undefined_by
    k = numerator / denominator
    return float(1 - k)


def _warn_kappa(msg: str) -> None:
    warnings.warn(msg, UndefinedMetricWarning, stacklevel=4)


def ratio_scores(num: Any, den: Any, *, average: Any, zero_division: Any, metric: str,
                 modifier: str, weights: Any = None) -> Any:
    """``num / den`` per label (zero_division where ``den`` is 0, warned as scikit-learn
    warns for ``metric``), averaged: micro sums ``num`` and ``den`` first; macro, weighted
    (by ``weights``) and samples (by ``weights``) average the ratios, NaN left out."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    if average == "micro":
        num, den = np.sum(num, keepdims=True), np.sum(den, keepdims=True)
    ratios = _divide_rows(num[None].copy(), den[None].copy(), average, (metric,),
                          zero_division, quantities=((metric, modifier),))[0]
    if average is None:
        return ratios
    if average not in ("weighted", "samples"):
        weights = None
    elif weights is not None and not np.any(weights):
        weights = None  # all weights zero: the plain mean
    return nanaverage(ratios, weights)


def jaccard(tp: Any, pred: Any, true: Any, *, average: Any, zero_division: Any,
            sample_weight: Any = None) -> Any:
    """Jaccard index tp / (tp + fp + fn) per label (or per row for average="samples")."""
    tp, pred, true = (np.asarray(x) for x in (tp, pred, true))
    fp, fn = pred - tp, true - tp
    weights = true if average == "weighted" else sample_weight
    return ratio_scores(tp, tp + fp + fn, average=average, zero_division=zero_division,
                        metric="jaccard", modifier="true or predicted", weights=weights)


def hamming(wrong: Any, total: Any, n_labels: int = 1, n_rows: Any = None,
            weighted: bool = False) -> float:
    """Fraction of wrong labels: ``wrong / total`` for single-label rows; for ``n_labels``
    indicator columns scikit-learn's ``wrong / (rows * labels * mean weight)``, which is
    ``wrong / (rows * labels * 1.0)`` unweighted (``n_rows`` None: ``total`` is the total
    weight, ``rows * mean weight``); ``weighted``: a zero total weight is refused, as by
    ``accuracy``."""
    if n_labels == 1 and n_rows is None:
        if weighted and total == 0:  # scikit-learn's weighted mean refuses
            raise ZeroDivisionError(WEIGHTS_SUM_TO_ZERO)
        return float(np.float64(wrong) / np.float64(total))
    if n_rows is not None:
        return float(wrong) / (n_rows * n_labels * 1.0)
    # scikit-learn divides in NumPy: weights that sum to zero give inf or NaN, with
    # NumPy's RuntimeWarning, not an error
    return float(np.float64(wrong) / np.float64(n_labels * float(total)))


def zero_one(correct: Any, total: Any, normalize: bool, weighted: bool = False) -> float:
    """1 - accuracy, or (normalize=False) the number / weight of misclassified rows."""
    score = accuracy(correct, total, normalize, weighted)
    if normalize:
        return 1 - score
    return total - score


def likelihood_ratios(tn: Any, fp: Any, fn: Any, tp: Any,
                      replace_undefined_by: Any = np.nan) -> tuple[float, float]:
    """(LR+, LR-) of a binary problem from its confusion counts, scikit-learn's order
    and warnings; ``replace_undefined_by`` is np.nan or the checked {"LR+", "LR-"} dict."""
    support_pos = tp + fn
    support_neg = tn + fp
    pos_num = tp * support_neg
    pos_denom = fp * support_pos
    neg_num = fn * support_neg
    neg_denom = tn * support_pos
    replace = isinstance(replace_undefined_by, dict)
    if support_pos == 0:
        warnings.warn(
            "No samples of the positive class are present in `y_true`. "
            "`positive_likelihood_ratio` and `negative_likelihood_ratio` are both set "
            "to `np.nan`. Use the `replace_undefined_by` param to control this "
            "behavior. To suppress this warning or turn it into an error, see Python's "
            "`warnings` module and `warnings.catch_warnings()`.",
            UndefinedMetricWarning, stacklevel=4)
        lr_pos = lr_neg = np.nan
    if fp == 0:
        start = ("No samples were predicted for the positive class and "
                 "`positive_likelihood_ratio` is " if tp == 0
                 else "`positive_likelihood_ratio` is ill-defined and ")
        warnings.warn(start + "set to `np.nan`. Use the `replace_undefined_by` param to ",
                      UndefinedMetricWarning, stacklevel=4)
        lr_pos = replace_undefined_by["LR+"] if replace else replace_undefined_by
    else:
        lr_pos = pos_num / pos_denom
    if tn == 0:
        warnings.warn(
            "`negative_likelihood_ratio` is ill-defined and set to `np.nan`. "
            "Use the `replace_undefined_by` param to control this behavior. To "
            "suppress this warning or turn it into an error, see Python's "
            "`warnings` module and `warnings.catch_warnings()`.",
            UndefinedMetricWarning, stacklevel=4)
        lr_neg = replace_undefined_by["LR-"] if replace else replace_undefined_by
    else:
        lr_neg = neg_num / neg_denom
    return float(lr_pos), float(lr_neg)
