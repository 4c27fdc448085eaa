"""Errors as scikit-learn raises them: the same type, and its text within fastf1's message.

Where scikit-learn refuses an input, fastf1 must refuse it with the same exception type and
a message that contains scikit-learn's (fastf1 may add detail after it). Each case calls
scikit-learn for the expected error, so nothing here is copied from it. Inputs scikit-learn
has no words for (fastf1's own arguments, or inputs that crash it) get a clear ValueError /
TypeError, never an internal exception (numba's, ZeroDivisionError, IndexError...).
"""

from __future__ import annotations

import inspect
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sklearn.metrics as skm

import fastf1
import fastf1.metrics as metrics


def _error(func, *args, **kwargs) -> BaseException:
    with pytest.raises(Exception) as info:  # noqa: PT011  (the type is compared below)
        func(*args, **kwargs)
    return info.value


def _assert_same_error(name, y_true, y_pred, **kwargs):
    expected = _error(getattr(skm, name), y_true, y_pred, **kwargs)
    got = _error(getattr(fastf1, name), y_true, y_pred, **kwargs)
    assert type(got) is type(expected), (got, expected)
    # scikit-learn's first line (its complex-data error goes on to print the array)
    assert str(expected).splitlines()[0] in str(got), (str(got), str(expected))


def _objects(values):
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


RAGGED = [[1], [2], [0, 1]]
BIG = np.r_[np.zeros(4999), 1e19]  # first row past the range guess

CASES = {
    "no labels [[]]": ([[]], [[]], {}),
    "no labels [()]": ([()], [()], {}),
    "no columns": (np.zeros((3, 0)), np.zeros((3, 0)), {}),
    "sequences of sequences": (RAGGED, RAGGED, {}),
    "object array of lists": (_objects(RAGGED), _objects(RAGGED), {}),
    "tuples of one": (_objects([(1,), (2,)]), _objects([(1,), (2,)]), {}),
    "binary and continuous": ([0, 1, 1], [0.1, 0.5, 0.7], {}),
    "strings and continuous": (["a", "b", "a"], [0.1, 0.2, 0.3], {}),
    "continuous truth": ([0.5, 1.0, 2.0], [0, 1, 2], {}),
    "NaN truth": ([0.0, np.nan, 1.0], [0, 1, 1], {}),
    "inf truth": ([0.0, np.inf, 1.0], [0, 1, 1], {}),
    "NaN prediction": ([0, 1, 1], [0.0, 1.0, np.nan], {}),
    "inf prediction": ([0, 1, 1], [0.0, 1.0, np.inf], {}),
    "NaN prediction late": (np.zeros(6000), np.r_[np.zeros(5999), np.nan], {}),
    "inf weight": ([0, 1, 1], [0, 1, 0], {"sample_weight": [1.0, np.inf, 1.0]}),
    "NaN weight": ([0, 1, 1], [0, 1, 0], {"sample_weight": [1.0, np.nan, 1.0]}),
    "complex weight": ([0, 1, 1], [0, 1, 0], {"sample_weight": np.array([1j, 1, 1])}),
    "2-D weight": ([0, 1, 1], [0, 1, 0], {"sample_weight": np.ones((3, 2))}),
    "lengths": (np.zeros(50), np.zeros(50), {"sample_weight": np.ones(100)}),
    "lengths of y_pred": ([0, 1, 1], [0, 1], {}),
    "bytes list": ([b"a", b"b"], [b"a", b"b"], {}),
    "bytes array": (np.array([b"a", b"b"]), np.array([b"a", b"b"]), {}),
    "bytes objects": (_objects([b"a", b"b"]), _objects([b"a", b"b"]), {}),
    "1e19 in the first rows": (np.array([1e19, 0.0, 1e19]), np.array([0.0, 1e19, 1e19]), {}),
    "1e19 at row 5000": (BIG, BIG, {}),
    "2**63 as a float": (np.array([2.0**63, 0.0]), np.array([0.0, 2.0**63]), {}),
    "Decimal objects": (_objects([Decimal(1), Decimal(0)]), _objects([Decimal(1), Decimal(0)]), {}),
    "Fraction objects": (_objects([Fraction(1), Fraction(0)]),
                         _objects([Fraction(1), Fraction(0)]), {}),
    "ints beyond int64": (_objects([2**70, 0]), _objects([2**70, 0]), {}),
    "complex labels": (np.array([1j, 0]), np.array([1j, 0]), {}),
    "multiclass-multioutput": (np.array([[0, 1], [2, 1]]), np.array([[0, 1], [2, 1]]), {}),
    "continuous-multioutput": (np.array([[0, 1], [1, 0]]), np.array([[0.5, 1], [1, 0]]), {}),
}
METRICS = {
    "f1_score": {"average": "macro"},
    "accuracy_score": {},
    "precision_recall_fscore_support": {},
    "confusion_matrix": {},
    "multilabel_confusion_matrix": {},
    "classification_report": {},
}
# where scikit-learn's metric does not reach the check the case is about
NOT_COMPARABLE = {
    # confusion_matrix refuses multilabel input before it looks at the values
    ("confusion_matrix", "multiclass-multioutput"), ("confusion_matrix", "continuous-multioutput"),
    ("confusion_matrix", "no columns"), ("confusion_matrix", "no labels [[]]"),
    ("confusion_matrix", "no labels [()]"),
    # scikit-learn's confusion_matrix meets NumPy's ragged-array error first, and always
    # passes a weight vector on: it lists three lengths where the others list two
    ("confusion_matrix", "sequences of sequences"), ("confusion_matrix", "lengths of y_pred"),
}


