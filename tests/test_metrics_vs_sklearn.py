"""Every public function against scikit-learn: results, errors and warnings.

One registry (``_reference``) of function pairs; hypothesis draws the data in every input
form (label vocabularies, multilabel), with and without weights, ``labels=`` and
``pos_label=``. Integer counts give bit-identical scores; weighted ones agree to rtol 1e-9.
"""

from __future__ import annotations

import numpy as np
import pytest
from _reference import AVERAGED, AVERAGES, OTHER, SCORECARD, ZERO_DIVISIONS, compare
from hypothesis import given
from hypothesis import strategies as st
from strategies import FEW, label_problem, labels_argument, multilabel_problem


def _pos_label(draw, vocab):
    return draw(st.sampled_from([1, *vocab]))


@pytest.mark.parametrize("zero_division", ZERO_DIVISIONS, ids=str)
@pytest.mark.parametrize("average", AVERAGES, ids=str)
@pytest.mark.parametrize("name", sorted(AVERAGED))
@FEW
@given(data=st.data())
def test_averaged_metrics_on_labels(name, average, zero_division, data, kernel_mode):
    ours, theirs, fixed = AVERAGED[name]
    y_true, y_pred, weights, vocab = data.draw(label_problem())
    kwargs = dict(fixed, average=average, zero_division=zero_division, sample_weight=weights,
                  labels=data.draw(labels_argument(vocab)), pos_label=_pos_label(data.draw, vocab))
    compare(ours, theirs, (y_true, y_pred), kwargs, exact=weights is None)


@pytest.mark.parametrize("zero_division", ZERO_DIVISIONS, ids=str)
@pytest.mark.parametrize("average", AVERAGES, ids=str)
@pytest.mark.parametrize("name", sorted(AVERAGED))
@FEW
@given(data=st.data())
def test_averaged_metrics_on_multilabel(name, average, zero_division, data, kernel_mode):
    ours, theirs, fixed = AVERAGED[name]
    y_true, y_pred, weights, vocab = data.draw(multilabel_problem())
    labels = data.draw(st.one_of(st.none(), st.lists(st.integers(-1, len(vocab)), min_size=1,
                                                     max_size=4, unique=True)))
    kwargs = dict(fixed, average=average, zero_division=zero_division, sample_weight=weights,
                  labels=labels)
    compare(ours, theirs, (y_true, y_pred), kwargs, exact=weights is None)


@given(data=st.data(), normalize=st.booleans())
def test_accuracy_score(data, normalize, kernel_mode):
    problem = data.draw(st.one_of(label_problem(), multilabel_problem()))
    y_true, y_pred, weights, _ = problem
    ours, theirs = OTHER["accuracy_score"]
    compare(ours, theirs, (y_true, y_pred), dict(normalize=normalize, sample_weight=weights),
            exact=weights is None)


@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
@given(data=st.data())
def test_confusion_matrix(normalize, data, kernel_mode):
    y_true, y_pred, weights, vocab = data.draw(label_problem())
    ours, theirs = OTHER["confusion_matrix"]
    kwargs = dict(labels=data.draw(labels_argument(vocab)), sample_weight=weights,
                  normalize=normalize)
    compare(ours, theirs, (y_true, y_pred), kwargs, exact=weights is None and normalize is None)


@given(data=st.data(), samplewise=st.booleans())
def test_multilabel_confusion_matrix(data, samplewise, kernel_mode):
    problem = data.draw(st.one_of(label_problem(), multilabel_problem()))
    y_true, y_pred, weights, vocab = problem
    labels = data.draw(labels_argument(vocab))
    ours, theirs = OTHER["multilabel_confusion_matrix"]
    compare(ours, theirs, (y_true, y_pred),
            dict(labels=labels, sample_weight=weights, samplewise=samplewise),
            exact=weights is None)


