"""Input checks and formatting: turn what the user passed into arrays a kernel can count.

scikit-learn's rules (``type_of_target``, ``_check_targets``), without their passes over the
data: everything that must look at every row (labels out of range, NaN, fractions) is left to
the counting pass, which reports it back (see ``_kernels.cpu`` ``diagnostics``).
"""

from __future__ import annotations

import contextlib
import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, NamedTuple, TypeGuard, overload

import numpy as np

AVERAGE_OPTIONS = (None, "micro", "macro", "weighted", "samples")


DEVICES = ("auto", "cpu", "cuda")


def _is_sparse(x: Any) -> bool:
    return hasattr(x, "tocsr") and hasattr(x, "nnz")


def is_device_array(x: Any) -> bool:
    """A GPU array (CuPy, PyTorch, numba...; the CUDA simulator's arrays too)."""
    return hasattr(x, "__cuda_array_interface__") or type(x).__name__ == "FakeCUDAArray"


def is_dask(*arrays: Any) -> bool:
    """Whether any of ``arrays`` is a Dask collection (an array, a DataFrame column, ...).

    Checked by duck typing, without importing Dask: counts of Dask input are taken on the workers.

    Parameters
    ----------
    *arrays : object
        Any objects (None among them is fine).

    Returns
    -------
    bool
        True when at least one is a Dask collection.

    Examples
    --------
    >>> import dask.array as da, numpy as np
    >>> from fastf1.dask import is_dask
    >>> is_dask(da.zeros(4, chunks=2)), is_dask(np.zeros(4), None)
    (True, False)
    """
    return any(hasattr(a, "__dask_graph__") and hasattr(a, "__dask_keys__") for a in arrays)


def resolve_device(device: Any, *arrays: Any) -> str:
    """"cpu" or "cuda": "auto" picks the GPU when an input already lives there."""
    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, got {device!r}")
    if device == "auto":
        device = "cuda" if any(is_device_array(a) for a in arrays) else "cpu"
    if device == "cuda":
        try:
            from ._kernels import cuda as gpu
        except ImportError as exc:  # numba-cuda missing or broken
            raise ImportError(
                "device='cuda' needs numba-cuda: pip install 'fastf1-metrics[cuda]' "
                f"({exc})") from exc
        if not gpu.available():
            raise ValueError("device='cuda' but numba.cuda finds no CUDA GPU on this machine")
    return device


def _device_input(x: Any, name: str, device: str) -> Any:
    """A GPU array kept on the GPU (device='cuda') or copied to the host (device='cpu')."""
    from ._kernels import cuda as gpu

    view = gpu._device_view(x)
    if view.dtype.kind not in "iuf":
        raise TypeError(f"{name} on the GPU must hold integers or floats, got {view.dtype}")
    if view.dtype == np.float16 and view.ndim in (1, 2):  # widened, as on the host
        view = gpu.widen_half(view)
    return view if device == "cuda" else view.copy_to_host()


def as_array(x: Any, name: str) -> Any:
    """A NumPy array (or a scipy sparse matrix, kept as is) from array-likes."""
    if x is None:
        raise TypeError(f"{name} is None; expected an array-like")
    if is_dask(x):  # counts are taken on the workers, never here
        raise ValueError(
            f"{name} is a Dask collection, which this metric cannot take: per-row metrics "
            "(average='samples', samplewise, multilabel subset accuracy) are not counts")
    if _is_sparse(x):
        return x.tocsr()
    arr = _numpy(x, name)
    if arr.dtype.kind == "O":
        arr = _from_object(arr, name)
    elif arr.dtype.kind == "S":
        raise TypeError(BYTES_LABELS)
    elif arr.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {name} has dtype {arr.dtype}")
    elif arr.dtype.kind not in "biufU":
        raise TypeError(f"{name} has unsupported dtype {arr.dtype}; expected numbers or strings")
    if arr.dtype == np.float16:  # no kernel arithmetic in half precision: widen (exact)
        arr = arr.astype(np.float32)
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    return arr


#: scikit-learn's errors for inputs it cannot type (``type_of_target``), word for word
BYTES_LABELS = ("Support for labels represented as bytes is not supported. Convert the "
                "labels to a string or integer format.")
LEGACY_MULTILABEL = (
    "You appear to be using a legacy multi-label data representation. Sequence of "
    "sequences are no longer supported; use a binary array or sparse matrix instead - the "
    "MultiLabelBinarizer transformer can convert to this format.")


def _is_sequence(v: Any) -> bool:
    """A row given as a list or tuple (scikit-learn's old multilabel form), not a string."""
    return (isinstance(v, Sequence) and not isinstance(v, (str, bytes))
            and not hasattr(v, "__array__"))


def _numpy(x: Any, name: str = "input") -> np.ndarray:
    """A NumPy view (or copy) of an array-like: pandas, polars and pyarrow objects too
    (their nulls become NaN / None, which the callers catch)."""
    if isinstance(x, np.ndarray):
        return x
    if hasattr(x, "to_numpy") and not hasattr(x, "__array_interface__"):
        try:
            return np.asarray(x.to_numpy())
        except (TypeError, ValueError) as exc:
            # pyarrow arrays with nulls, or of bools, want zero_copy_only=False
            try:
                return np.asarray(x.to_numpy(zero_copy_only=False))
            except TypeError:  # not pyarrow: that keyword is not the problem
                raise exc from None
    try:
        return np.asarray(x)
    except ValueError:  # ragged rows: [[1], [2], [0, 1]]
        if isinstance(x, Sequence) and len(x) and _is_sequence(x[0]):
            raise ValueError(f"{LEGACY_MULTILABEL} ({name})") from None
        raise


