"""scikit-learn's input checks for the score-based metrics, with its error texts.

``type_of_target``, ``column_or_1d``, ``check_consistent_length``, ``assert_all_finite``,
``_check_pos_label_consistency`` and the parameter checks, as ``sklearn.metrics`` applies
them to ``y_true``, ``y_score`` / ``y_proba`` and ``sample_weight``; the distinct labels of
integers come from one counting pass (``_kernels.ranking.label_presence``), not a sort.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np

from . import _validation
from ._kernels.ranking import label_codes, label_presence
from ._validation import InvalidParameterError

_LABEL_SPAN_MAX = 1 << 20



def param_error(func: str, name: str, allowed: str, value: Any) -> ValueError:
    return InvalidParameterError(f"The {name!r} parameter of {func} must be {allowed}. "
                                 f"Got {value!r} instead.")


#: parameters that may also be None (scikit-learn names that in its message)
_OPTIONAL_ARRAYS = ("sample_weight", "labels", "target_names")
#: functions whose scikit-learn twin reads sample_weight as an array before its length
#: (``confusion_matrix``'s ``len(sample_weight)``): a dict or a set, a 0-d object array
#: there, is a TypeError whatever its length
_WEIGHTS_READ_FIRST = ("balanced_accuracy_score", "cohen_kappa_score", "confusion_matrix")
#: functions whose scikit-learn twin takes y_true / y_pred (y1 / y2) as array-likes only,
#: and says so when refusing another object (a sparse matrix is still read here)
_ARRAYS_ONLY = ("balanced_accuracy_score", "cohen_kappa_score", "confusion_matrix",
                "matthews_corrcoef")


def check_dense(func: str, **arrays: Any) -> None:
    """scikit-learn's refusal of a scipy sparse matrix, or of a scalar, for a parameter of
    ``func`` that takes array-likes only; ``arrays`` in ``func``'s order, as scikit-learn
    checks them (None is a parameter not given where it may be None, and refused where an
    array is required)."""
    for name, x in arrays.items():
        if x is None:
            if name in _OPTIONAL_ARRAYS:
                continue
            raise param_error(func, name, "an array-like", x)
        if _validation._is_sparse(x) or not _validation.is_array_like(x):
            allowed = "an array-like or None" if name in _OPTIONAL_ARRAYS else "an array-like"
            raise param_error(func, name, allowed, x)
        if (name == "sample_weight" and func in _WEIGHTS_READ_FIRST
                and isinstance(x, (Mapping, AbstractSet))):
            raise TypeError(_validation.zero_dim(_validation.weight_values(x)))


def _is_bool(v: Any) -> bool:
    return isinstance(v, (bool, np.bool_))


#: scikit-learn's constraints of the label metrics' scalar parameters (``validate_params``):
#: what it says a value must be, and the test of a value
_SCALAR_PARAMS: dict[str, tuple[str, Any]] = {
    "pos_label": ("an instance of 'float', an instance of 'str', an instance of 'bool' or an "
                  "instance of 'numpy.bool' or None",
                  lambda v: v is None or isinstance(v, (numbers.Real, str, np.bool_))),
    "average": ("a str among {'binary', 'macro', 'micro', 'samples', 'weighted'} or None",
                _validation.is_average),
    "zero_division": ("a float among {0.0, 1.0}, numpy.nan or a str among {'warn'}",
                      _validation.is_zero_division),
    "beta": ("a float in the range [0.0, inf]", _validation.is_beta),
    "warn_for": ("an instance of 'list', an instance of 'tuple' or an instance of 'set'",
                 lambda v: isinstance(v, (list, tuple, set))),
    "digits": ("an int in the range [0, inf)",
               lambda v: isinstance(v, numbers.Integral) and not _is_bool(v) and int(v) >= 0),
    "weights": ("a str among {'linear', 'quadratic'} or None",  # cohen_kappa_score's
                _validation.is_kappa_weights),
    "normalize": ("an instance of 'bool' or an instance of 'numpy.bool'", _is_bool),
    "output_dict": ("an instance of 'bool' or an instance of 'numpy.bool'", _is_bool),
    "adjusted": ("an instance of 'bool' or an instance of 'numpy.bool'", _is_bool),
    "samplewise": ("an instance of 'bool' or an instance of 'numpy.bool'", _is_bool),
}


def check_params(func: str, **params: Any) -> None:
    """scikit-learn's parameter validation of ``func`` (``validate_params``), before any
    data is read: ``params`` in ``func``'s signature order, as scikit-learn checks them, so
    the first bad one is the one it names. Arrays are ``check_dense``'s."""
    for name, value in params.items():
        if name in _SCALAR_PARAMS:
            allowed, ok = _SCALAR_PARAMS[name]
            if not ok(value):
                raise param_error(func, name, allowed, value)
        elif type(value) is np.ndarray or (value is None and name in _OPTIONAL_ARRAYS):
            continue  # every array parameter takes these (the common case, checked first)
        elif name in ("y_true", "y_pred", "y1", "y2"):
            if not (_validation._is_sparse(value) or _validation.is_array_like(value)):
                raise param_error(func, name, "an array-like" if func in _ARRAYS_ONLY
                                  else "an array-like or a sparse array or matrix", value)
        else:
            check_dense(func, **{name: value})


