"""Sample weights that are all zero: scikit-learn refuses them, and so does every path of
fastf1 that scores them, chunk by chunk (StatScores.update, files, Dask) as well as in one
call. A single chunk of zero weights is fine; the score of a stream is refused only when
every weight it saw was zero."""

from __future__ import annotations

import json
import pickle
import warnings

import numpy as np
import pytest
import sklearn.metrics as skm

import fastf1

Y_TRUE = np.array([0, 1, 2, 2, 1, 0])
Y_PRED = np.array([0, 2, 2, 1, 1, 0])
B_TRUE = np.array([0, 1, 1, 0, 1, 0])
B_PRED = np.array([0, 1, 0, 0, 1, 1])
M_TRUE = np.array([[0, 1], [1, 1], [1, 0], [0, 0]])
M_PRED = np.array([[1, 1], [0, 1], [1, 0], [0, 1]])

# (scikit-learn's function, keyword arguments, data): every one of them refuses all-zero
# weights in scikit-learn 1.9 (or, for average='binary' on multiclass data, says so first)
CASES = [
    ("f1_score", dict(average="macro"), "multiclass"),
    ("f1_score", {}, "binary"),
    ("f1_score", {}, "multiclass"),  # the average's error comes before the weights'
    ("f1_score", dict(average="micro"), "multilabel"),
    ("precision_score", dict(average="micro"), "multiclass"),
    ("recall_score", dict(average="weighted"), "multiclass"),
    ("fbeta_score", dict(beta=2.0, average=None), "multiclass"),
    ("precision_recall_fscore_support", dict(average="macro", labels=[7]), "multiclass"),
    ("accuracy_score", {}, "multiclass"),
    ("accuracy_score", dict(normalize=False), "multiclass"),
    ("jaccard_score", dict(average="macro"), "multiclass"),
    ("matthews_corrcoef", {}, "multiclass"),
    ("cohen_kappa_score", {}, "multiclass"),
    ("balanced_accuracy_score", {}, "multiclass"),
    ("hamming_loss", {}, "multiclass"),
    ("hamming_loss", {}, "multilabel"),
    ("zero_one_loss", {}, "multiclass"),
    ("class_likelihood_ratios", {}, "binary"),
    ("class_likelihood_ratios", {}, "multiclass"),
    ("multilabel_confusion_matrix", {}, "multiclass"),
    ("multilabel_confusion_matrix", {}, "multilabel"),
    ("classification_report", {}, "multiclass"),
]
DATA = {"multiclass": (Y_TRUE, Y_PRED), "binary": (B_TRUE, B_PRED),
        "multilabel": (M_TRUE, M_PRED),
        # scores of the positive class, and a matrix of class scores (rows sum to 1)
        "scores": (B_TRUE, np.array([0.1, 0.8, 0.3, 0.4, 0.9, 0.2])),
        "matrix": (Y_TRUE, np.array([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7], [0.2, 0.2, 0.6],
                                     [0.3, 0.4, 0.3], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1]]))}