@pytest.mark.parametrize("name, case", [(name, case) for name in METRICS for case in CASES
                                        if (name, case) not in NOT_COMPARABLE])
def test_error_as_sklearn(name, case):
    y_true, y_pred, kwargs = CASES[case]
    _assert_same_error(name, y_true, y_pred, **METRICS[name], **kwargs)


def test_samples_average_checks_values_first():
    """average='samples' of 1-D input: scikit-learn names the NaN before the form."""
    _assert_same_error("precision_recall_fscore_support", [0.0, np.nan, 1.0], [0, 1, 1],
                       average="samples")
    _assert_same_error("precision_recall_fscore_support", [0, 1, 1], [0, 1, 1],
                       average="samples")


@pytest.mark.parametrize("y_true", [[0, 1, 2, 2], ["a", "b", "c", "a"]])
def test_curve_of_multiclass_truth_as_sklearn(y_true):
    got = _error(fastf1.precision_recall_curve, y_true, [0.1, 0.4, 0.35, 0.8])
    expected = _error(skm.precision_recall_curve, y_true, [0.1, 0.4, 0.35, 0.8])
    assert type(got) is type(expected)
    assert str(expected) in str(got)


@pytest.mark.parametrize("ignore_index, error", [
    (2**70, ValueError), (2**63, ValueError), (-(2**64), ValueError), (2.0**63, ValueError), (1.5, ValueError), (np.nan, ValueError),
    ("x", TypeError), (True, TypeError), ([0], TypeError),
])
@pytest.mark.parametrize("name", ["f1_score", "confusion_matrix", "stat_scores"])
def test_bad_ignore_index(name, ignore_index, error):
    with pytest.raises(error, match="ignore_index must be an integer"):
        getattr(fastf1, name)([0, 1, 1], [0, 1, 0], ignore_index=ignore_index)


def test_integral_ignore_index_is_accepted():
    for ignore_index in (np.int8(1), 1.0, np.uint64(1)):
        assert fastf1.accuracy_score([0, 1, 1], [0, 0, 1], ignore_index=ignore_index) == 1.0
    for ignore_index in (2**63 - 1, -(2**63)):  # int64's limits: no row equals them here
        assert fastf1.accuracy_score([0, 1, 1], [0, 0, 1], ignore_index=ignore_index) == 2 / 3


@pytest.mark.parametrize("name, kwargs", [
    ("f1_score", {"average": "macro"}), ("confusion_matrix", {}),
    ("multilabel_confusion_matrix", {}), ("classification_report", {}),
])
def test_labels_must_be_1d(name, kwargs):
    with pytest.raises(ValueError, match="labels must be a 1-D list"):
        getattr(fastf1, name)([0, 1, 1], [0, 1, 0], labels=[[0, 1]], **kwargs)