def _from_object(arr: np.ndarray, name: str) -> np.ndarray:
    """Object arrays (pandas object / nullable columns): all strings, or all numbers."""
    flat = arr.ravel()
    if flat.size == 0:
        return arr.astype(np.float64)
    if isinstance(flat[0], bytes):
        raise TypeError(BYTES_LABELS)
    if _is_sequence(flat[0]):
        raise ValueError(f"{LEGACY_MULTILABEL} ({name})")
    is_str = np.fromiter((isinstance(v, str) for v in flat), bool, flat.size)
    if is_str.all():
        return arr.astype(str)
    if is_str.any():
        raise ValueError(f"Mix of label input types (string and number) in {name}")
    if not all(isinstance(v, (numbers.Number, np.bool_)) for v in flat):
        raise ValueError(f"Input {name} contains NaN or missing values (None / NA)")
    out = np.asarray(flat.tolist()).reshape(arr.shape)
    if out.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {name} holds complex numbers")
    if out.dtype.kind not in "biuf":  # Decimal, Fraction, integers beyond 64 bits
        kinds = ", ".join(sorted({type(v).__name__ for v in flat.tolist()}))
        raise ValueError(f"unknown is not supported: {name} holds objects ({kinds}) that are "
                         "not all 64-bit integers or floats")
    return out


def check_lengths(**lengths: int | None) -> None:
    """All inputs have the same number of rows (None: an input not given). The message
    lists the lengths in the order given, as scikit-learn's ``check_consistent_length``."""
    given = {name: int(n) for name, n in lengths.items() if n is not None}
    if len(set(given.values())) > 1:
        detail = ", ".join(f"{name} has {n}" for name, n in given.items())
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"{list(given.values())} ({detail})"
        )


def check_length(name: str, n: int, m: int, other: str = "y_true") -> None:
    """``name`` has ``n`` rows, as many as ``other`` (``m``)."""
    check_lengths(**{other: m, name: n})


def _rows(x: Any) -> int | None:
    """The number of rows of an array-like, without converting it (None if unknown)."""
    shape = getattr(x, "shape", None)
    if shape is not None:
        return int(shape[0]) if len(shape) else None
    try:
        return len(x)
    except TypeError:
        return None


def squeeze_column(arr: Any) -> Any:
    """(n, 1) -> (n,), as scikit-learn's ``column_or_1d``."""
    if not _is_sparse(arr) and arr.ndim == 2 and arr.shape[1] == 1:
        return arr[:, 0]
    return arr


def is_multilabel_input(y: Any) -> bool:
    """Is ``y`` (y_true) a 2-D indicator matrix (of more than one column), dense or sparse?"""
    if hasattr(y, "__dask_graph__") or is_device_array(y):
        return len(y.shape) == 2 and y.shape[1] != 1
    arr = as_array(y, "y_true")
    return _is_sparse(arr) or squeeze_column(arr).ndim == 2


class InvalidParameterError(ValueError, TypeError):
    """A parameter of the wrong type or value: both a ValueError and a TypeError, as
    scikit-learn's ``InvalidParameterError`` (fastf1 does not import scikit-learn)."""


#: scikit-learn's refusal of sample weights that are all zero (``_check_sample_weight``)
ALL_ZERO_WEIGHTS = "Sample weights must contain at least one non-zero number."


def is_array_like(x: Any) -> bool:
    """scikit-learn's array-like (``_is_arraylike_not_scalar``): a sequence or an array,
    not a number (a NumPy scalar neither; a 0-d array is one)."""
    return (hasattr(x, "__len__") or hasattr(x, "shape") or hasattr(x, "__array__")) \
        and not np.isscalar(x)


def zero_dim(x: Any) -> str:
    """scikit-learn's refusal of a 0-d array where rows are expected (``_num_samples``)."""
    return ("Input should have at least 1 dimension i.e. satisfy `len(x.shape) > 0`, got "
            f"scalar `{x!r}` instead.")


def as_weights(sample_weight: Any, n: int, allow_all_zero: bool = False,
               device: str = "cpu", second: str = "y_pred") -> Any:
    """``sample_weight`` as float64 of n rows (a GPU array in place with device='cuda');
    ``second`` names the other input in a length mismatch."""
    return weights_and_kind(sample_weight, n, allow_all_zero, device, second)[0]


