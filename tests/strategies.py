"""Hypothesis strategies: random classification problems in every input form."""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

#: few examples for a test parametrised into many cases (the cases multiply): a quarter of the
#: profile's examples, so FASTF1_HYPOTHESIS=thorough runs ten times as many
FEW = settings(max_examples=max(10, settings.default.max_examples // 4))

# label vocabularies, each a kind of input scikit-learn accepts
VOCABULARIES = {
    "binary01": [0, 1],
    "small_ints": [0, 1, 2, 3, 4],
    "shifted_ints": [3, 4, 5, 6],
    "negative_sparse": [-1, 7, 10**9],
    "minus_one_one": [-1, 1],
    "strings": ["cat", "dog", "emu", "yak"],
    "integral_floats": [0.0, 1.0, 2.0],
    "bools": [False, True],
}


@st.composite
def label_problem(draw, vocab_names=tuple(VOCABULARIES), max_rows=40):
    """(y_true, y_pred, sample_weight or None, vocabulary) for 1-D labels."""
    name = draw(st.sampled_from(vocab_names))
    vocab = VOCABULARIES[name]
    k = draw(st.integers(1, len(vocab)))
    used = vocab[:k] if draw(st.booleans()) else draw(st.permutations(vocab))[:k]
    n = draw(st.integers(1, max_rows))
    y_true = np.array(draw(st.lists(st.sampled_from(used), min_size=n, max_size=n)))
    y_pred = np.array(draw(st.lists(st.sampled_from(used), min_size=n, max_size=n)))
    weights = draw(sample_weights(n))
    if weights is not None and draw(st.booleans()):
        weights = hide_label(weights, y_true, draw(st.sampled_from(sorted(set(y_true.tolist())))))
    return y_true, y_pred, weights, vocab


def hide_label(weights, y_true, label):
    """``weights`` with every row of ``label`` in y_true at weight zero: the label is present
    by rows (as scikit-learn tells presence) but its weighted support is 0. Unchanged if
    that would leave no weight at all (all-zero weights are refused)."""
    hidden = np.where(y_true == label, 0, weights).astype(weights.dtype)
    return hidden if hidden.any() else weights


@st.composite
def sample_weights(draw, n):
    kind = draw(st.sampled_from(["none", "none", "float", "int"]))
    if kind == "none":
        return None
    if kind == "int":
        return np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)))
    values = st.one_of(st.just(0.0), st.floats(0.01, 10.0))
    return np.array(draw(st.lists(values, min_size=n, max_size=n)))


@st.composite
def multilabel_problem(draw, max_rows=30):
    n = draw(st.integers(1, max_rows))
    n_labels = draw(st.integers(1, 5))
    density = draw(st.sampled_from([0.0, 0.2, 0.5, 0.9]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    y_true = (rng.random((n, n_labels)) < density).astype(np.int64)
    y_pred = (rng.random((n, n_labels)) < density).astype(np.int64)
    return y_true, y_pred, draw(sample_weights(n)), list(range(n_labels))


@st.composite
def labels_argument(draw, vocab):
    """None, or a subset / reordering of the vocabulary, maybe with an absent label."""
    choice = draw(st.sampled_from(["none", "none", "subset", "all"]))
    if choice == "none":
        return None
    labels = draw(st.permutations(vocab))
    if choice == "subset":
        labels = labels[: draw(st.integers(1, len(labels)))]
    return list(labels)


# ---- edge shapes: the inputs that once gave silently wrong counts ------------------------

_INT_DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


@st.composite
def _edge_values(draw, dtype):
    """A few labels of ``dtype``: at and near its limits, or spread past the kernels'
    switch-over points (128 and 4,096 classes in the range, the dense-range maximum)."""
    info = np.iinfo(dtype)
    where = draw(st.sampled_from(["top", "bottom", "both", "wide", "small"]))
    near = st.integers(0, 3)
    if where == "top":
        values = [int(info.max) - draw(near) for _ in range(3)]
    elif where == "bottom":
        values = [int(info.min) + draw(near) for _ in range(3)]
    elif where == "both":
        values = [int(info.max) - draw(near), int(info.min) + draw(near), 0]
    elif where == "wide":
        span = draw(st.sampled_from([129, 4097, 2**21 + 1]))
        values = [v for v in (0, span - 1, span // 2) if v <= info.max]
    else:
        values = [0, 1, 2]
    return sorted(set(values))


@st.composite
def edge_label_problem(draw, max_rows=30):
    """(y_true, y_pred, sample_weight or None): integer labels at their dtype's limits, of
    mixed signedness and widths between y_true and y_pred, or bool masks whose bytes are
    not 0 / 1; sometimes as zero-stride views (huge ones: the slow tests)."""
    n = draw(st.integers(1, max_rows))
    if draw(st.integers(0, 5)) == 0:  # a 0 / 255 mask viewed as bool (NumPy: True)
        raw = [draw(st.lists(st.sampled_from([0, 1, 2, 255]), min_size=n, max_size=n))
               for _ in range(2)]
        y_true, y_pred = (np.array(r, np.uint8).view(bool) for r in raw)
    else:
        dt, dp = (draw(st.sampled_from(_INT_DTYPES)) for _ in range(2))
        vt, vp = draw(_edge_values(dt)), draw(_edge_values(dp))
        y_true = np.array(draw(st.lists(st.sampled_from(vt), min_size=n, max_size=n)), dt)
        y_pred = np.array(draw(st.lists(st.sampled_from(vp), min_size=n, max_size=n)), dp)
    if draw(st.integers(0, 4)) == 0:  # a zero-stride view: one value repeated, no memory
        y_true = np.lib.stride_tricks.as_strided(y_true[:1], (n,), (0,), writeable=False)
    if draw(st.integers(0, 4)) == 0:
        y_pred = np.broadcast_to(y_pred[-1], (n,))
    return y_true, y_pred, draw(sample_weights(n))