@pytest.mark.parametrize("labels", [[np.nan], [0.5], [0, np.inf], ["a"]])
@pytest.mark.parametrize("name, kwargs", [
    ("f1_score", {"average": "macro"}), ("f1_score", {"average": "samples"}),
    ("multilabel_confusion_matrix", {}), ("multilabel_confusion_matrix", {"samplewise": True}),
])
def test_multilabel_labels_are_column_indices(name, kwargs, labels):
    """(scikit-learn raises IndexError for [nan] and crashes for [0.5]: not compared.)"""
    y = np.array([[0, 1], [1, 0], [1, 1]])
    with pytest.raises(ValueError, match="All labels must be in"):
        getattr(fastf1, name)(y, y, labels=labels, **kwargs)


def test_integral_float_labels_still_count():
    """The label checks refuse only what is not a label: integral floats are labels."""
    y = np.array([[0, 1], [1, 0], [1, 1]])
    assert fastf1.f1_score(y, y, labels=[1.0], average="macro") == skm.f1_score(
        y, y, labels=[1], average="macro")
    big = np.array([2.0**62, 0.0, -(2.0**63)])
    assert fastf1.f1_score(big, big, average="macro") == skm.f1_score(big, big, average="macro")


#: each public function's second argument: probabilities of the positive class, a matrix
#: of class scores, or labels (calibration_curve takes no sample_weight)
_SCORED = {"average_precision_score", "brier_score_loss", "det_curve", "log_loss",
           "precision_recall_curve", "roc_auc_score", "roc_curve", "threshold_sweep"}
_WEIGHTED = sorted(name for name in fastf1.__all__
                   if inspect.isfunction(getattr(fastf1, name))
                   and "sample_weight" in inspect.signature(getattr(fastf1, name)).parameters)


@pytest.mark.parametrize("weight", [2.0, "abc", np.float64(1.0)])
@pytest.mark.parametrize("name", _WEIGHTED)
def test_sample_weight_that_is_not_an_array_as_sklearn(name, weight):
    """scikit-learn's parameter validation: InvalidParameterError (a ValueError and a
    TypeError) naming the function, before the rows are read; fastf1's own functions
    word it alike."""
    y_true = np.array([0, 1, 1, 0])
    second = (np.array([0.2, 0.9, 0.4, 0.1]) if name in _SCORED
              else np.array([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.9, 0.1]])
              if name == "top_k_accuracy_score" else np.array([0, 1, 0, 0]))
    kwargs = {"beta": 2.0} if name == "fbeta_score" else {}
    got = _error(getattr(fastf1, name), y_true, second, sample_weight=weight, **kwargs)
    assert isinstance(got, ValueError) and isinstance(got, TypeError)
    assert type(got).__name__ == "InvalidParameterError"
    if hasattr(skm, name):
        expected = _error(getattr(skm, name), y_true, second, sample_weight=weight, **kwargs)
        assert type(expected).__name__ == "InvalidParameterError"
        assert str(got) == str(expected)
    else:
        assert str(got) == (f"The 'sample_weight' parameter of {name} must be an array-like "
                            f"or None. Got {weight!r} instead.")


#: sample weights of the wrong form: what each function's scikit-learn twin refuses (a
#: dict or a set is a 0-d object array to NumPy; a dict's len() counts its keys)
_BAD_WEIGHTS = {
    "dict": {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0},
    "empty dict": {},
    "set": {1.0, 2.0, 3.0, 4.0},
    "0-d array": np.array(1.0),
    "2x2": [[1, 1], [1, 1]],
    "4x2": [[1, 1]] * 4,
    "4x1": [[1]] * 4,
    "1x4": [[1, 1, 1, 1]],
    "3-d": np.ones((4, 1, 1)),
    "short": [1, 1, 1],
    "long": [1, 1, 1, 1, 1],
    "empty": [],
    "ragged": [[1], [1, 2], 1, 1],
}
#: where scikit-learn's error is NumPy's or Python's own crash, not a message of its own:
#: fastf1 raises the same type, with words of its own
_TYPE_ONLY = {
    # confusion_matrix takes len() of the weights as an array ("len() of unsized object"),
    # and hands empty weights to scipy's coo_matrix
    **{(name, case): "len() / coo_matrix"
       for name in ("balanced_accuracy_score", "cohen_kappa_score", "confusion_matrix")
       for case in ("dict", "empty dict", "set", "0-d array", "empty")},
    # top_k_accuracy_score's np.average refuses weights of another shape than its rows
    **{("top_k_accuracy_score", case): "np.average"
       for case in ("dict", "set", "4x2", "4x1", "3-d")},
}