def _outcome(func, *args, **kwargs):
    """("raises", type, message) or ("returns", value) of ``func(*args, **kwargs)``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("returns", func(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 (compared with scikit-learn's)
            # scikit-learn's InvalidParameterError is a ValueError
            kind = ValueError if isinstance(exc, ValueError) else type(exc)
            return ("raises", kind, str(exc))


def _stream(t, p, w, cut=3):
    return fastf1.StatScores().update(t[:cut], p[:cut], w[:cut]).update(t[cut:], p[cut:],
                                                                           w[cut:])


@pytest.mark.parametrize(("name", "kwargs", "data"), CASES,
                         ids=[f"{n}-{d}-{k}" for n, k, d in CASES])
def test_stream_of_zero_weights_raises_as_sklearn(name, kwargs, data):
    t, p = DATA[data]
    w = np.zeros(len(t))
    theirs = _outcome(getattr(skm, name), t, p, sample_weight=w, **kwargs)
    assert theirs[0] == "raises"
    stream = _stream(t, p, w)
    ours = _outcome(getattr(stream, name), **kwargs)
    assert ours == theirs
    # the counts themselves stay readable: zeros
    assert not stream.tp.any() and not stream.support.any() and stream.total == 0


def test_one_zero_weight_chunk_in_a_stream_scores_as_sklearn():
    w = np.array([0.0, 0.0, 0.0, 0.5, 2.0, 1.0])
    stream = _stream(Y_TRUE, Y_PRED, w)
    assert stream.f1_score(average="macro") == pytest.approx(
        skm.f1_score(Y_TRUE, Y_PRED, average="macro", sample_weight=w), rel=1e-12)
    # weights that cancel out are not all zero: scikit-learn scores them
    t, w = np.array([0, 0]), np.array([1.0, -1.0])
    stream = _stream(t, t, w, cut=1)
    for normalize in (False, True):
        assert _outcome(stream.accuracy_score, normalize=normalize) == _outcome(
            skm.accuracy_score, t, t, normalize=normalize, sample_weight=w)


def test_zero_weights_survive_json_and_pickle_and_old_documents_load():
    stream = _stream(Y_TRUE, Y_PRED, np.zeros(6))
    for back in (fastf1.StatScores.from_json(stream.to_json()),
                 pickle.loads(pickle.dumps(stream))):
        with pytest.raises(ValueError, match="at least one non-zero"):
            back.f1_score(average="macro")
    # saved before the flag was recorded: loads, and scores as it did (not refused)
    doc = json.loads(stream.to_json())
    del doc["counts"]["some_weight"]
    assert fastf1.StatScores.from_json(json.dumps(doc)).f1_score(average="macro",
                                                                 zero_division=0) == 0.0
    state = stream.__dict__.copy()
    del state["_some_weight"]
    unpickled = fastf1.StatScores.__new__(fastf1.StatScores)
    unpickled.__dict__.update(state)
    assert pickle.loads(pickle.dumps(unpickled)).f1_score(average="macro",
                                                          zero_division=0) == 0.0
    # a document that says "every weight zero" of non-zero counts is refused
    doc = json.loads(_stream(Y_TRUE, Y_PRED, np.ones(6)).to_json())
    doc["counts"]["some_weight"] = False
    with pytest.raises(ValueError, match="some_weight"):
        fastf1.StatScores.from_json(json.dumps(doc))


def test_files_of_zero_weights_raise(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "scores.parquet"
    pq.write_table(pa.table({"t": Y_TRUE, "p": Y_PRED, "w": np.zeros(6)}), path,
                   row_group_size=2)
    from fastf1.io import score_files

    counts = score_files(str(path), true="t", pred="p", sample_weight="w", chunk_rows=2)
    with pytest.raises(ValueError, match="at least one non-zero"):
        counts.f1_score(average="macro")


def test_dask_zero_weights_raise():
    da = pytest.importorskip("dask.array")
    t, p = (da.from_array(x, chunks=2) for x in (Y_TRUE, Y_PRED))
    for w in (np.zeros(6), np.array([0.0, 0.0, 1.0, -1.0, 0.0, 0.0])):
        dw = da.from_array(w, chunks=2)
        for name, kwargs in (("f1_score", {"average": "macro"}), ("confusion_matrix", {})):
            ours = _outcome(getattr(fastf1, name), t, p, sample_weight=dw, **kwargs)
            theirs = _outcome(getattr(skm, name), Y_TRUE, Y_PRED, sample_weight=w, **kwargs)
            assert ours[0] == theirs[0]
            if ours[0] == "raises":
                assert ours == theirs
            else:
                np.testing.assert_allclose(ours[1], theirs[1])
    # by group, counted on the workers: a group whose weights are all zero is named
    dw, dg = (da.from_array(x, chunks=2) for x in (np.r_[1.0, 2, 3, 0, 0, 0],
                                                   np.repeat(["a", "b"], 3)))
    with pytest.raises(ValueError, match="^group 'b': Sample weights must contain at least"):
        fastf1.f1_score(t, p, average="macro", sample_weight=dw, groups=dg)


@pytest.mark.parametrize(("name", "kwargs", "data"), [
    ("accuracy_score", {}, "multiclass"), ("accuracy_score", {}, "multilabel"),
    ("accuracy_score", dict(normalize=False), "multiclass"),
    ("zero_one_loss", {}, "multiclass"), ("zero_one_loss", {}, "multilabel"),
    ("zero_one_loss", dict(normalize=False), "multiclass"),
    ("hamming_loss", {}, "multiclass"), ("hamming_loss", {}, "multilabel"),
])
def test_weights_that_sum_to_zero_as_sklearn(name, kwargs, data):
    """Weights that cancel out (not all zero): scikit-learn's weighted mean refuses them
    (ZeroDivisionError), and its multilabel Hamming loss divides to inf or NaN."""
    t, p = DATA[data]
    w = np.array([1.0, -1.0, 2.0, -2.0, 0.0, 0.0])[:len(t)]
    theirs = _outcome(getattr(skm, name), t, p, sample_weight=w, **kwargs)
    ours = [_outcome(getattr(fastf1, name), t, p, sample_weight=w, **kwargs)]
    if data != "multilabel" or name == "hamming_loss":  # StatScores keeps no per-row counts
        stream = _stream(t, p, w, cut=1)
        ours.append(_outcome(getattr(stream, name), **kwargs))
    for outcome in ours:
        assert outcome[0] == theirs[0]
        if theirs[0] == "raises":
            assert outcome == theirs
        else:
            np.testing.assert_allclose(outcome[1], theirs[1])


def test_bootstrap_replicates_of_zero_weight_are_nan_not_an_error():
    # a replicate that draws no row weighs zero: its accuracy is undefined (NaN), while
    # the whole data set's error (scikit-learn's ZeroDivisionError) is not raised for it
    res = fastf1.resampling.bootstrap([0, 1], [0, 0], sample_weight=[1.0, 2.0],
                                      metric="accuracy", n_resamples=50, random_state=0)
    dist = res.bootstrap_distribution
    assert np.isnan(dist).any() and not np.isnan(dist).all()
    assert res.estimate == skm.accuracy_score([0, 1], [0, 0], sample_weight=[1.0, 2.0])


# ---- groups=: a group whose every weight is zero is scored as scikit-learn scores its rows

#: every public function that takes groups=, with scikit-learn's function, arguments and
#: data (the count-based ones of CASES, and those that score each group's rows in turn)
GROUP_CASES = [(name, getattr(skm, name), kwargs, data) for name, kwargs, data in CASES] + [
    ("confusion_matrix", skm.confusion_matrix, {}, "multiclass"),
    ("f1_score", skm.f1_score, dict(average="samples"), "multilabel"),
    ("accuracy_score", skm.accuracy_score, {}, "multilabel"),
    ("cohen_kappa_score", skm.cohen_kappa_score, dict(weights="linear"), "multiclass"),
    ("roc_auc_score", skm.roc_auc_score, {}, "scores"),
    ("roc_auc_score", skm.roc_auc_score, dict(bins=64), "scores"),
    ("average_precision_score", skm.average_precision_score, {}, "scores"),
    ("log_loss", skm.log_loss, {}, "scores"),
    ("brier_score_loss", skm.brier_score_loss, {}, "scores"),
    ("top_k_accuracy_score", skm.top_k_accuracy_score, dict(k=2), "matrix"),
    # scikit-learn sums the hits of zero weight: 0.0, no error
    ("top_k_accuracy_score", skm.top_k_accuracy_score, dict(k=2, normalize=False), "matrix"),
    ("stat_scores", lambda t, p, **kw: fastf1.StatScores().update(t, p, **kw).f1_score(
        average="macro"), {}, "multiclass"),
]
#: fastf1's own arguments, which scikit-learn does not take
_OWN_ARGS = ("bins",)


def _group_reference(func, t, p, w, g, **kwargs):
    """scikit-learn on each group's rows, in sorted group order: the first refusal (its
    weights' refusal naming the group), else ``("returns", {group: result})``."""
    out = {}
    for value in np.unique(g):
        rows = g == value
        got = _outcome(func, t[rows], p[rows], sample_weight=w[rows], **kwargs)
        if got[0] == "raises":
            named = got[2] in ("Sample weights must contain at least one non-zero number.",
                               "Weights sum to zero, can't be normalized")
            return (*got[:2], f"group {value.item()!r}: {got[2]}" if named else got[2])
        out[value.item()] = got[1]
    return ("returns", out)