def check_average(func: str, average: Any, options: tuple) -> None:
    if average is not None and not (isinstance(average, str) and average in options):
        shown = "{" + ", ".join(repr(o) for o in options) + "}"
        raise param_error(func, "average", f"a str among {shown} or None", average)


def input_array(x: Any, name: str) -> np.ndarray:
    """A NumPy array of numbers or strings; empty input is scikit-learn's error."""
    if _validation._is_sparse(x):
        raise TypeError(f"{name} must be dense; sparse input is not supported")
    arr = _validation.as_array(x, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array-like, got the scalar {x!r}")
    if arr.shape[0] == 0:
        raise ValueError(f"Found array with 0 sample(s) (shape={arr.shape}) while a "
                         "minimum of 1 is required.")
    if arr.dtype.kind == "b" and arr.view(np.uint8).max() > 1:
        # bytes other than 0 / 1 viewed as bool (a 0 / 255 mask): True, as NumPy reads
        # them; the label checks and lookups read the bytes
        arr = arr.view(np.uint8) != 0
    return arr


def num_samples(x: Any) -> int:
    """scikit-learn's ``_num_samples``: an array's first dimension, else ``len``, so a
    dict counts its keys (a 0-d array is refused)."""
    shape = getattr(x, "shape", None)
    if shape is not None:
        if len(shape) == 0:
            raise TypeError(_validation.zero_dim(x))
        return int(shape[0])
    if not hasattr(x, "__len__"):
        raise TypeError(f"Expected sequence or array-like, got {type(x)}")
    return len(x)


def check_consistent_length(*arrays: Any) -> None:
    """scikit-learn's ``check_consistent_length`` of arrays, or of inputs not yet read (a
    Dask collection is left to the caller's refusal: its length may be unknown until
    computed)."""
    lengths = [num_samples(a) for a in arrays
               if a is not None and not _validation.is_dask(a)]
    if len(set(lengths)) > 1:
        raise ValueError("Found input variables with inconsistent numbers of samples: "
                         f"{lengths}")


def check_finite(arr: np.ndarray, name: str = "") -> None:
    """scikit-learn's ``assert_all_finite`` texts ("Input contains NaN."). A finite sum
    clears the array in one pass with no temporary (a NaN or inf makes the sum NaN or inf;
    a sum that overflows is checked value by value), as scikit-learn checks."""
    if arr.dtype.kind != "f":
        return
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(arr)
    if np.isfinite(total) or np.isfinite(arr).all():
        return
    what = f"Input {name}" if name else "Input"
    if np.isnan(arr).any():
        raise ValueError(f"{what} contains NaN.")
    raise ValueError(f"{what} contains infinity or a value too large for {arr.dtype!r}.")


def scores(y_score: Any, name: str = "") -> np.ndarray:
    s = input_array(y_score, "y_score")
    if s.dtype.kind not in "biuf":
        raise ValueError(f"y_score must hold numbers, got dtype {s.dtype}")
    check_finite(s, name)
    return s.view(np.uint8) if s.dtype.kind == "b" else s


def weights(sample_weight: Any, rows: int | None = None) -> np.ndarray | None:
    """float64 weights, checked as scikit-learn checks them after their length: by
    ``column_or_1d`` (an (n, 1) column is squeezed; a dict, read as a 0-d array, is not
    1-D), or, given the number of ``rows``, by ``_check_sample_weight`` alone (1-D only;
    a 0-d array is ``_num_samples``' refusal)."""
    if sample_weight is None:
        return None
    if _validation._is_sparse(sample_weight):
        raise TypeError("sample_weight must be dense; sparse input is not supported")
    w = _validation.weight_values(sample_weight)
    if rows is None:
        w = column(w)
    elif w.ndim == 0:
        raise TypeError(_validation.zero_dim(w))
    elif w.ndim != 1:
        raise ValueError(_validation._weights_not_1d(w, rows))
    w = _validation.as_array(w, "sample_weight")
    if w.dtype.kind not in "biuf":
        raise ValueError(f"sample_weight must hold numbers, got dtype {w.dtype}")
    check_finite(w, "sample_weight")
    return np.ascontiguousarray(w, dtype=np.float64)


def column(x: np.ndarray) -> np.ndarray:
    """scikit-learn's ``column_or_1d``."""
    x = _validation.squeeze_column(x)
    if x.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {x.shape} instead.")
    return x


def _span(lo: Any, hi: Any) -> Any:
    """``hi - lo`` (``lo <= hi``) without wrapping around: in Python ints for integers."""
    return int(hi) - int(lo) if isinstance(lo, np.integer) else hi - lo


def unique(t: np.ndarray) -> np.ndarray:
    """The sorted distinct values: one counting pass for integers of a narrow range (and
    for integral floats), a sort (``np.unique``) otherwise."""
    if t.dtype.kind == "b" and t.size:
        # False and True only, whatever the bytes (a 0 / 255 mask viewed as bool): the
        # least byte and the greatest say which are present
        flat = t.reshape(-1).view(np.uint8)
        return np.unique(np.array([flat.min(), flat.max()]).astype(bool))
    if t.dtype.kind in "iuf" and t.size:
        flat = t.reshape(-1)
        lo, hi = flat.min(), flat.max()
        if t.dtype.kind == "f" and not (np.isfinite(lo) and np.isfinite(hi)):
            return np.unique(t)
        span = _span(lo, hi)
        if t.dtype.kind != "f" and span <= 1:  # the least and the greatest, none between
            return np.unique(np.array([lo, hi], t.dtype))
        if span < _LABEL_SPAN_MAX and (t.dtype.kind != "f" or (lo == int(lo))):
            present, integral = label_presence(flat, lo, int(span) + 1)
            if integral:
                # offsets of lo's kind: uint64 plus int64 would be float64, inexact
                offsets = np.flatnonzero(present).astype(
                    np.uint64 if t.dtype.kind == "u" else np.int64)
                return (lo + offsets).astype(t.dtype)
    return np.unique(t)


def type_of_target(t: np.ndarray, name: str = "y_true") -> tuple[str, np.ndarray]:
    """scikit-learn's ``type_of_target`` for dense arrays, and the distinct values
    (``name``: the input's name in scikit-learn's NaN message)."""
    if t.ndim > 2:
        raise ValueError(f"y_true must be 1-D or 2-D, got shape {t.shape}")
    if t.dtype.kind == "S":
        raise TypeError("Support for labels represented as bytes is not supported. Convert "
                        "the labels to a string or integer format.")
    if t.dtype.kind == "f" and np.isnan(t).any():
        raise ValueError(f"Input {name} contains NaN.")
    classes = unique(t)
    continuous = t.dtype.kind == "f" and classes.size and (
        not np.isfinite(classes).all() or (classes != classes.astype(np.int64)).any())
    if t.ndim == 2 and t.shape[1] > 1:
        if classes.size < 3 and not continuous:
            return "multilabel-indicator", classes
        return ("continuous-multioutput" if continuous else "multiclass-multioutput"), classes
    if continuous:
        return "continuous", classes
    return ("multiclass" if classes.size > 2 else "binary"), classes


def pos_label_of(pos_label: Any, classes: np.ndarray) -> Any:
    """scikit-learn's ``_check_pos_label_consistency``."""
    if pos_label is not None:
        return pos_label
    if classes.dtype.kind in "OUS" or classes.size > 2 or not any(
            classes.shape == ref.shape and (classes == ref).all()
            for ref in (np.array([0, 1]), np.array([-1, 1]), np.array([0]), np.array([-1]),
                        np.array([1]))):
        shown = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(
            f"y_true takes value in {{{shown}}} and pos_label is not specified: either "
            "make y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly.")
    return 1


def truth01(t: np.ndarray, classes: np.ndarray, pos_label: Any) -> np.ndarray:
    """0/1 truth (1 for ``pos_label``), without a copy when ``t`` already is 0/1."""
    if t.dtype.kind in "biuf" and classes.size <= 2 and np.isin(classes, (0, 1)).all() \
            and pos_label == 1 and not isinstance(pos_label, str):
        return t.view(np.uint8) if t.dtype.kind == "b" else t
    return (t == pos_label).view(np.uint8)


def check_bool(func: str, name: str, value: Any) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise param_error(func, name, "an instance of 'bool' or an instance of 'numpy.bool'",
                           value)


def probabilities(y_proba: Any) -> np.ndarray:
    """``check_array(y_proba, ensure_2d=False, dtype=<float dtypes>)``: float16 / 32 / 64
    kept, other numbers as float64; NaN / inf and more than two dimensions refused."""
    p = _validation._numpy(y_proba)
    if p.dtype.kind == "O":
        p = _validation._from_object(p, "y_proba")
    if p.dtype.kind not in "biuf":
        raise ValueError(f"y_proba must hold numbers, got dtype {p.dtype}")
    if p.dtype.kind != "f":
        p = p.astype(np.float64)
    if not p.dtype.isnative:
        p = p.astype(p.dtype.newbyteorder("="))
    if p.ndim == 0:
        raise ValueError(f"Expected array-like, got the scalar {y_proba!r}")
    if p.ndim > 2:
        raise ValueError(f"Found array with dim {p.ndim}. None expected <= 2.")
    if p.shape[0] == 0:
        raise ValueError(f"Found array with 0 sample(s) (shape={p.shape}) while a minimum of "
                         "1 is required.")
    check_finite(p)
    return p


def codes(t: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, int]:
    """The index of each row's label in ``classes`` (sorted) or -1, and how many are -1:
    a lookup table for integers of a narrow range, a binary search otherwise."""
    if classes.dtype.kind == "b":
        classes = classes.view(np.uint8)
    if t.dtype.kind in "biuf" and classes.dtype.kind in "biuf" and classes.size:
        lo, hi = classes[0], classes[-1]
        span = _span(lo, hi)
        if span < _LABEL_SPAN_MAX and lo == int(lo) and (classes == classes.astype(
                np.int64)).all():
            lut = np.full(int(span) + 1, -1, np.int64)
            lut[(classes - lo).astype(np.int64)] = np.arange(classes.size)
            flat = t.view(np.uint8) if t.dtype.kind == "b" else t
            return label_codes(flat, lo, lut)
    idx = np.searchsorted(classes, t)
    idx[idx == classes.size] = 0
    ok = classes[idx] == t
    return np.where(ok, idx, -1), int(t.shape[0] - np.count_nonzero(ok))