def _outcome(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except Exception as e:  # noqa: BLE001  (compared with scikit-learn's below)
        return e


@pytest.mark.parametrize("case", list(_BAD_WEIGHTS))
@pytest.mark.parametrize("name", _WEIGHTED)
def test_sample_weight_of_the_wrong_form_as_sklearn(name, case):
    """A dict, a set, a 0-d array, a nested list of the wrong shape, the wrong length: what
    scikit-learn's function does (they differ: the ranking curves read the weights with
    column_or_1d, which takes an (n, 1) column; the others with _check_sample_weight;
    confusion_matrix takes their len() first). fastf1's own functions refuse them all."""
    y_true = np.array([0, 1, 1, 0])
    second = (np.array([0.2, 0.9, 0.4, 0.1]) if name in _SCORED | {"top_k_accuracy_score"}
              else np.array([0, 1, 0, 0]))
    kwargs = {"beta": 2.0} if name == "fbeta_score" else {}
    weight = _BAD_WEIGHTS[case]
    got = _outcome(getattr(fastf1, name), y_true, second, sample_weight=weight, **kwargs)
    if not hasattr(skm, name):
        assert type(got) in (ValueError, TypeError) and str(got), got
        return
    expected = _outcome(getattr(skm, name), y_true, second, sample_weight=weight, **kwargs)
    assert type(got) is type(expected), (got, expected)
    if not isinstance(expected, Exception):  # an (n, 1) column, taken as the weights
        for a, b in zip(*((x if isinstance(x, tuple) else (x,)) for x in (got, expected)),
                        strict=True):
            np.testing.assert_array_equal(a, b)
    elif (name, case) not in _TYPE_ONLY:
        assert str(expected).splitlines()[0] in str(got), (str(got), str(expected))


_UPDATES = {
    "StatScores.update": (fastf1.StatScores, ([0, 1, 1], [0, 1, 0])),
    "ScoreHistogram.update": (lambda: fastf1.ScoreHistogram(64), ([0, 1, 1], [0.2, 0.9, 0.4])),
    "TopKCounts.update": (lambda: fastf1.TopKCounts(k=1),
                          ([0, 1, 1], [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])),
}


@pytest.mark.parametrize("weight", [2.0, "abc", "abcd"])
@pytest.mark.parametrize("method", list(_UPDATES))
def test_update_names_itself_for_a_sample_weight_that_is_not_an_array(method, weight):
    """Worded as scikit-learn words its parameter errors, naming the method (a string as
    long as the chunk is no array of weights either)."""
    make, args = _UPDATES[method]
    got = _error(make().update, *args, sample_weight=weight)
    assert type(got).__name__ == "InvalidParameterError"
    assert str(got) == (f"The 'sample_weight' parameter of {method} must be an array-like "
                        f"or None. Got {weight!r} instead.")


_Y = [0, 1, 1, 0, 2]
_SCORES = [0.1, 0.8, 0.6, 0.3, 0.9]
_NAN_SCORES = [0.1, np.nan, 0.6, 0.3, 0.9]
#: several bad arguments at once: scikit-learn validates the parameters first, in its
#: signature's order, then reads the data; the first error is the one compared
_SEVERAL_BAD = [
    ("f1_score", {"average": "bogus", "labels": "ab"}),
    ("f1_score", {"average": "bogus", "sample_weight": "abc"}),
    ("f1_score", {"pos_label": [1], "average": "bogus"}),
    ("f1_score", {"zero_division": "bogus", "sample_weight": [1, 1, 1]}),
    ("f1_score", {"zero_division": "bogus", "y_pred": _Y[:4]}),
    ("precision_score", {"zero_division": "bogus", "y_true": [0, np.nan, 1, 0, 2]}),
    ("recall_score", {"average": "bogus", "y_pred": [0.5, 1, 0, 0, 2]}),
    ("precision_recall_fscore_support", {"beta": -1, "average": "bogus"}),
    ("precision_recall_fscore_support", {"warn_for": "x", "sample_weight": "abc"}),
    ("fbeta_score", {"beta": "x", "zero_division": "x"}),
    ("jaccard_score", {"average": "bogus", "zero_division": "x"}),
    ("jaccard_score", {"zero_division": "x", "sample_weight": "abc"}),
    ("classification_report", {"digits": "x", "zero_division": "x"}),
    ("classification_report", {"target_names": "ab", "sample_weight": "abc"}),
    ("classification_report", {"output_dict": "x", "y_true": [0, np.nan, 1, 0, 2]}),
    ("confusion_matrix", {"normalize": "bogus", "sample_weight": "abc"}),
    ("confusion_matrix", {"normalize": "bogus", "y_pred": _Y[:4]}),
    ("multilabel_confusion_matrix", {"samplewise": "x", "labels": "ab"}),
    ("accuracy_score", {"normalize": "x", "y_pred": _Y[:4]}),
    ("zero_one_loss", {"normalize": "x", "sample_weight": "abc"}),
    ("balanced_accuracy_score", {"adjusted": "x", "sample_weight": "abc"}),
    ("cohen_kappa_score", {"weights": "x", "sample_weight": "abc"}),
    ("cohen_kappa_score", {"replace_undefined_by": "x", "labels": "ab"}),
    ("class_likelihood_ratios", {"replace_undefined_by": "x", "sample_weight": "abc"}),
    ("roc_auc_score", {"average": "bogus", "sample_weight": "abc"}),
    ("roc_auc_score", {"multi_class": "bogus", "labels": "ab"}),
    ("log_loss", {"normalize": "x", "sample_weight": "abc"}),
    ("log_loss", {"y_true": [0, np.nan, 1, 0, 1]}),
    ("average_precision_score", {"average": "bogus", "sample_weight": "abc"}),
    ("average_precision_score", {"pos_label": 7, "y_score": _NAN_SCORES}),
    ("average_precision_score", {"sample_weight": [1, 1, 1], "y_score": _NAN_SCORES}),
    ("average_precision_score", {"sample_weight": dict.fromkeys(range(5), 1),
                                 "y_true": [0, np.nan, 1, 0, 1]}),
    ("roc_curve", {"sample_weight": [1, 1, 1], "y_score": _NAN_SCORES}),
    ("precision_recall_curve", {"drop_intermediate": "x"}),
    ("top_k_accuracy_score", {"k": 0, "sample_weight": "abc"}),
    # y_true / y_pred are parameters too: a scalar, a string or None is refused first
    ("f1_score", {"y_true": None, "average": "bogus"}),
    ("confusion_matrix", {"y_pred": 1, "labels": "ab"}),
    ("cohen_kappa_score", {"y_pred": "ab", "weights": "x"}),
    ("hamming_loss", {"y_true": "ab"}),
    ("roc_auc_score", {"y_score": None}),
    ("brier_score_loss", {"y_true": None}),
    ("top_k_accuracy_score", {"normalize": "x", "labels": "ab"}),
    # the targets before the weights: _check_targets refuses NaN first, and the scores of
    # precision_recall_fscore_support read y_true and y_pred alone before any weight
    ("accuracy_score", {"sample_weight": dict.fromkeys(range(5), 1),
                        "y_true": [0, np.nan, 1, 0, 2]}),
    ("hamming_loss", {"sample_weight": [[1]] * 5, "y_pred": [0, 1, np.inf, 0, 2]}),
    ("f1_score", {"sample_weight": [1, 1, 1], "y_pred": _Y[:4]}),
    ("f1_score", {"sample_weight": [1, 1, 1], "average": "macro",
                  "y_true": [0, np.nan, 1, 0, 2]}),
    ("precision_recall_fscore_support", {"sample_weight": [1, 1, 1], "average": "binary"}),
    ("fbeta_score", {"sample_weight": dict.fromkeys(range(5), 1), "average": "macro",
                     "y_pred": [0.5, 1, 0, 0, 2]}),
    ("jaccard_score", {"sample_weight": [1, 1, 1], "pos_label": 7}),
]


@pytest.mark.parametrize("name, bad", _SEVERAL_BAD,
                         ids=[f"{n}-{'+'.join(b)}" for n, b in _SEVERAL_BAD])
def test_first_of_several_bad_arguments_as_sklearn(name, bad):
    first, second = (("y1", "y2") if name == "cohen_kappa_score"
                     else ("y_true", "y_proba") if name in ("log_loss", "brier_score_loss")
                     else ("y_true", "y_score") if "roc" in name or "precision_" in name
                     and "curve" in name
                     or name in ("average_precision_score", "top_k_accuracy_score")
                     else ("y_true", "y_pred"))
    scored = second != "y_pred"
    kwargs = {first: [0, 1, 1, 0, 1] if scored else _Y, second: _SCORES if scored else _Y,
              **({"beta": 2.0} if name == "fbeta_score" and "beta" not in bad else {})}
    kwargs.update({{"y_true": first, "y_pred": second, "y_score": second}.get(k, k): v
                   for k, v in bad.items()})
    got = _error(getattr(fastf1, name), **kwargs)
    expected = _error(getattr(skm, name), **kwargs)
    assert type(got).__name__ == type(expected).__name__, (got, expected)
    if type(expected).__name__ == "InvalidParameterError":
        # the same parameter, the same value (scikit-learn prints sets of options in
        # hash order: the text between differs from run to run)
        assert str(got).split(" must be ")[0] == str(expected).split(" must be ")[0]
        assert str(got).rsplit(". Got ", 1)[1] == str(expected).rsplit(". Got ", 1)[1]
    else:
        assert str(expected).splitlines()[0] in str(got), (str(got), str(expected))


@pytest.mark.parametrize("method", ["ScoreHistogram.update", "TopKCounts.update"])
def test_update_of_scores_names_y_score_in_a_length_mismatch(method):
    make, args = _UPDATES[method]
    with pytest.raises(ValueError, match=r"\[3, 3, 2\] \(y_true has 3, y_score has 3, "
                                         r"sample_weight has 2\)"):
        make().update(*args, sample_weight=[1.0, 1.0])


@pytest.mark.parametrize("name", ["balanced_accuracy_score", "cohen_kappa_score",
                                  "confusion_matrix", "matthews_corrcoef", "f1_score",
                                  "hamming_loss"])
def test_a_target_that_is_not_an_array_worded_as_sklearn(name):
    """scikit-learn's twins of the first four take array-likes only, the others sparse
    matrices too: each says so in its own words."""
    got = _error(getattr(fastf1, name), 1, [0, 1])
    expected = _error(getattr(skm, name), 1, [0, 1])
    assert type(got).__name__ == type(expected).__name__ == "InvalidParameterError"
    assert str(got) == str(expected)


@pytest.mark.parametrize("name", ["f1_score", "fbeta_score", "precision_score",
                                  "recall_score", "precision_recall_fscore_support"])
def test_a_score_checks_its_parameters_once(name, monkeypatch):
    """The scores built on precision_recall_fscore_support validate their parameters once
    per call, as scikit-learn skips the nested calls' validation (a small call's cost)."""
    calls = []

    def counted(func, **params):
        calls.append(func)
        real(func, **params)

    real = metrics.check_params
    monkeypatch.setattr(metrics, "check_params", counted)
    kwargs = {"beta": 2.0} if name == "fbeta_score" else {}
    getattr(fastf1, name)([0, 1, 1], [0, 1, 0], **kwargs)
    assert calls == [name]


_BOOL_PARAMS = [(name, {"zero_division": zd}) for zd in (True, False)
                for name in ("precision_recall_fscore_support", "fbeta_score", "f1_score",
                             "jaccard_score", "classification_report")] + [
    (name, {"beta": beta}) for beta in (True, False)
    for name in ("precision_recall_fscore_support", "fbeta_score")]


@pytest.mark.parametrize("name, kwargs", _BOOL_PARAMS,
                         ids=[f"{n}-{k}" for n, k in _BOOL_PARAMS])
def test_a_bool_is_a_real_parameter_as_for_sklearn(name, kwargs):
    """scikit-learn's validation takes a bool for a Real (True is 1): zero_division=False
    and beta=True are accepted there, with the results of 0 and 1 (numpy.bool is no Real,
    and is refused by both)."""
    if name == "fbeta_score" and "beta" not in kwargs:
        kwargs = {**kwargs, "beta": 2.0}
    y_true, y_pred = [0, 1, 1, 2, 2, 0], [0, 1, 0, 0, 0, 0]  # no prediction of 2
    extra = {} if name in ("classification_report", "precision_recall_fscore_support") \
        else {"average": "macro"}
    got = getattr(fastf1, name)(y_true, y_pred, **kwargs, **extra)
    expected = getattr(skm, name)(y_true, y_pred, **kwargs, **extra)
    if name == "classification_report":
        assert got == expected
    else:
        for a, b in zip(*((x if isinstance(x, tuple) else (x,)) for x in (got, expected)),
                        strict=True):
            np.testing.assert_array_equal(a, b)
