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
        except (ValueError, TypeError) as exc:
            result = (ValueError if isinstance(exc, ValueError) else TypeError, str(exc))
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


SCALAR_WEIGHT_FUNCS = [("f1_score", "labels"), ("confusion_matrix", "labels"),
                       ("accuracy_score", "labels"), ("log_loss", "scores"),
                       ("roc_curve", "scores"), ("top_k_accuracy_score", "scores")]


@pytest.mark.parametrize(("name", "kind"), SCALAR_WEIGHT_FUNCS)
@pytest.mark.parametrize("weight", [2.0, np.float64(2.0), np.array(2.0)],
                         ids=["float", "float64", "0-d"])
def test_scalar_sample_weight_is_refused_as_sklearn(name, kind, weight):
    # scikit-learn's parameter check refuses a number (ValueError), and a 0-d array has no
    # rows (TypeError); fastf1 took the number as every row's weight, or crashed
    t = [0, 1, 1]
    p = [0, 1, 0] if kind == "labels" else [0.1, 0.8, 0.4]
    want = _outcome(getattr(skm, name), t, p, sample_weight=weight)[0]
    got = _outcome(getattr(fastf1, name), t, p, sample_weight=weight)[0]
    assert type(want) is tuple and type(got) is tuple and got[0] is want[0]
    if want[0] is ValueError:
        # scikit-learn's text; the label metrics cannot name the function in it
        assert got[1] in (want[1], want[1].replace(f" of {name}", ""))


def test_strings_differing_by_trailing_nuls_are_one_label():
    # NumPy's string arrays drop trailing NULs: fastf1 counts "a" and "a\x00" as one label,
    # as scikit-learn does given the same labels as a NumPy string array (given the object
    # array, it lists both labels: docs/differences.md)
    t = np.array(["a", "a\x00", "b", "b\x00\x00"], dtype=object)
    p = np.array(["a", "a", "b\x00", "a"], dtype=object)
    as_str = (t.astype(str), p.astype(str))
    assert as_str[0].tolist() == ["a", "a", "b", "b"]
    np.testing.assert_array_equal(fastf1.confusion_matrix(t, p), skm.confusion_matrix(*as_str))
    assert fastf1.f1_score(t, p, average=None).tolist() == \
        skm.f1_score(*as_str, average=None).tolist()