def weights_and_kind(sample_weight: Any, n: int, allow_all_zero: bool = False,
                     device: str = "cpu", second: str = "y_pred") -> tuple[Any, bool]:
    """(``as_weights``, were they given as integers or bools?): scikit-learn keeps the
    weights' dtype, and some of its counts are int64 for integer weights. Read from the
    array the input became, so lists and polars / pandas Series tell it alike."""
    if sample_weight is None:
        return None, False
    if is_device_array(sample_weight):
        w = _device_input(sample_weight, "sample_weight", device)
        if device == "cuda":
            if w.ndim != 1:
                raise ValueError(_weights_not_1d(w, n))
            check_lengths(**{"y_true": n, second: n, "sample_weight": w.shape[0]})
            # counted in place; the all-zero check would need a pass
            return w, w.dtype.kind in "biu"
    else:
        if not is_array_like(sample_weight):  # scikit-learn's parameter check (the public
            # functions and update methods make it first, naming themselves)
            raise InvalidParameterError("The 'sample_weight' parameter must be an array-like "
                                        f"or None. Got {sample_weight!r} instead.")
        w = sample_weight if _is_sparse(sample_weight) else weight_values(sample_weight)
        if w.ndim == 0:  # a mapping or a set: one object, as check_array reads it
            raise TypeError(zero_dim(w))
        w = as_array(w, "sample_weight")
    if _is_sparse(w) or w.dtype.kind not in "biuf":
        raise TypeError(f"sample_weight must be numeric, got dtype {getattr(w, 'dtype', type(w))}")
    integers = w.dtype.kind in "biu"
    if w.ndim == 0:
        raise TypeError(zero_dim(w))
    if w.ndim != 1:
        raise ValueError(_weights_not_1d(w, n))
    check_lengths(**{"y_true": n, second: n, "sample_weight": w.shape[0]})
    w = np.ascontiguousarray(w, dtype=np.float64)
    # scikit-learn refuses all-zero weights; w[0] != 0 settles it without a pass
    if not allow_all_zero and n and w[0] == 0 and not w.any():
        raise ValueError(ALL_ZERO_WEIGHTS)
    return w, integers


@contextlib.contextmanager
def scoring_group(value: Any) -> Iterator[None]:
    """Score one group of ``groups=``: scikit-learn's refusal of that group's weights (all
    zero: its ValueError; summing to zero: its ZeroDivisionError) names the group. A group
    is scored as scikit-learn scores its rows alone, so what scikit-learn refuses on them
    fails the whole call; the weights' messages do not say which rows they were."""
    try:
        yield
    except ValueError as e:
        if str(e) != ALL_ZERO_WEIGHTS:
            raise
        raise ValueError(f"group {value!r}: {e}") from None
    except ZeroDivisionError as e:
        raise ZeroDivisionError(f"group {value!r}: {e}") from None


def score_groups(items: Iterable[tuple[Any, Any]],
                 score: Callable[[Any], Any]) -> Iterator[tuple[Any, Any]]:
    """``(value, score(x))`` of each group's ``(value, x)``, in ``scoring_group(value)``."""
    for value, x in items:
        with scoring_group(value):
            yield value, score(x)


def check_some_weight(w: Any) -> None:
    """scikit-learn's refusal of all-zero sample weights (None: unweighted)."""
    if w is not None and not np.asarray(w).any():
        raise ValueError(ALL_ZERO_WEIGHTS)


def weight_values(sample_weight: Any, at_most_2d: bool = True) -> np.ndarray:
    """``sample_weight`` as NumPy reads it, before its shape is checked (scikit-learn's
    ``check_array``): a dict or a set is a 0-d object array, a ragged list NumPy's own
    error, and (``at_most_2d``) more than two dimensions ``check_array``'s refusal. A Dask
    collection is refused (``as_array``'s error), never computed here."""
    if is_dask(sample_weight):
        as_array(sample_weight, "sample_weight")
    if isinstance(sample_weight, (list, tuple)):
        w = np.asarray(sample_weight)  # NumPy's words for ragged rows, as scikit-learn's
    else:
        w = _numpy(sample_weight, "sample_weight")
    if at_most_2d and w.ndim > 2:
        raise ValueError(f"Found array with dim {w.ndim}, while dim <= 2 is required.")
    return w


def _weights_not_1d(w: Any, n: int) -> str:
    return (f"Sample weights must be 1D array or scalar, got {w.ndim}D array. Expected "
            f"either a scalar value or a 1D array of length {n}.")


def check_ignore_index(kind: str | None, ignore_index: Any) -> Any:
    """``ignore_index``: None, or an integer (an integral float too) that fits int64.

    It skips rows by their true label: 1-D labels only (``kind`` is ``Inputs.kind``, None
    when not known yet). Multilabel rows have no single true label, so it is refused there
    rather than silently not applied.
    """
    if ignore_index is None:
        return None
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, numbers.Real):
        raise TypeError(f"ignore_index must be an integer label, got {ignore_index!r}")
    if isinstance(ignore_index, numbers.Integral):
        fits = -2**63 <= int(ignore_index) < 2**63
    else:  # an integral float
        value = float(ignore_index)
        fits = math.isfinite(value) and value.is_integer() and -2.0**63 <= value < 2.0**63
    if not fits:
        raise ValueError(f"ignore_index must be an integer that fits int64, got {ignore_index!r}")
    if kind == "multilabel":
        raise ValueError(
            f"ignore_index={ignore_index!r} applies to 1-D labels; multilabel-indicator "
            "input has no single true label per row (drop those rows, or pass "
            "sample_weight=0 for them)")
    return ignore_index


def check_labels(labels: Any) -> Any:
    """``labels=`` as a 1-D array (None stays None)."""
    if labels is None:
        return None
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(f"labels must be a 1-D list of labels, got shape {arr.shape}")
    return arr


def _host_values(x: Any) -> np.ndarray:
    """The stored values of an input (a host copy of a GPU array, a sparse matrix's data)."""
    if hasattr(x, "copy_to_host"):
        x = x.copy_to_host()
    return np.asarray(x.data if _is_sparse(x) else x)


