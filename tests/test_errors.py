"""Bad input gets a clear ValueError / TypeError naming the problem, never a crash."""

from __future__ import annotations

import numpy as np
import pytest

import fastf1

Y = np.array([0, 1, 2, 1])


@pytest.mark.parametrize(
    "y_true, y_pred, kwargs, error, match",
    [
        (Y, Y[:3], {}, ValueError, "inconsistent numbers of samples"),
        ([], [], {}, ValueError, "empty"),
        (np.zeros((2, 2, 2)), np.zeros((2, 2, 2)), {}, ValueError, "3 dimensions"),
        (Y, Y, {"average": "mean"}, ValueError, "The 'average' parameter of f1_score must be"),
        (Y, Y, {"zero_division": 2}, ValueError, "zero_division"),
        (Y, Y, {"zero_division": "nan"}, ValueError, "zero_division"),
        (Y, Y, {"threshold": 0.5}, TypeError, "threshold= applies to float scores"),
        (Y, Y, {"sample_weight": ["a", "b", "c", "d"]}, TypeError, "sample_weight must be numeric"),
        (Y, Y, {"sample_weight": [1.0, 2.0]}, ValueError, "inconsistent numbers of samples"),
        (Y, Y, {"sample_weight": [1.0, np.nan, 1.0, 1.0]}, ValueError, "sample_weight contains 1 NaN"),
        (Y, Y, {"sample_weight": [0.0, 0.0, 0.0, 0.0]}, ValueError, "at least one non-zero"),
        ([0, 1, "a"], [0, 1, 1], {}, ValueError, "Mix of label input types"),
        (["a", "b"], [0, 1], {}, ValueError, "Mix of label input types"),
        ([0.5, 1.0], [0, 1], {}, ValueError, "y_true contains 1 value"),
        ([0, 1], [0.5, 1.0], {}, ValueError, "pass threshold="),
        ([0, 1], [np.nan, 1.0], {}, ValueError, "y_pred contains 1 value"),
        ([0, 1], [0.2, np.nan], {"threshold": 0.5}, ValueError, "NaN or inf"),
        ([0, 1], [0.2, np.inf], {"threshold": 0.5}, ValueError, "NaN or inf"),
        ([0, 2], [0.2, 0.7], {"threshold": 0.5}, ValueError, "only 0 and 1"),
        ([0, 1], [0.2, 0.7], {"threshold": [0.5, 0.5]}, ValueError, "one number"),
        ([0, 5], np.random.rand(2, 3), {}, ValueError, r"outside \[0, 3\)"),
        ([0, 1], np.array([[0.1, np.nan], [0.3, 0.2]]), {}, ValueError, "NaN or inf"),
        ([0, 1], np.zeros((2, 0)), {}, ValueError, "no columns"),
        ([0, 1], [[0, 1], [1, 0]], {}, ValueError, "mix of multiclass and multilabel"),
        ([[0, 1], [1, 0]], [0, 1], {}, ValueError, "mix of multilabel-indicator and multiclass"),
        ([[0, 1], [1, 0]], [[0, 1, 1], [1, 0, 0]], {}, ValueError, "columns"),
        ([[0, 2], [1, 0]], [[0, 1], [1, 0]], {}, ValueError, "only 0 and 1"),
        ([[0, 1], [1, 0]], [[0.3, 0.6], [0.9, 0.1]], {}, ValueError, "multilabel indicators"),
        ([[0, 1], [1, 0]], [[0, 1], [1, 0]], {"labels": [0, 2]}, ValueError, "All labels must be in"),
        ([[0, 1], [1, 0]], [[0, 1], [1, 0]], {"labels": [-1, 0]}, ValueError, "All labels must be in"),
        (Y, Y, {"average": "binary"}, ValueError, "Target is multiclass but average='binary'"),
        ([0, 1], [0, 1], {"pos_label": 2, "average": "binary"}, ValueError, "pos_label=2 is not a valid label"),
        (None, Y, {}, TypeError, "The 'y_true' parameter of f1_score must be an array-like"),
        (Y, np.array([object(), 1, 2, 3], dtype=object), {}, ValueError, "missing values"),
        (Y, np.array(["2026-01-01"] * 4, dtype="datetime64[D]"), {}, TypeError, "unsupported dtype"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_input_raises_clear_error(y_true, y_pred, kwargs, error, match):
    average = kwargs.pop("average", "macro")
    with pytest.raises(error, match=match):
        fastf1.f1_score(y_true, y_pred, average=average, **kwargs)


def test_bad_beta_and_bad_confusion_arguments():
    with pytest.raises(ValueError, match="beta"):
        fastf1.fbeta_score(Y, Y, beta=-1, average="macro")
    with pytest.raises(ValueError, match="normalize"):
        fastf1.confusion_matrix(Y, Y, normalize="rows")
    with pytest.raises(ValueError, match="at least one label"):
        fastf1.confusion_matrix(Y, Y, labels=[])
    with pytest.raises(ValueError, match="must be in y_true"):
        fastf1.confusion_matrix(Y, Y, labels=[7])
    with pytest.raises(ValueError, match="multilabel-indicator is not supported"):
        fastf1.confusion_matrix([[0, 1], [1, 0]], [[0, 1], [1, 1]])


def test_statscores_misuse():
    empty = fastf1.StatScores()
    with pytest.raises(ValueError, match="empty"):
        empty.f1_score(average="macro")
    multilabel = fastf1.stat_scores([[0, 1], [1, 0]], [[0, 1], [1, 1]])
    with pytest.raises(ValueError, match="per-row counts"):
        multilabel.f1_score(average="samples")
    with pytest.raises(ValueError, match="per-row counts"):
        multilabel.accuracy_score()
    single = fastf1.stat_scores([0, 1], [0, 1])
    with pytest.raises(ValueError, match="multilabel counts with single-label"):
        _ = single + multilabel
    with pytest.raises(ValueError, match="Mix of label input types"):
        _ = single + fastf1.stat_scores(["a"], ["b"])


def test_every_row_ignored_is_a_clear_error():
    with pytest.raises(ValueError, match="every y_true equals ignore_index"):
        fastf1.f1_score([-1, -1], [1, 0], ignore_index=-1)


def test_half_precision_is_widened_not_refused():
    y = np.array([0, 1, 2, 2], np.float16)
    assert fastf1.f1_score(y, y, average="macro") == 1.0
    scores = np.array([0.2, 0.7, 0.4, 0.9], np.float16)
    assert fastf1.f1_score([0, 1, 0, 1], scores, threshold=0.5) == 1.0