@pytest.mark.parametrize(("name", "func", "kwargs", "data"), GROUP_CASES,
                         ids=[f"{n}-{d}-{k}" for n, _, k, d in GROUP_CASES])
def test_a_group_of_zero_weights_is_refused_as_sklearn_refuses_its_rows(name, func, kwargs,
                                                                        data):
    t, p = DATA[data]
    # group 'a' of weights, group 'b' of the same rows with weights all zero
    tt, pp = np.concatenate([t, t]), np.concatenate([p, p])
    w = np.r_[np.arange(1.0, len(t) + 1), np.zeros(len(t))]
    g = np.repeat(["a", "b"], len(t))
    theirs = _group_reference(func, tt, pp, w, g,
                              **{k: v for k, v in kwargs.items() if k not in _OWN_ARGS})
    ours = _outcome(getattr(fastf1, name), tt, pp, sample_weight=w, groups=g, **kwargs)
    if name == "stat_scores":  # the counts are not refused: the scores of group 'b' are
        assert ours[0] == "returns" and not ours[1]["b"].tp.any()
        ours = _outcome(ours[1]["b"].f1_score, average="macro")
        theirs = (*theirs[:2], theirs[2].replace("group 'b': ", ""))
    if theirs[0] == "raises":
        assert ours == theirs
    else:
        assert ours[0] == "returns" and list(ours[1]) == list(theirs[1])
        for key in theirs[1]:
            np.testing.assert_allclose(ours[1][key], theirs[1][key], rtol=1e-12)


