"""The registry of (fastf1, scikit-learn) function pairs and the comparison every test uses."""

from __future__ import annotations

import warnings

import numpy as np
import sklearn.metrics as skm

import fastf1

# name -> (fastf1 function, sklearn function, fixed keyword arguments)
AVERAGED = {
    "f1_score": (fastf1.f1_score, skm.f1_score, {}),
    "fbeta_score[0.5]": (fastf1.fbeta_score, skm.fbeta_score, {"beta": 0.5}),
    "fbeta_score[2]": (fastf1.fbeta_score, skm.fbeta_score, {"beta": 2.0}),
    "fbeta_score[0]": (fastf1.fbeta_score, skm.fbeta_score, {"beta": 0.0}),
    "fbeta_score[inf]": (fastf1.fbeta_score, skm.fbeta_score, {"beta": np.inf}),
    "precision_score": (fastf1.precision_score, skm.precision_score, {}),
    "recall_score": (fastf1.recall_score, skm.recall_score, {}),
    "precision_recall_fscore_support": (
        fastf1.precision_recall_fscore_support, skm.precision_recall_fscore_support, {}),
}

OTHER = {
    "accuracy_score": (fastf1.accuracy_score, skm.accuracy_score),
    "confusion_matrix": (fastf1.confusion_matrix, skm.confusion_matrix),
    "multilabel_confusion_matrix": (fastf1.multilabel_confusion_matrix,
                                    skm.multilabel_confusion_matrix),
    "classification_report": (fastf1.classification_report, skm.classification_report),
}

# the rest of the scorecard: name -> (fastf1 function, sklearn function)
SCORECARD = {
    "balanced_accuracy_score": (fastf1.balanced_accuracy_score, skm.balanced_accuracy_score),
    "class_likelihood_ratios": (fastf1.class_likelihood_ratios, skm.class_likelihood_ratios),
    "cohen_kappa_score": (fastf1.cohen_kappa_score, skm.cohen_kappa_score),
    "hamming_loss": (fastf1.hamming_loss, skm.hamming_loss),
    "jaccard_score": (fastf1.jaccard_score, skm.jaccard_score),
    "matthews_corrcoef": (fastf1.matthews_corrcoef, skm.matthews_corrcoef),
    "top_k_accuracy_score": (fastf1.top_k_accuracy_score, skm.top_k_accuracy_score),
    "zero_one_loss": (fastf1.zero_one_loss, skm.zero_one_loss),
}

AVERAGES = ["binary", "micro", "macro", "weighted", "samples", None]
ZERO_DIVISIONS = ["warn", 0.0, 1.0, np.nan]


def _call(func, *args, **kwargs):
    """(result or None, exception type or None, sorted user warnings as (class name, text))."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = func(*args, **kwargs), None
        except (ValueError, TypeError) as exc:
            # sklearn's InvalidParameterError is both: compare the family only
            result, error = None, ValueError if isinstance(exc, ValueError) else TypeError
    seen = sorted(
        (type(w.message).__name__, str(w.message))
        for w in caught if issubclass(w.category, UserWarning)
    )
    return result, error, seen


def assert_equal_results(ours, theirs, exact: bool) -> None:
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, type(theirs)), (ours, theirs)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_equal_results(a, b, exact)
        return
    if isinstance(theirs, dict):
        assert ours.keys() == theirs.keys()
        for key in theirs:
            assert_equal_results(ours[key], theirs[key], exact)
        return
    if isinstance(theirs, str) and not exact:
        # a weighted text report prints the float support in full: compare numbers by value
        ours_tokens, theirs_tokens = ours.split(), theirs.split()
        assert len(ours_tokens) == len(theirs_tokens), (ours, theirs)
        for a, b in zip(ours_tokens, theirs_tokens):
            try:
                x, y = float(a), float(b)
            except ValueError:
                assert a == b
                continue
            if not np.isclose(x, y, rtol=1e-9, atol=0, equal_nan=True):
                # a score printed to d decimals: two values equal to rounding that straddle
                # a half-way point (0.25000000000000006 and 0.25 at one decimal) print one
                # unit of the last decimal apart, and no more
                decimals = len(b.partition(".")[2])
                assert len(a.partition(".")[2]) == decimals > 0, (a, b, ours, theirs)
                assert abs(x - y) <= 1.5 * 10.0**-decimals, (a, b, ours, theirs)
        return
    if theirs is None or isinstance(theirs, str):
        assert ours == theirs
        return
    if isinstance(theirs, float):
        assert isinstance(ours, float), f"expected a Python float, got {type(ours)}"
    else:
        assert np.asarray(ours).dtype == np.asarray(theirs).dtype, (ours, theirs)
        assert np.shape(ours) == np.shape(theirs)
    if exact:
        np.testing.assert_array_equal(ours, theirs)
    else:
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def compare(ours_func, theirs_func, args, kwargs, *, exact=True, ours_extra=None,
            check_warnings=True):
    """Call both; they must agree on result, error type and warnings."""
    ours = _call(ours_func, *args, **kwargs, **(ours_extra or {}))
    theirs = _call(theirs_func, *args, **kwargs)
    assert ours[1] == theirs[1], f"error: fastf1 {ours[1]}, sklearn {theirs[1]}"
    if theirs[1] is None:
        assert_equal_results(ours[0], theirs[0], exact)
    if check_warnings and theirs[1] is None:  # warnings before an error don't matter
        assert ours[2] == theirs[2]
    return ours[0]