def _not_finite(x: np.ndarray, name: str) -> str | None:
    """scikit-learn's words for a NaN or an infinity in ``x`` (``_assert_all_finite``)."""
    if x.dtype.kind != "f":
        return None
    if np.isnan(x).any():
        return f"Input {name} contains NaN."
    if np.isinf(x).any():
        return f"Input {name} contains infinity or a value too large for {x.dtype!r}."
    return None


def _target_type(x: np.ndarray, columns: int) -> str:
    """scikit-learn's ``type_of_target`` of finite values: a float is a label when it is an
    integer that int64 holds (``astype(int64)`` gives it back)."""
    suffix = "-multioutput" if columns > 1 else ""
    if x.dtype.kind == "f" and not ((x == np.floor(x)) & (x >= -2.0**63) & (x < 2.0**63)).all():
        return "continuous" + suffix
    if columns > 1:
        return "multilabel-indicator" if np.unique(x).size < 3 else "multiclass-multioutput"
    return "multiclass" if np.unique(x).size > 2 else "binary"


def sklearn_words(kind: str, t: Any, p: Any, w: Any = None, ignore: Any = None) -> str | None:
    """What scikit-learn says of inputs the counting pass refused (None: nothing it would
    say). ``kind`` is ``Inputs.kind``; rows whose truth is ``ignore`` are left out. Made
    only on that error path: it reads the inputs again, as scikit-learn's checks do."""
    t, p = _host_values(t), _host_values(p)
    w = None if w is None else _host_values(w)
    if ignore is not None and t.ndim == 1:
        keep = t != ignore
        t, p, w = t[keep], p[keep], None if w is None else w[keep]
    said = _not_finite(t, "y_true")
    # scores (threshold=, argmax) are fastf1's forms: only NaN / inf have scikit-learn words
    if said is None and kind in ("labels", "multilabel"):
        columns = t.shape[1] if t.ndim == 2 else 1
        type_true = _target_type(t, columns)
        said = _not_finite(p, "y_pred")
        if said is None:
            type_pred = _target_type(p, columns)
            types = {type_true, type_pred}
            if types == {"binary", "multiclass"}:
                types = {"multiclass"}
            if len(types) > 1:
                said = ("Classification metrics can't handle a mix of "
                        f"{type_true} and {type_pred} targets")
            elif types - {"binary", "multiclass", "multilabel-indicator"}:
                said = f"{type_true} is not supported"
    if said is None:
        said = _not_finite(p, "y_pred")
    if said is None and w is not None:
        said = _not_finite(w, "sample_weight")
    return said


def bad_values(problem: str, kind: str, t: Any, p: Any, w: Any = None,
               ignore: Any = None) -> ValueError:
    """The error for values fastf1 refused (``problem``), led by scikit-learn's words."""
    said = sklearn_words(kind, t, p, w, ignore)
    return ValueError(problem if said is None else f"{said} ({problem})")


def check_column_labels(labels: np.ndarray, n_columns: int) -> None:
    """Multilabel ``labels=`` are column indices: integers (range checked by the caller)."""
    if labels.dtype.kind in "biu":
        return
    bad = [v for v in labels.tolist()
           if not isinstance(v, (int, float)) or not math.isfinite(v) or v != int(v)]
    if bad:
        raise ValueError(f"All labels must be in [0, n labels) for multilabel targets: "
                         f"column indices 0 .. {n_columns - 1}. Got {bad[0]!r}")


def is_zero_division(v: Any) -> bool:
    """"warn", 0, 1 or NaN: scikit-learn's zero_division (a bool is a Real to its
    validation, numpy.bool not)."""
    if isinstance(v, str):
        return v == "warn"
    return isinstance(v, numbers.Real) and (v in (0, 1) or math.isnan(v))


def check_zero_division(zero_division: Any) -> Any:
    if is_zero_division(zero_division):
        return zero_division
    raise ValueError(
        f"zero_division must be 'warn', 0.0, 1.0 or np.nan; got {zero_division!r}"
    )


def _is_real(x: Any) -> TypeGuard[float]:
    # float stands for any real number here (int, NumPy scalars): what the checks compare with
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def check_zero_division_01(zero_division: Any, func: str) -> None:
    """zero_division of scikit-learn functions that take 'warn', 0 or 1 (no NaN)."""
    if zero_division == "warn" if isinstance(zero_division, str) else (
            isinstance(zero_division, numbers.Real) and zero_division in (0, 1)):
        return
    raise InvalidParameterError(
        f"The 'zero_division' parameter of {func} must be a float among {{0, 1}} or a "
        f"str among {{'warn'}}. Got {zero_division!r} instead.")


def is_kappa_weights(v: Any) -> bool:
    """cohen_kappa_score's weights: None, "linear" or "quadratic"."""
    return v is None or isinstance(v, str) and v in ("linear", "quadratic")


def check_kappa_args(weights: Any, replace_undefined_by: Any) -> None:
    if not is_kappa_weights(weights):
        raise InvalidParameterError(
            "The 'weights' parameter of cohen_kappa_score must be a str among "
            f"{{'linear', 'quadratic'}} or None. Got {weights!r} instead.")
    if not (_is_real(replace_undefined_by)
            and (math.isnan(replace_undefined_by) or -1.0 <= replace_undefined_by <= 1.0)):
        raise InvalidParameterError(
            "The 'replace_undefined_by' parameter of cohen_kappa_score must be a float in "
            f"the range [-1.0, 1.0] or numpy.nan. Got {replace_undefined_by!r} instead.")