@pytest.mark.parametrize("output_dict", [False, True])
@given(data=st.data(), digits=st.integers(1, 5), zero_division=st.sampled_from(ZERO_DIVISIONS))
def test_classification_report(output_dict, data, digits, zero_division, kernel_mode):
    problem = data.draw(st.one_of(label_problem(), multilabel_problem()))
    y_true, y_pred, weights, vocab = problem
    labels = data.draw(labels_argument(vocab))
    ours, theirs = OTHER["classification_report"]
    compare(ours, theirs, (y_true, y_pred),
            dict(labels=labels, sample_weight=weights, digits=digits, output_dict=output_dict,
                 zero_division=zero_division),
            exact=weights is None)


@pytest.mark.parametrize("name", sorted(AVERAGED))
@pytest.mark.parametrize("average", ["micro", "macro", "weighted", None])
def test_large_multiclass_bit_identical(name, average, rng, kernel_mode):
    """Many rows and classes (dense-range retry and 100k classes) still match exactly."""
    ours, theirs, fixed = AVERAGED[name]
    for k in (7, 3000, 100_000):
        y_true = rng.integers(0, k, 20_000)
        y_pred = np.where(rng.random(20_000) < 0.6, y_true, rng.integers(0, k, 20_000))
        compare(ours, theirs, (y_true, y_pred), dict(fixed, average=average),
                check_warnings=False)


_MIXED_DATA = [(np.array([0, 1, 1, 0, 2]), np.array([1, 1, 0, 0, 2])),
               (np.array([0.0, 1.0, 1.0, 0.0]), np.array([1.0, 1.0, 0.0, 0.0])),
               (np.array(["a", "b", "1"]), np.array(["1", "b", "b"]))]


@pytest.mark.parametrize("labels", [["a"], ["a", "1"], ["1", "0"], [1, "a"], ["1.0", "0.0"],
                                    [1, 0], ["b", 1], ["z", "y"]], ids=str)
@pytest.mark.parametrize("data", range(len(_MIXED_DATA)))
def test_labels_of_the_other_kind(data, labels):
    """labels= strings for numeric data (or numbers for strings): scikit-learn concatenates
    them with the labels present, so they meet as strings ("1" is 1, "1.0" is 1.0) for the
    set-wise metrics, while confusion_matrix finds them as strings but counts no row."""
    y_true, y_pred = _MIXED_DATA[data]
    for name in ("f1_score", "precision_recall_fscore_support", "jaccard_score"):
        ours, theirs, fixed = AVERAGED.get(name) or (*SCORECARD[name], {})
        for average in (None, "macro", "micro"):
            compare(ours, theirs, (y_true, y_pred), dict(fixed, labels=labels, average=average))
    for name in ("multilabel_confusion_matrix", "classification_report", "confusion_matrix"):
        compare(*OTHER[name], (y_true, y_pred), {"labels": labels})
    if y_true.dtype.kind != "U":  # (scikit-learn crashes on string data with number labels)
        compare(*SCORECARD["cohen_kappa_score"], (y_true, y_pred), {"labels": labels})
        if len(labels) == 2:
            compare(*SCORECARD["class_likelihood_ratios"], (y_true, y_pred), {"labels": labels})


def test_classification_report_text_at_a_rounding_boundary():
    """Weighted scores equal to rounding may print either side of a half-way point: here
    label 1's recall is 0.25 (fastf1) or 0.25000000000000006 (scikit-learn's sums of 1.1),
    "0.2" or "0.3" at one decimal. Found as a rare hypothesis failure."""
    y_true = np.array([2, 1, 1, 2, 2, 2, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 2, 1])
    y_pred = np.array([0, 2, 2, 0, 2, 2, 2, 1, 2, 0, 0, 2, 1, 1, 2, 0, 1, 2])
    w = np.full(y_true.shape, 1.1)
    for output_dict in (False, True):
        compare(*OTHER["classification_report"], (y_true, y_pred),
                dict(sample_weight=w, digits=1, output_dict=output_dict), exact=False)
    # an absent label's undefined scores print "nan" on both sides
    compare(*OTHER["classification_report"], (y_true, y_pred),
            dict(sample_weight=w, labels=[0, 1, 2, 5], zero_division=np.nan), exact=False)