def test_functions_with_groups_are_all_in_the_group_cases():
    import inspect

    takes_groups = {name for name in fastf1.__all__
                    if inspect.isfunction(getattr(fastf1, name))
                    and "groups" in inspect.signature(getattr(fastf1, name)).parameters}
    assert takes_groups == {name for name, *_ in GROUP_CASES}


def test_counts_of_a_zero_weight_group_add_up_and_survive_json():
    """stat_scores(groups=) counts a group of zero weights (zeros); its scores are refused
    until a chunk of non-zero weight is added, and JSON keeps that."""
    g = np.repeat(["a", "b"], 3)
    first = fastf1.stat_scores(Y_TRUE, Y_PRED, sample_weight=np.r_[1.0, 2, 3, 0, 0, 0],
                               groups=g)
    for counts in (first["b"], fastf1.ByGroup.from_json(first.to_json())["b"]):
        with pytest.raises(ValueError, match="^Sample weights must contain"):
            counts.f1_score(average="macro")
    second = fastf1.stat_scores(Y_TRUE, Y_PRED, sample_weight=np.r_[0.0, 0, 0, 1, 2, 3],
                                groups=g)
    both = first + second
    for key, rows in (("a", slice(0, 3)), ("b", slice(3, 6))):
        w = np.r_[1.0, 2, 3, 1, 2, 3][rows]
        assert both[key].f1_score(average="macro") == pytest.approx(
            skm.f1_score(Y_TRUE[rows], Y_PRED[rows], average="macro", sample_weight=w),
            rel=1e-12)


@pytest.mark.parametrize("data", ["multiclass", "multilabel", "binary"])
def test_functions_report_sklearns_first_error(data):
    """On all-zero weights the functions give scikit-learn's first error: for the default
    average='binary' on multiclass / multilabel data, the average's error, not the weights'."""
    t, p = DATA[data]
    w = np.zeros(len(t))
    cases = [(name, kwargs) for name, kwargs, d in CASES if d == data] + [
        (name, {}) for name in ("f1_score", "precision_score", "recall_score",
                                "jaccard_score")] + [
        ("fbeta_score", {"beta": 0.5}), ("precision_recall_fscore_support",
                                         {"average": "binary"})]
    for name, kwargs in cases:
        theirs = _outcome(getattr(skm, name), t, p, sample_weight=w, **kwargs)
        assert _outcome(getattr(fastf1, name), t, p, sample_weight=w, **kwargs) == theirs, \
            (name, kwargs)


# ---- the score histogram: rows whose every weight is zero ------------------------------

S_TRUE = np.array([0, 1, 1, 0, 1, 0])
S_SCORE = np.array([0.1, 0.8, 0.3, 0.4, 0.9, 0.2])
# (histogram method, scikit-learn's function): scikit-learn scores all the rows at once
RANKING = [("roc_auc_score", skm.roc_auc_score),
           ("average_precision_score", skm.average_precision_score),
           ("log_loss", skm.log_loss), ("brier_score_loss", skm.brier_score_loss),
           ("roc_curve", lambda t, s, **kw: skm.roc_curve(t, s, **kw)[:2])]