def check_likelihood_replace(replace_undefined_by: Any) -> Any:
    """scikit-learn's checks of class_likelihood_ratios' replace_undefined_by: NaN, 1.0
    (both ratios 1.0) or {"LR+": >= 1 or NaN, "LR-": in [0, 1] or NaN}; returns NaN or
    the dict."""
    if isinstance(replace_undefined_by, dict):
        msg = (
            "The dictionary passed as `replace_undefined_by` needs to be in the form "
            "`{'LR+': `value_1`, 'LR-': `value_2`}` where the value for `LR+` ranges "
            "from `1.0` to `np.inf` or is `np.nan` and the value for `LR-` ranges from "
            f"`0.0` to `1.0` or is `np.nan`; got `{replace_undefined_by}`.")
        pos, neg = replace_undefined_by.get("LR+"), replace_undefined_by.get("LR-")
        # scikit-learn's check_scalar lets NaN through (its comparisons are False)
        if not (_is_real(pos) and not pos < 1.0 and _is_real(neg)
                and not neg < 0.0 and not neg > 1.0):
            raise ValueError(msg)
        return replace_undefined_by
    if _is_real(replace_undefined_by) and (replace_undefined_by == 1.0
                                           or math.isnan(replace_undefined_by)):
        if replace_undefined_by == 1.0:
            return {"LR+": 1.0, "LR-": 1.0}
        return replace_undefined_by
    raise InvalidParameterError(
        "The 'replace_undefined_by' parameter of class_likelihood_ratios must be a float "
        f"among {{1.0, nan}} or an instance of 'dict'. Got {replace_undefined_by!r} instead.")


def is_average(v: Any) -> bool:
    """'binary' or one of ``AVERAGE_OPTIONS``."""
    return v is None or isinstance(v, str) and (v == "binary" or v in AVERAGE_OPTIONS)


def is_beta(v: Any) -> bool:
    """A real number >= 0 (a bool is a Real to scikit-learn's validation: True is 1)."""
    return isinstance(v, numbers.Real) and float(v) >= 0


def check_average(average: Any) -> None:
    if not is_average(average):
        raise ValueError("average has to be one of " + str(AVERAGE_OPTIONS) + " or 'binary'")


def check_beta(beta: Any) -> None:
    if not is_beta(beta):
        raise ValueError(f"beta must be a real number >= 0, got {beta!r}")


class Inputs(NamedTuple):
    """Formatted inputs for one counting pass.

    kind: "labels" (1-D labels), "scores" (1-D 0/1 truth, 1-D scores, ``thr`` a float),
    "argmax" (1-D labels, 2-D scores), "multilabel" (2-D indicators; ``thr`` a float64
    array when ``p`` holds scores).
    """

    kind: str
    t: Any
    p: Any
    w: np.ndarray | None
    thr: Any
    n: int
    label_dtype: Any = None
    int_weights: bool = False  # sample_weight had an integer dtype (before the float64 cast)
    device: str = "cpu"  # where the counting pass runs: "cpu" or "cuda"
    # t (and, for "labels", p) was a bool array, passed on as its uint8 bytes: a byte other
    # than 0 / 1 (a 0 / 255 mask viewed as bool) is True (``canonical_bools``)
    bools: bool = False
    # "labels" from two ``DictionaryLabels`` of strings: t and p are int32 codes into these
    # sorted labels, the very codes the counting pass would give the decoded values
    classes: np.ndarray | None = None


