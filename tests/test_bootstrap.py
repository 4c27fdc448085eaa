"""fastf1.resampling.bootstrap: the estimate is sklearn's, the replicates are a bootstrap
(against naive resampling and a known population score), and the result for a seed does not
depend on threads or chunks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

import fastf1
import fastf1._threads as config
from fastf1 import _dispatch, _validation, resampling
from fastf1._kernels import bootstrap as kernels
from fastf1.resampling import bootstrap

SKLEARN = {"f1": skm.f1_score, "precision": skm.precision_score, "recall": skm.recall_score,
           "fbeta": skm.fbeta_score, "accuracy": skm.accuracy_score}


def _sklearn(metric, y_true, y_pred, **kw):
    if metric == "accuracy":
        return skm.accuracy_score(y_true, y_pred, sample_weight=kw.get("sample_weight"))
    if metric != "fbeta":
        kw.pop("beta", None)
    return SKLEARN[metric](y_true, y_pred, **kw)


def _fastf1(metric, y_true, y_pred, **kw):
    if metric == "accuracy":
        return fastf1.accuracy_score(y_true, y_pred, sample_weight=kw.get("sample_weight"))
    if metric != "fbeta":
        kw.pop("beta", None)
    name = "fbeta_score" if metric == "fbeta" else f"{metric}_score"
    return getattr(fastf1, name)(y_true, y_pred, **kw)


def _binary_data(rng, n, prior=0.3, tpr=0.8, fpr=0.1):
    t = (rng.random(n) < prior).astype(np.int64)
    p = np.where(t == 1, rng.random(n) < tpr, rng.random(n) < fpr).astype(np.int64)
    return t, p


def _assert_sklearn(actual, expected, weighted):
    """fastf1's scores are sklearn's bit for bit on unweighted data, to rounding weighted."""
    if weighted:
        np.testing.assert_allclose(actual, expected, rtol=1e-13)
    else:
        np.testing.assert_array_equal(actual, expected)


def _assert_same(a, b, weighted=False):
    np.testing.assert_array_equal(a.bootstrap_distribution, b.bootstrap_distribution)
    np.testing.assert_array_equal(a.confidence_interval, b.confidence_interval)
    # the estimate is fastf1's metric function, whose weighted sums are added per thread's
    # range (or Dask chunk): equal to rounding there
    _assert_sklearn(a.estimate, b.estimate, weighted)


# ---- the estimate is scikit-learn's score -----------------------------------------------


@given(data=st.data(),
       metric=st.sampled_from(["f1", "precision", "recall", "fbeta", "accuracy"]),
       average=st.sampled_from([None, "micro", "macro", "weighted"]),
       weighted=st.booleans())
def test_estimate_equals_sklearn(data, metric, average, weighted):
    n = data.draw(st.integers(1, 60))
    labels = st.integers(0, 4)
    t = np.array(data.draw(st.lists(labels, min_size=n, max_size=n)))
    p = np.array(data.draw(st.lists(labels, min_size=n, max_size=n)))
    w = np.array(data.draw(st.lists(st.floats(0.1, 3.0), min_size=n, max_size=n))) if weighted else None
    kw = dict(average=average, beta=2.0, zero_division=0.0, sample_weight=w)
    res = bootstrap(t, p, metric=metric, n_resamples=3, random_state=0, **kw)
    expected = _sklearn(metric, t, p, **kw)
    _assert_sklearn(res.estimate, expected, weighted)
    np.testing.assert_array_equal(res.estimate, _fastf1(metric, t, p, **kw))
    assert res.bootstrap_distribution.shape == np.shape(expected) + (3,)


def _forms(rng):
    n = 300
    t, p = _binary_data(rng, n)
    names = np.array(["cat", "dog", "eel"])
    big = np.arange(3, dtype=np.uint64) + np.uint64(2**63)
    a, b = rng.integers(0, 3, n), rng.integers(0, 3, n)
    scores = rng.random((n, 3))
    Y, P = rng.integers(0, 2, (n, 4)), rng.integers(0, 2, (n, 4))
    return {  # name: (y_true, y_pred, threshold, what sklearn scores)
        "strings": (names[a], names[b], None, (names[a], names[b])),
        "sparse-ints": (a * 10**9 - 5, b * 10**9 - 5, None, (a * 10**9 - 5, b * 10**9 - 5)),
        "offset-ints": (a + 40, b + 40, None, (a + 40, b + 40)),
        "uint64-past-int64": (big[a], big[b], None, (big[a], big[b])),
        "bools": (t.astype(bool), p.astype(bool), None, (t.astype(bool), p.astype(bool))),
        "scores": (t, rng.random(n), 0.5, None),
        "argmax": (a, scores, None, (a, scores.argmax(axis=1))),
        "multilabel": (Y, P, None, (Y, P)),
        "multilabel-scores": (Y, rng.random((n, 4)), 0.3, None),
        "binary": (t, p, None, (t, p)),
    }


@pytest.mark.parametrize("form", list(_forms(np.random.default_rng(0))))
@pytest.mark.parametrize("average", [None, "macro", "micro", "weighted"])
def test_input_forms(form, average):
    rng = np.random.default_rng(1)
    y_true, y_pred, thr, sk = _forms(rng)[form]
    w = rng.random(len(y_true))
    if sk is None:  # scores: sklearn scores the thresholded predictions
        sk = (y_true, (y_pred >= thr).astype(np.int64))
    for sample_weight in (None, w):
        res = bootstrap(y_true, y_pred, threshold=thr, average=average, n_resamples=50,
                        random_state=3, sample_weight=sample_weight)
        expected = skm.f1_score(*sk, average=average, sample_weight=sample_weight)
        _assert_sklearn(res.estimate, expected, sample_weight is not None)
        assert res.estimate == pytest.approx(np.median(res.bootstrap_distribution, axis=-1),
                                             abs=0.05)
        if average is None:
            assert res.labels.shape == res.estimate.shape
            assert res.bootstrap_distribution.shape == (res.labels.size, 50)


def test_labels_argument_keeps_its_order_and_absent_labels():
    rng = np.random.default_rng(14)
    t, p = rng.integers(0, 4, 300), rng.integers(0, 4, 300)
    res = bootstrap(t, p, average=None, labels=[2, 0, 7], zero_division=0.0, n_resamples=40,
                    random_state=0)
    expected = skm.f1_score(t, p, average=None, labels=[2, 0, 7], zero_division=0.0)
    np.testing.assert_array_equal(res.estimate, expected)
    np.testing.assert_array_equal(res.labels, [2, 0, 7])
    assert np.all(res.bootstrap_distribution[2] == 0)  # label 7 is in no replicate


def test_binary_average_and_pos_label():
    t, p = _binary_data(np.random.default_rng(2), 500)
    for pos_label in (0, 1):
        res = bootstrap(t, p, average="binary", pos_label=pos_label, random_state=0,
                        n_resamples=20)
        assert res.estimate == skm.f1_score(t, p, pos_label=pos_label)


def test_estimate_warns_as_sklearn_and_replicates_do_not():
    t, p = [0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 1]  # label 2 is never predicted
    with pytest.warns(fastf1.UndefinedMetricWarning) as record:
        res = bootstrap(t, p, metric="precision", n_resamples=50, random_state=0)
    assert len(record) == 1
    assert res.estimate == skm.precision_score(t, p, average="macro", zero_division=0)


def test_nan_replicates_make_a_nan_interval():
    t = p = np.array([1, 0, 0, 0, 0, 0])  # replicates without row 0 have no positives
    res = bootstrap(t, p, average="binary", zero_division=np.nan, random_state=0)
    assert res.estimate == 1.0
    assert np.isnan(res.bootstrap_distribution).any()
    assert np.isnan(res.confidence_interval.low) and np.isnan(res.confidence_interval.high)


# ---- the replicates are a bootstrap ------------------------------------------------------


def test_poisson_weights_are_poisson_1():
    out = np.zeros(1 << 20, np.int64)
    kernels.poisson_weights(np.uint64(12345), 7, kernels.POISSON_CDF, out,
                            np.zeros(out.size // 2, np.uint64))
    freq = np.bincount(out, minlength=8)[:6]
    pmf = np.exp(-1.0) / np.array([1, 1, 2, 6, 24, 120])
    expected = pmf * out.size
    assert np.all(np.abs(freq - expected) < 5 * np.sqrt(expected))
    assert out.mean() == pytest.approx(1.0, abs=0.005)
    assert out.var() == pytest.approx(1.0, abs=0.01)
    # the two halves of each 64-bit value feed two replicates: they must be independent
    assert abs(np.corrcoef(out[0::2], out[1::2])[0, 1]) < 0.005


@pytest.mark.parametrize("weighted", [False, True])
def test_mean_replicate_counts_are_the_counts(weighted):
    rng = np.random.default_rng(4)
    n, n_res = 2000, 2000
    t, p = rng.integers(0, 5, n), rng.integers(0, 5, n)
    w = rng.random(n) * 2 if weighted else None
    inp = _validation.prepare(t, p, w)
    counts = _dispatch.count(inp)
    rep = resampling.replicate_counts(inp, counts.labels, np.uint64(99), n_res)
    full = np.stack([counts.tp, counts.true, counts.pred])
    # a count c of rows with weights w_i: replicates' variance is sum(w_i ** 2) (c unweighted)
    ww = np.ones(n) if w is None else w**2
    var = np.stack([np.bincount(t[t == p], ww[t == p], 5), np.bincount(t, ww, 5),
                    np.bincount(p, ww, 5)])
    assert np.all(np.abs(rep.mean(axis=2) - full) < 4 * np.sqrt(var / n_res))
    assert np.allclose(rep.var(axis=2, ddof=1), var, rtol=0.15)


def test_integer_sample_weights_scale_the_counts():
    t, p = _binary_data(np.random.default_rng(5), 400)
    plain = bootstrap(t, p, n_resamples=200, random_state=8)
    doubled = bootstrap(t, p, n_resamples=200, random_state=8, sample_weight=np.full(400, 2.0))
    _assert_same(plain, doubled)  # same draws; F1 is invariant to scaling all counts by 2


@pytest.mark.parametrize("metric,average", [("f1", "binary"), ("f1", "macro"),
                                            ("precision", "weighted"), ("accuracy", None)])
def test_distribution_matches_naive_resampling(metric, average):
    """Against the textbook bootstrap: resample n rows with replacement, score with sklearn."""
    rng = np.random.default_rng(6)
    n = 400
    if average == "binary":
        t, p = _binary_data(rng, n)
    else:
        t = rng.integers(0, 4, n)
        p = np.where(rng.random(n) < 0.7, t, rng.integers(0, 4, n))
    kw = {} if metric == "accuracy" else dict(average=average, zero_division=0.0)
    naive = np.array([_sklearn(metric, t[i], p[i], **kw)
                      for i in (rng.integers(0, n, n) for _ in range(600))])
    res = bootstrap(t, p, metric=metric, n_resamples=1200, random_state=7,
                    **({} if average is None else kw))
    dist = res.bootstrap_distribution
    se = naive.std()  # its own relative sd is about 1 / sqrt(2 * 600) = 3%
    assert abs(dist.mean() - naive.mean()) < 4 * se * np.sqrt(1 / 600 + 1 / 1200)
    assert dist.std() == pytest.approx(se, rel=0.1)
    assert sps.ks_2samp(dist, naive).pvalue > 0.001
    assert res.standard_error == pytest.approx(dist.std(ddof=1))
    lo, hi = np.quantile(dist, [0.025, 0.975])
    assert res.confidence_interval == (lo, hi)


def _population_f1(prior=0.3, tpr=0.8, fpr=0.1):
    tp, fn, fp = prior * tpr, prior * (1 - tpr), (1 - prior) * fpr
    return 2 * tp / (2 * tp + fn + fp)


def _coverage(trials, n, n_resamples):
    truth = _population_f1()
    hits = 0
    for seed in range(trials):
        t, p = _binary_data(np.random.default_rng(seed), n)
        low, high = bootstrap(t, p, average="binary", n_resamples=n_resamples,
                              random_state=10_000 + seed).confidence_interval
        hits += low <= truth <= high
    return hits / trials


def test_coverage_of_the_95_percent_interval():
    """200 data sets drawn from a population of known F1: the interval covers it in
    90-99% of them (deterministic seeds: 92.0%; the binomial sd of 200 trials is 1.5%).
    The slow test below holds the interval to a narrower band over 1000 trials."""
    assert 0.90 <= _coverage(200, 500, 1000) <= 0.99


@pytest.mark.slow
def test_coverage_of_the_95_percent_interval_1000_trials():
    """(94.7%: binomial sd 0.7%)"""
    assert 0.935 <= _coverage(1000, 1000, 1000) <= 0.965


def test_basic_interval_reflects_the_percentile_one():
    t, p = _binary_data(np.random.default_rng(9), 300)
    pct = bootstrap(t, p, random_state=1, n_resamples=300)
    basic = bootstrap(t, p, random_state=1, n_resamples=300, method="basic")
    assert basic.confidence_interval.low == pytest.approx(
        2 * pct.estimate - pct.confidence_interval.high)
    assert basic.confidence_interval.high == pytest.approx(
        2 * pct.estimate - pct.confidence_interval.low)
    narrow = bootstrap(t, p, random_state=1, n_resamples=300, confidence_level=0.5)
    assert pct.confidence_interval.low < narrow.confidence_interval.low
    assert narrow.confidence_interval.high < pct.confidence_interval.high


# ---- reproducible: seeds, threads, chunks ------------------------------------------------


def test_same_seed_same_result_other_seed_other_result():
    t, p = _binary_data(np.random.default_rng(10), 500)
    a = bootstrap(t, p, n_resamples=100, random_state=1)
    _assert_same(a, bootstrap(t, p, n_resamples=100, random_state=1))
    _assert_same(bootstrap(t, p, n_resamples=100, random_state=np.random.default_rng(1)),
                 bootstrap(t, p, n_resamples=100, random_state=np.random.default_rng(1)))
    assert not np.array_equal(a.bootstrap_distribution,
                              bootstrap(t, p, n_resamples=100, random_state=2).bootstrap_distribution)
    assert not np.array_equal(a.bootstrap_distribution,
                              bootstrap(t, p, n_resamples=100).bootstrap_distribution)
    gen = np.random.default_rng(3)  # a Generator is drawn from: two calls differ
    assert not np.array_equal(bootstrap(t, p, n_resamples=100, random_state=gen).bootstrap_distribution,
                              bootstrap(t, p, n_resamples=100, random_state=gen).bootstrap_distribution)


def _thread_cases(rng):
    n = 701
    t, p = rng.integers(0, 6, n), rng.integers(0, 6, n)
    names = np.array(list("abcdef"))
    return [dict(y_true=t, y_pred=p), dict(y_true=t, y_pred=p, sample_weight=rng.random(n)),
            dict(y_true=names[t], y_pred=names[p]),
            dict(y_true=t % 2, y_pred=rng.random(n), threshold=0.4),
            dict(y_true=rng.integers(0, 2, (n, 3)), y_pred=rng.integers(0, 2, (n, 3)),
                 sample_weight=rng.random(n))]


@pytest.mark.parametrize("case", range(5))
def test_threads_do_not_change_the_result(kernel_mode, monkeypatch, case):
    kw = _thread_cases(np.random.default_rng(11))[case]
    # small weighted blocks, so that the weighted inputs are cut into many of them
    monkeypatch.setattr(resampling, "_WEIGHTED_BLOCK_DRAWS", 1000)
    res = bootstrap(**kw, n_resamples=51, random_state=4, average=None)
    with monkeypatch.context() as m:
        m.setattr(config, "PARALLEL_MIN_ROWS", 1 << 62)
        m.setattr(config, "NUM_THREADS", 1)
        _assert_same(res, bootstrap(**kw, n_resamples=51, random_state=4, average=None),
                     weighted="sample_weight" in kw)


@pytest.mark.parametrize("case", range(5))
def test_dask_chunks_do_not_change_the_result(case):
    da = pytest.importorskip("dask.array")
    kw = _thread_cases(np.random.default_rng(12))[case]
    ref = bootstrap(**kw, n_resamples=31, random_state=5, average="macro")
    for chunks in (100, 37, 701):
        lazy = {k: da.from_array(v, chunks=(chunks,) + v.shape[1:]) if isinstance(v, np.ndarray)
                else v for k, v in kw.items()}
        res = bootstrap(**lazy, n_resamples=31, random_state=5, average="macro")
        if "sample_weight" in kw:  # float sums in another order: equal to rounding
            assert res.estimate == pytest.approx(ref.estimate, rel=1e-13)
            np.testing.assert_allclose(res.bootstrap_distribution, ref.bootstrap_distribution,
                                       rtol=1e-12)
        else:
            _assert_same(res, ref)


def test_dask_dataframe_columns():
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(13)
    t, p = rng.integers(0, 3, 500), rng.integers(0, 3, 500)
    ddf = dd.from_pandas(pd.DataFrame({"t": t, "p": p}), npartitions=4)
    res = bootstrap(ddf["t"], ddf["p"], n_resamples=40, random_state=6)
    _assert_same(res, bootstrap(t, p, n_resamples=40, random_state=6))


# ---- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs,match", [
    (dict(y_pred=[0, 1]), "inconsistent numbers of samples"),
    (dict(y_true=[], y_pred=[]), "empty"),
    (dict(y_true=[0.0, np.nan, 1.0]), "NaN"),
    (dict(n_resamples=1), "n_resamples"),
    (dict(n_resamples=10.0), "n_resamples"),
    (dict(n_resamples=True), "n_resamples"),
    (dict(confidence_level=1.0), "confidence_level"),
    (dict(confidence_level=0), "confidence_level"),
    (dict(confidence_level="95%"), "confidence_level"),
    (dict(metric="auc"), "metric must be one of"),
    (dict(method="BCa"), "method must be one of"),
    (dict(average="samples"), "samples"),
    (dict(average="binary", y_true=[0, 1, 2], y_pred=[0, 1, 2]), "average='binary'"),
    (dict(zero_division="x"), "zero_division"),
    (dict(metric="fbeta", beta=-1.0), "beta"),
    (dict(n_resamples=10**7), "fewer resamples"),
    (dict(sample_weight=[1.0, np.inf, 1.0]), "sample_weight"),
])
def test_errors(kwargs, match):
    args = dict(y_true=[0, 1, 1], y_pred=[0, 1, 0])
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bootstrap(args.pop("y_true"), args.pop("y_pred"), **args)


def test_rows_outside_the_labels_of_the_first_pass_are_an_error():
    """A Dask chunk recomputed with other data meets labels that the first pass did not."""
    inp = _validation.prepare(np.array([0, 1, 2, 1]), np.array([0, 1, 1, 1]))
    with pytest.raises(ValueError, match="data changed"):
        resampling.replicate_counts(inp, np.array([0, 1]), np.uint64(1), 10)


def test_multilabel_accuracy_is_refused():
    with pytest.raises(ValueError, match="multilabel"):
        bootstrap(np.eye(3, dtype=int), np.eye(3, dtype=int), metric="accuracy")
