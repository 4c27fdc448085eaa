"""Edges found by probing the public API against scikit-learn 1.9 (each compared with it)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm

import fastf1


def _outcome(func, *args, **kwargs):
    """(result or (error type, message), sorted warning texts) of ``func(...)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = func(*args, **kwargs)
        except ValueError as exc:
            result = (ValueError, str(exc))
    return result, sorted(str(w.message) for w in caught if issubclass(w.category, UserWarning))


@pytest.mark.parametrize("labels", [None, [2], [3]])
def test_class_likelihood_ratios_of_one_label_warn_then_raise(labels):
    # scikit-learn's confusion matrix is 1 x 1: its warning, then the unpacking error
    t = p = np.array([2, 2])
    want = _outcome(skm.class_likelihood_ratios, t, p, labels=labels)
    assert want[0][0] is ValueError
    assert _outcome(fastf1.class_likelihood_ratios, t, p, labels=labels) == want
    stream = fastf1.StatScores().update(t, p)
    assert _outcome(stream.class_likelihood_ratios, labels=labels) == want