class DictionaryLabels:
    """A 1-D column of labels as ``values[indices]``: a dictionary-encoded column (how
    Parquet stores label columns, and Arrow reads them), counted without gathering values.

    ``prepare`` reads only the dictionary entries some row uses: two columns of strings
    become codes into their present labels (``Inputs.classes``); anything else is decoded
    and takes the value path. An entry no row uses is never read, checked or counted.
    Not an array (a tuple would turn into a 2-row one): only ``prepare`` takes it.
    """

    __slots__ = ("indices", "values")

    def __init__(self, indices: np.ndarray, values: np.ndarray) -> None:
        # indices: integers in 0 .. len(values) - 1 (no nulls); values: the dictionary
        self.indices, self.values = indices, values

    @property
    def shape(self) -> tuple[int, ...]:
        return self.indices.shape

    @property
    def ndim(self) -> int:
        return 1

    def present(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(the values of the entries some row uses, as ``as_array`` makes them; which
        entries those are, a mask)."""
        used = np.bincount(self.indices, minlength=len(self.values)) > 0
        return as_array(self.values[used], name), used

    def through(self, used: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Each row's entry as ``values`` (one for each used entry) says: one read of the
        rows, through a table the size of the dictionary."""
        table = np.zeros(len(self.values), values.dtype)
        table[used] = values
        return table.take(self.indices)


def _from_dictionaries(y_true: Any, y_pred: Any, threshold: Any,
                       device: str) -> tuple[Any, Any, np.ndarray | None]:
    """(y_true, y_pred, classes): two ``DictionaryLabels`` of strings as codes into their
    sorted present labels (``classes``); else each ``DictionaryLabels`` decoded (classes
    None). The codes and classes are those ``_dispatch._encode`` makes of the values."""
    columns = [(x, x.present(name)) if isinstance(x, DictionaryLabels) else (x, None)
               for x, name in ((y_true, "y_true"), (y_pred, "y_pred"))]
    found = [f for _, f in columns if f is not None]
    if (len(found) == 2 and all(values.dtype.kind == "U" for values, _ in found)
            and threshold is None and device in ("auto", "cpu")):
        classes = np.unique(np.concatenate([values for values, _ in found]))
        codes = [x.through(used, np.searchsorted(classes, values).astype(np.int32))
                 for x, (values, used) in zip((y_true, y_pred), found)]
        return codes[0], codes[1], classes
    decoded = [x if f is None else x.through(f[1], f[0]) for x, f in columns]
    return decoded[0], decoded[1], None


def canonical_bools(inp: Inputs) -> Inputs:
    """``inp`` with its bool-derived uint8 inputs made 0 / 1 (one pass, a copy). The
    counting pass calls it only after it met a byte other than 0 / 1 in such an input, so
    canonical bools cost nothing."""
    def fix(x: Any) -> Any:
        return (x != 0).view(np.uint8)

    return inp._replace(t=fix(inp.t), p=fix(inp.p) if inp.kind == "labels" else inp.p,
                        bools=False)


def bool_bytes(x: np.ndarray) -> np.ndarray:
    """A bool array as its uint8 bytes 0 / 1: a view, or, where a byte is other than 0 / 1
    (a 0 / 255 mask viewed as bool), a copy with True as 1, as NumPy reads such bytes.
    For the kernels that take bools as bytes and cannot tell a byte 2 from a label 2."""
    b = x.view(np.uint8)
    return b if not b.size or b.max() <= 1 else (b != 0).view(np.uint8)


def _numeric_labels(arr: np.ndarray) -> np.ndarray:
    """Kernel-ready labels without a copy: strided and read-only arrays are counted in place
    (each layout is one more compiled signature, cheaper than copying a large input)."""
    return arr.view(np.uint8) if arr.dtype.kind == "b" else arr


# Only a caller that passes allow_empty=True has to handle None (an empty chunk).
@overload
def prepare(
    y_true: Any,
    y_pred: Any,
    sample_weight: Any = ...,
    threshold: Any = ...,
    allow_all_zero_weights: bool = ...,
    device: str = ...,
    allow_empty: Literal[False] = ...,
) -> Inputs: ...


@overload
def prepare(
    y_true: Any,
    y_pred: Any,
    sample_weight: Any = ...,
    threshold: Any = ...,
    allow_all_zero_weights: bool = ...,
    device: str = ...,
    *,
    allow_empty: bool,
) -> Inputs | None: ...


def prepare(
    y_true: Any,
    y_pred: Any,
    sample_weight: Any = None,
    threshold: Any = None,
    allow_all_zero_weights: bool = False,
    device: str = "auto",
    allow_empty: bool = False,
) -> Inputs | None:
    """Check shapes and types and choose the counting form (no pass over the data).

    No rows is scikit-learn's error, or, with ``allow_empty`` (a chunk of a stream, which
    adds nothing), None once the shapes and the weights' length are checked."""
    classes = None
    if isinstance(y_true, DictionaryLabels) or isinstance(y_pred, DictionaryLabels):
        y_true, y_pred, classes = _from_dictionaries(y_true, y_pred, threshold, device)
    # the common chunk of a stream, 1-D NumPy integer labels of one dtype, which the general
    # path below would pass on unchanged: its checks skipped, one by one they would all pass
    plain = (threshold is None and device in ("auto", "cpu") and _plain_labels(y_true, y_pred)
             and (sample_weight is None or type(sample_weight) is np.ndarray))
    if plain:
        device, t, p = "cpu", y_true, y_pred
    else:
        device = resolve_device(device, y_true, y_pred, sample_weight)
        t, p = (squeeze_column(_device_input(y, name, device) if is_device_array(y)
                               else as_array(y, name))
                for y, name in ((y_true, "y_true"), (y_pred, "y_pred")))
    for name, arr in (("y_true", t), ("y_pred", p)):
        if arr.ndim == 0:
            raise ValueError(f"{name} is a scalar; expected a 1-D or 2-D array")
        if arr.ndim > 2:
            raise ValueError(f"{name} has {arr.ndim} dimensions; expected 1-D labels or a 2-D matrix")
    n = t.shape[0]
    check_lengths(y_true=n, y_pred=p.shape[0],
                  sample_weight=None if sample_weight is None else _rows(sample_weight))
    if n == 0 and allow_empty:
        return None
    if n == 0:
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum "
            "of 1 sample is required."
        )
    try:
        w, int_weights = weights_and_kind(sample_weight, n, allow_all_zero_weights, device)
    except (TypeError, ValueError):
        # scikit-learn's _check_targets refuses NaN / inf in y_true and y_pred (its
        # type_of_target) before it reads the weights: that comes first (a pass over the
        # labels, on this error path only)
        said = (_not_finite(_host_values(t), "y_true")
                or _not_finite(_host_values(p), "y_pred"))
        if said is not None:
            raise ValueError(said) from None
        raise
    if classes is not None:
        inputs = Inputs("labels", t, p, w, None, n, classes.dtype, classes=classes)
    else:
        inputs = Inputs("labels", t, p, w, None, n, t.dtype) if plain else _prepare_forms(
            t, p, w, threshold, n)
    bools = t.dtype.kind == "b" and (inputs.kind in ("scores", "argmax")
                                     or inputs.kind == "labels" and p.dtype.kind == "b")
    return inputs._replace(t=read_only(inputs.t), p=read_only(inputs.p), w=read_only(inputs.w),
                           int_weights=int_weights, device=device, bools=bools)