# fastf1's own (scikit-learn's are unweighted or of labels): refused alike
OWN = [("calibration_curve", ()), ("expected_calibration_error", ()),
       ("confusion_at", (0.5,)), ("f1_score", (0.5,)), ("best_f1_threshold", ()),
       ("roc_auc_error_bound", ()), ("average_precision_error_bound", ())]


def _histogram_stream(t, s, w, cut=3):
    return fastf1.ScoreHistogram(64).update(t[:cut], s[:cut], w[:cut]).update(
        t[cut:], s[cut:], w[cut:])


def _same_outcome(ours, theirs):
    assert ours[0] == theirs[0], (ours, theirs)
    if theirs[0] == "raises":
        assert ours == theirs
    else:
        np.testing.assert_allclose(ours[1], theirs[1], atol=1e-12)


@pytest.mark.parametrize(("truth", "scores"), [
    (S_TRUE, S_SCORE),
    (np.ones(6, int), S_SCORE),  # one class: ROC AUC's warning and NaN come first
    (S_TRUE, S_SCORE * 3),       # not probabilities: log loss says so first, Brier not
], ids=["both-classes", "one-class", "above-1"])
def test_histogram_of_zero_weights_raises_as_sklearn(truth, scores):
    w = np.zeros(6)
    h = _histogram_stream(truth, scores, w)
    for name, func in RANKING:
        _same_outcome(_outcome(getattr(h, name)), _outcome(func, truth, scores,
                                                           sample_weight=w))
    if truth is S_TRUE and scores is S_SCORE:
        for name, args in OWN:
            with pytest.raises(ValueError, match="at least one non-zero"):
                getattr(h, name)(*args)
        # a chunk of non-zero weight after them: scored as scikit-learn, within the bound
        w2 = np.r_[w[:3], 1.0, 2.0, 0.5]
        h2 = _histogram_stream(truth, scores, w2)
        assert abs(h2.roc_auc_score() - skm.roc_auc_score(truth, scores, sample_weight=w2)) \
            <= h2.roc_auc_error_bound()
        assert (h + h2).log_loss() == pytest.approx(h2.log_loss(), rel=1e-12)


def test_histogram_zero_weights_survive_add_pickle_json_and_old_ones_load():
    w = np.zeros(6)
    h = _histogram_stream(S_TRUE, S_SCORE, w)
    empty = fastf1.ScoreHistogram(64)
    for back in (h + h, empty + h, h + empty, pickle.loads(pickle.dumps(h)),
                 fastf1.ScoreHistogram.from_json(h.to_json())):
        with pytest.raises(ValueError, match="at least one non-zero"):
            back.roc_auc_score()
    assert fastf1.ScoreHistogram.from_json(h.to_json()) == h
    # saved before it was recorded: loads, and scores as it did (not refused)
    doc = json.loads(h.to_json())
    del doc["some_weight"]
    old = [fastf1.ScoreHistogram.from_json(json.dumps(doc))]
    state = h.__getstate__()
    del state["_some_weight"]
    old.append(fastf1.ScoreHistogram.__new__(fastf1.ScoreHistogram))
    old[-1].__setstate__(state)
    for back in old + [old[0] + h]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert np.isnan(back.roc_auc_score()) and np.isnan(back.log_loss())
    # by_group: a group of zero weights refuses its scores, as a stream does, until rows
    # of weight are added; other groups score as scikit-learn
    hs = fastf1.ScoreHistogram.by_group(np.r_[S_TRUE, S_TRUE], np.r_[S_SCORE, S_SCORE],
                                        np.repeat([1, 2], 6), sample_weight=np.r_[w, w + 1],
                                        bins=64)
    for zero in (hs[1], hs[1] + h, fastf1.ScoreHistogram.from_json(hs[1].to_json())):
        with pytest.raises(ValueError, match="^Sample weights must contain"):
            zero.roc_auc_score()
    for scored in (hs[2], hs[1] + hs[2]):
        assert abs(scored.roc_auc_score() - skm.roc_auc_score(S_TRUE, S_SCORE)) <= \
            scored.roc_auc_error_bound()
    # a document whose flag contradicts its weights is refused
    for flag, weights in ((False, w + 1), (True, w)):
        doc = json.loads(_histogram_stream(S_TRUE, S_SCORE, weights).to_json())
        doc["some_weight"] = flag
        with pytest.raises(ValueError, match="some_weight"):
            fastf1.ScoreHistogram.from_json(json.dumps(doc))