def _plain_labels(t: Any, p: Any) -> bool:
    """1-D NumPy arrays of integer labels of one native dtype (not a subclass)."""
    return (type(t) is np.ndarray and type(p) is np.ndarray and t.ndim == 1 and p.ndim == 1
            and t.dtype == p.dtype and t.dtype.kind in "iu" and t.dtype.isnative)


def read_only(a: Any) -> Any:
    """A read-only view of a NumPy array (anything else as it is).

    Numba compiles a kernel once per argument type, and a read-only array (a zero-stride
    view, a memory map, a zero-copy Arrow column) is another type than a writable one: the
    kernels, which never write their inputs, always see read-only arrays, so one compiled
    signature serves both."""
    if type(a) is not np.ndarray or not a.flags.writeable:
        return a
    view = a.view()
    view.flags.writeable = False
    return view


def _prepare_forms(t: Any, p: Any, w: Any, threshold: Any, n: int) -> Inputs:
    if t.ndim == 2 and t.shape[1] == 0:  # [[]]: no labels at all (scikit-learn's words)
        raise ValueError("unknown is not supported: y_true has rows but no columns")
    if t.ndim == 2 or _is_sparse(t):
        return _prepare_multilabel(t, p, w, threshold, n)
    if _is_sparse(p):
        raise TypeError("Sparse input is only supported when targets are of multilabel type")
    if p.ndim == 2:
        if p.dtype.kind != "f":
            raise ValueError(
                "Classification metrics can't handle a mix of multiclass and "
                "multilabel-indicator targets"
            )
        if threshold is not None:
            raise ValueError("threshold= is for 1-D binary scores or multilabel scores; "
                             "a 2-D y_pred with 1-D y_true is scored by argmax")
        if p.shape[1] == 0:
            raise ValueError("y_pred is a score matrix with no columns: argmax needs at "
                             "least one score per row")
        return Inputs("argmax", _numeric_labels(_labels_not_strings(t, "y_true")),
                      p, w, None, n, _index_dtype(t))
    if threshold is not None:
        if p.dtype.kind != "f":
            raise TypeError(
                f"threshold= applies to float scores, but y_pred holds {p.dtype} labels"
            )
        thr = _scalar_threshold(threshold)
        return Inputs("scores", _numeric_labels(_labels_not_strings(t, "y_true")),
                      p, w, thr, n, _index_dtype(t))
    t_str, p_str = t.dtype.kind in "US", p.dtype.kind in "US"
    if t_str != p_str:  # scikit-learn first says if the numbers are not labels at all
        raise bad_values("Mix of label input types (string and number)", "labels", t, p)
    if t_str:
        return Inputs("labels", t, p, w, None, n, np.result_type(t.dtype, p.dtype))
    if t.dtype != p.dtype and not (is_device_array(t) or is_device_array(p)):
        # one dtype for both keeps the number of compiled CPU signatures small
        common = np.result_type(t.dtype, p.dtype)
        if common.kind == "f" and t.dtype.kind in "biu" and p.dtype.kind in "biu":
            common = exact_int_dtype(t, p)  # signed with uint64: keep integers
        t, p = t.astype(common), p.astype(common)
    return Inputs("labels", _numeric_labels(t), _numeric_labels(p), w, None, n, t.dtype)


def exact_union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.union1d`` of two label arrays, exact for integers of mixed signedness (where
    NumPy's common type float64 would round 2**63 + 5 to 9.223372036854776e18)."""
    if a.dtype != b.dtype and a.dtype.kind in "biu" and b.dtype.kind in "biu":
        common = np.result_type(a.dtype, b.dtype)
        if common.kind == "f":
            common = exact_int_dtype(a, b)
        a, b = a.astype(common), b.astype(common)
    return np.union1d(a, b)


def exact_int_dtype(*arrays: np.ndarray) -> np.dtype:
    """A dtype that holds every value of integer arrays of mixed signedness exactly, where
    NumPy's common type (float64 for signed with uint64) rounds past 2**53: int64 when the
    unsigned values fit it, uint64 when no value is negative, else object (Python ints;
    such labels are encoded with ``np.unique``). Looks at the values: only for this mix."""
    signed = [a for a in arrays if a.dtype.kind == "i" and a.size]
    unsigned = [a for a in arrays if a.dtype.kind == "u" and a.size]
    if not any(int(a.max()) >= 1 << 63 for a in unsigned):
        return np.dtype(np.int64)
    if not any(int(a.min()) < 0 for a in signed):
        return np.dtype(np.uint64)
    return np.dtype(object)


def _index_dtype(t: np.ndarray) -> np.dtype:
    """Label dtype when predictions are class indices: int64, or float64 for float truth."""
    return np.dtype(np.float64 if t.dtype.kind == "f" else np.int64)


def _labels_not_strings(arr: np.ndarray, name: str) -> np.ndarray:
    if arr.dtype.kind in "US":
        raise ValueError(f"{name} must hold integer class indices for this input form, got strings")
    return arr


def _scalar_threshold(threshold: Any) -> float:
    thr = np.asarray(threshold)
    if thr.ndim != 0 or thr.dtype.kind not in "biuf":
        raise ValueError(f"threshold must be one number for 1-D scores, got {threshold!r}")
    thr_f = float(thr)
    if math.isnan(thr_f):
        raise ValueError("threshold is NaN")
    return thr_f


def _prepare_multilabel(t: Any, p: Any, w: Any, threshold: Any, n: int) -> Inputs:
    if p.ndim != 2 and not _is_sparse(p):
        raise ValueError(
            "Classification metrics can't handle a mix of multilabel-indicator and "
            "multiclass targets"
        )
    if t.shape[1] != p.shape[1]:
        raise ValueError(f"y_true has {t.shape[1]} columns but y_pred has {p.shape[1]}")
    for name, arr in (("y_true", t), ("y_pred", p)):
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"{name} must be a numeric multilabel indicator matrix, got {arr.dtype}")
    thr = None
    if threshold is not None:
        if p.dtype.kind != "f":
            raise TypeError(
                f"threshold= applies to float scores, but y_pred holds {p.dtype} indicators"
            )
        thr = np.asarray(threshold, dtype=np.float64)
        if thr.ndim == 0:
            thr = np.full(p.shape[1], float(thr))
        if thr.shape != (p.shape[1],):
            raise ValueError(
                f"threshold must be one number or one per label ({p.shape[1]}), got shape {thr.shape}"
            )
        if np.isnan(thr).any():
            raise ValueError("threshold contains NaN")
    return Inputs("multilabel", t, p, w, thr, n, np.dtype(np.int64))


# ---- groups= (sliced scores) -------------------------------------------------------------

#: integer groups spanning at most this many values are counted by value, without encoding
GROUP_SPAN_MAX = 1 << 16


class GroupCodes(NamedTuple):
    """Each row's group as an integer code: group ``values[k]`` has code ``offset + k``
    (``offset`` in the codes' own dtype, so ``code - offset`` never overflows)."""

    codes: np.ndarray
    offset: Any
    values: np.ndarray
    by_value: bool = False  # narrow integers used as they are: one code per value in range

    def row_groups(self) -> np.ndarray:
        """Each row's group number, 0 .. len(values) - 1, as int64 (the difference is
        taken in the unsigned twin of the codes' dtype: it wraps to the right value)."""
        unsigned = np.dtype(f"u{self.codes.dtype.itemsize}")
        offset = np.asarray(self.offset).astype(self.codes.dtype).view(unsigned)
        return (self.codes.view(unsigned) - offset).astype(np.int64)


def encode_groups(groups: Any, n: int, by_value: bool = True) -> GroupCodes:
    """The group of every row, checked (1-D, one per row, none missing) and coded.

    Integer groups of a narrow range are used as they are (no copy, no sort; ``by_value``
    allows it); anything else (strings, dates, floats, wide integers) is encoded once, with
    pandas' hash factorize when pandas is present, else ``np.unique``. ``values`` are sorted.
    """
    if groups is None:
        raise TypeError("groups is None; expected an array-like")
    if is_dask(groups):
        raise ValueError("groups is a Dask collection but y_true / y_pred are not: pass all "
                         "of them as Dask collections (or none)")
    g = _numpy(groups)
    if _is_sparse(g) or g.ndim != 1:
        raise ValueError(f"groups must be 1-D (one group per row), got shape {g.shape}")
    check_length("groups", g.shape[0], n)
    if not g.dtype.isnative:
        g = g.astype(g.dtype.newbyteorder("="))
    value_dtype = g.dtype
    if g.dtype.kind == "b":
        # the bytes (a byte other than 0 / 1 is True: made 0 / 1 below where it occurs)
        g = g.view(np.uint8) if by_value else (g.view(np.uint8) != 0).view(np.uint8)
    if g.dtype.kind in "iu" and n and by_value:
        lo, hi = g.min(), g.max()
        if value_dtype.kind == "b" and hi > 1:  # bytes other than 0 / 1 viewed as bool: True
            g = (g != 0).view(np.uint8)
            lo, hi = g.min(), g.max()
        if int(hi) - int(lo) < GROUP_SPAN_MAX:
            # lo + k in the groups' dtype (wrapping arithmetic: every lo + k fits it)
            values = (np.arange(int(hi) - int(lo) + 1).astype(g.dtype) + lo).astype(value_dtype)
            return GroupCodes(g, lo, values, by_value=True)
    missing = (np.isnan(g) if g.dtype.kind == "f" else np.isnat(g) if g.dtype.kind in "mM"
               else None)
    try:
        import pandas as pd
    except ImportError:
        if g.dtype.kind == "O":
            missing = np.fromiter((v is None or v != v for v in g), bool, g.shape[0])
        if missing is None or not missing.any():
            values, codes = np.unique(g, return_inverse=True)
    else:
        codes, values = pd.factorize(g, sort=True)
        values = np.asarray(values)
        missing = codes < 0
    if missing is not None and missing.any():
        raise ValueError(f"groups contains {int(missing.sum())} missing value(s) (NaN, NaT, "
                         "None or NA): every row needs a group")
    return GroupCodes(codes.astype(np.int64, copy=False), np.int64(0), values)
