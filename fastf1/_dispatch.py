"""Run the counting pass: choose the kernel and the label range, retry or encode if needed.

Small non-negative (or narrow-range) integer labels are counted directly over a dense range
``offset .. offset + cap - 1`` guessed from the first rows; no ``np.unique``, no extra pass.
If the pass finds labels outside the guess, it reports their extent and the pass is re-run
once over the exact range. Labels that are strings or spread too widely for a dense range
(``[-1, 7, 10**9]``) are encoded once with ``np.unique``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from . import _validation
from ._kernels import cpu
from ._threads import map_ranges, row_ranges
from ._validation import GroupCodes, Inputs, bad_values, check_ignore_index

#: widest label range counted densely; wider label sets are encoded with np.unique
DENSE_SPAN_MAX = 1 << 21
#: the same for the K x K confusion matrix, whose memory grows with the square of the span
DENSE_SPAN_MAX_CONFUSION = 1 << 11
#: widest label range that ``RangeMemo`` hands on to a stream's next chunk
MEMO_SPAN_MAX = 1 << 12
#: most (group, label) counters of one groups= pass (three int64 rows each, per thread)
GROUP_CELLS_MAX = 1 << 22
_GUESS_ROWS = 4096
_SPARSE_CHUNK_ROWS = 1 << 16


class TooManyCells(ValueError):
    """groups=: more (group, label) counters than ``GROUP_CELLS_MAX``."""

    def __init__(self, ngroups: int, nlabels: int) -> None:
        super().__init__(
            f"groups=: {ngroups} groups x {nlabels} labels is more than {GROUP_CELLS_MAX} "
            "(group, label) counters; use fewer groups, or score them in batches")


class Counts(NamedTuple):
    """What one pass found: the present labels and their counts (int64, float64 weighted)."""

    labels: np.ndarray
    tp: np.ndarray
    true: np.ndarray
    pred: np.ndarray
    total: Any  # rows counted (int), or their total weight (float)
    multilabel: bool
    # scikit-learn returns int64 weighted counts for multilabel input with integer weights
    # where the chosen columns hold not a single 1 (np.bincount of nothing is int64);
    # fastf1 follows: per column, True where neither y_true nor y_pred has a 1 (else None)
    int_weighted_empty: np.ndarray | None = None
    # weighted single-label counts: per label, True where y_true holds it in some row, of
    # any weight (scikit-learn's presence tests read rows, and a label whose rows all weigh
    # zero has true == 0); None unweighted, where ``true > 0`` says the same
    true_seen: np.ndarray | None = None
    # the pass (with groups, the group) had a row of non-zero sample weight (True
    # unweighted): scikit-learn refuses weights that are all zero, and a stream of chunks
    # can only tell at its end. None: not known (counts saved before it was recorded)
    some_weight: bool | None = True


def some_weight(w: Any, *weighted: Any) -> bool:
    """Does ``w`` (None: unweighted) hold a non-zero weight? A non-zero weighted count or
    total (``weighted``) says so without reading ``w``: only when they are all zero (every
    weight zero, or weights that cancel) are the weights read again."""
    if w is None or any(np.any(x) for x in weighted):
        return True
    return bool(np.any(_host(w)))


def some_weight_by_group(w: Any, groups: GroupCodes, weighted: np.ndarray | None) -> np.ndarray:
    """``some_weight`` of each group: ``weighted`` holds a row per group, its weighted
    counts and total; only when some group's are all zero are the weights read again."""
    ngroups = groups.values.size
    if w is None or weighted is None:
        return np.ones(ngroups, bool)
    some = (weighted != 0).any(axis=1)
    if not some.all():
        some |= np.bincount(groups.row_groups(), weights=_host(w) != 0, minlength=ngroups) > 0
    return some


def run(kernel: Callable, arrays: tuple, *args: Any, align: int = 1, cost: int = 1,
        diagnostics: bool = True) -> Any:
    """``kernel(*arrays, *args)``, its rows cut into ranges counted at the same time.

    ``arrays`` are the row-indexed inputs (None stays None), cut at multiples of ``align``
    rows and handed on read-only (``_validation.read_only``). The kernels return a tuple of counts,
    summed over the ranges, whose last element is a diagnostics vector
    (``diagnostics=True``: summed, but OUT_MIN / OUT_MAX min / max).
    """
    n_rows = arrays[0].shape[0]
    arrays = tuple(_validation.read_only(a) for a in arrays)

    def count(lo: int, hi: int) -> Any:
        return kernel(*(None if a is None else a[lo:hi] for a in arrays), *args)

    results = map_ranges(count, row_ranges(n_rows, align, cost))
    if len(results) == 1:
        return results[0]
    if not diagnostics:
        return tuple(sum(parts) for parts in zip(*results))
    added = [sum(parts) for parts in zip(*(r[:-1] for r in results))]
    per_range = np.stack([r[-1] for r in results])
    merged = per_range.sum(axis=0)
    merged[cpu.OUT_MIN] = per_range[:, cpu.OUT_MIN].min()
    merged[cpu.OUT_MAX] = per_range[:, cpu.OUT_MAX].max()
    return (*added, merged)


def _host(x: Any) -> Any:
    """A host copy of a GPU array (small heads, or the rare fallbacks); host arrays as is."""
    return x.copy_to_host() if hasattr(x, "copy_to_host") else x


def check_diagnostics(diagnostics: np.ndarray, kind: str, n_classes: int | None = None,
                      inputs: tuple | None = None, scores: bool = False) -> None:
    """Raise the error a counting pass's diagnostics vector records, if any.

    ``n_classes``: the label range is fixed (a Keras metric's ``[0, n_classes)``), so a
    label outside it is an error too; without it such labels make the caller widen the
    range and count again. ``inputs``, (t, p, w, ignore): the counted arrays, read again on
    this error path only to lead the message with scikit-learn's words (``scores``: a
    multilabel y_pred holds scores).
    """
    problem = _diagnostics_problem(diagnostics, kind, n_classes)
    if problem is None:
        return
    if inputs is None:
        raise ValueError(problem)
    raise bad_values(problem, "scores" if scores else kind, *inputs)


def _diagnostics_problem(diagnostics: np.ndarray, kind: str,
                         n_classes: int | None) -> str | None:
    if diagnostics[cpu.BADVAL_TRUE]:
        return (
            f"y_true contains {diagnostics[cpu.BADVAL_TRUE]} value(s) that are not class labels "
            + ("(only 0 and 1 are allowed)" if kind in ("scores", "multilabel")
               else "(NaN, inf or non-integral floats: continuous targets are not supported)")
        )
    if diagnostics[cpu.BADVAL_PRED]:
        if kind == "labels":
            return (
                f"y_pred contains {diagnostics[cpu.BADVAL_PRED]} value(s) that are not class labels "
                "(NaN, inf or non-integral floats); for scores or probabilities pass threshold="
            )
        what = "multilabel indicators must be 0 or 1" if kind == "multilabel" else "NaN or inf"
        return f"y_pred contains {diagnostics[cpu.BADVAL_PRED]} invalid score(s) ({what})"
    if diagnostics[cpu.BAD_WEIGHT]:
        return f"sample_weight contains {diagnostics[cpu.BAD_WEIGHT]} NaN or inf value(s)"
    if n_classes is not None and diagnostics[cpu.OUT]:
        if kind == "scores" or n_classes == 2 and kind != "argmax":
            allowed = "0 and 1"
        else:
            allowed = f"[0, {n_classes})"
        return (
            f"{diagnostics[cpu.OUT]} label(s) outside {allowed} (found {diagnostics[cpu.OUT_MIN]} .. "
            f"{diagnostics[cpu.OUT_MAX]}); skip padding with ignore_index= or a mask / sample_weight"
        )
    return None


def _present_range(counts: np.ndarray, offset: int, cap: int) -> tuple[int, int] | None:
    """The smallest and largest label counted (counts of several groups side by side)."""
    nz = np.flatnonzero((counts[cpu.TRUE] + counts[cpu.PRED]).reshape(-1, cap).sum(axis=0))
    return (offset + int(nz[0]), offset + int(nz[-1])) if nz.size else None


def _span(x: np.ndarray) -> tuple[Any, Any] | None:
    """(smallest, largest) value of x as exact Python numbers, NaN skipped; None if none."""
    if not x.shape[0]:
        return None
    lo, hi, found = cpu.label_span(_validation.read_only(x))
    if not found:
        return None
    return tuple(v.item() if hasattr(v, "item") else v for v in (lo, hi))


def _int_limits(*arrays: Any) -> tuple[Any, Any]:
    """The smallest and largest value the integer inputs among ``arrays`` can hold (a dense
    range must not reach past them: its labels are made in the inputs' dtype)."""
    return _dtype_limits(tuple(np.dtype(a.dtype) for a in arrays))


@functools.lru_cache(maxsize=64)
def _dtype_limits(dtypes: tuple[np.dtype, ...]) -> tuple[Any, Any]:
    ints = [np.iinfo(d) for d in dtypes if d.kind in "iu"]
    if not ints:
        return -math.inf, math.inf
    return min(i.min for i in ints), max(i.max for i in ints)


def _guess_range(t: np.ndarray, p: np.ndarray, ignore: Any, hint: Any,
                 tight: bool = False) -> tuple[int, int]:
    """A dense label range [lo, hi] from the first rows (and the requested labels); with
    ``tight``, just their extent (room costs once per group with groups=). Exact Python
    integers: labels near the ends of int64 / uint64 must not round through float64."""
    head_t, head_p = _host(t[:_GUESS_ROWS]), _host(p[:_GUESS_ROWS])
    if ignore is not None:
        head_t = head_t[head_t != ignore]
    # NaN is skipped; NaN, inf and fractions are reported by the counting pass
    spans = [s for s in (_span(head_t), _span(head_p)) if s is not None]
    if hint is not None:
        hint = np.asarray(hint).ravel()
        if hint.dtype.kind in "biu" and hint.size:
            spans.append((int(hint.min()), int(hint.max())))
        elif hint.dtype.kind == "f" and hint.size:
            spans.append((float(np.fmin.reduce(hint)), float(np.fmax.reduce(hint))))
    lo = min((s[0] for s in spans), default=math.inf)
    hi = max((s[1] for s in spans), default=-math.inf)
    lo = int(lo) if math.isfinite(lo) else 0
    hi = max(int(hi) if math.isfinite(hi) else 1, lo)
    return _with_room(lo, hi, t, p, tight)


def _with_room(lo: int, hi: int, t: Any, p: Any, tight: bool = False) -> tuple[int, int]:
    """The dense range to count labels ``lo .. hi`` over: with room for more (unless
    ``tight``), inside the inputs' dtype."""
    if not tight:
        if hi - lo < 2 and lo >= 0:
            hi = max(hi, lo + 1)  # two classes: the reduction kernel
        else:
            if lo >= 0:
                lo = 0  # room below: labels from 0 are the common case
            # round the span up, leaving room for labels the first rows did not show
            hi = lo + max(1 << (hi - lo).bit_length(), 16) - 1
    # keep the range inside the inputs' dtype (labels at its top end: move it down)
    vmin, vmax = _int_limits(t, p)
    if hi > vmax:
        lo, hi = max(vmin, lo - (hi - vmax)), vmax
    return lo, hi


def _wrap64(v: int) -> int:
    """The int64 with v's low 64 bits: the kernels take the range's offset as an int64 and
    compute ``int64(label) - offset`` wrapping, right for uint64 labels past 2**63 too."""
    return (v + (1 << 63)) % (1 << 64) - (1 << 63)


def _out_range(diagnostics: np.ndarray, *arrays: Any) -> tuple[int, int] | None:
    """The smallest and largest label found outside the counted range, from ``diagnostics``
    (the kernels record them as int64: uint64 labels past 2**63 wrapped negative). None
    when that cannot be told apart: uint64 labels on both sides of 2**63, or uint64 labels
    past 2**63 with signed ones."""
    lo, hi = int(diagnostics[cpu.OUT_MIN]), int(diagnostics[cpu.OUT_MAX])
    kinds = {(a.dtype.kind, a.dtype.itemsize) for a in arrays}
    if ("u", 8) not in kinds or lo >= 0:
        return lo, hi
    if hi >= 0 or any(kind in "if" for kind, _ in kinds):
        return None
    return lo + (1 << 64), hi + (1 << 64)


def _range_values(lo: int, hi: int) -> np.ndarray:
    """The labels lo .. hi (exact: uint64 past 2**63, int64 up to its last value)."""
    if hi >= 1 << 63:
        return np.arange(hi - lo + 1, dtype=np.uint64) + np.uint64(lo)
    return np.int64(lo) + np.arange(hi - lo + 1, dtype=np.int64)


def _kernel_call(kind: str, t: Any, p: Any, w: Any, thr: Any, offset: int, cap: int,
                 ignore: Any, confusion: bool, device: str = "cpu",
                 groups: GroupCodes | None = None) -> tuple[Any, np.ndarray]:
    ign, use_ign = (0, False) if ignore is None else (ignore, True)
    if groups is not None:  # counted on the CPU (the caller copies GPU inputs to the host)
        ngroups = groups.values.size
        if ngroups * cap > GROUP_CELLS_MAX:
            raise TooManyCells(ngroups, cap)
        out = run(cpu.count_grouped, (t, p, w, groups.codes), groups.offset, ngroups, thr,
                  offset, cap, ign, use_ign)
        return out[:3], out[3]
    if device == "cuda":
        from ._kernels import cuda as gpu

        if confusion:
            cm, wcm, diagnostics = gpu.confusion(t, p, w, offset, cap)
            return (cm, wcm), diagnostics
        if cap == 2 and p.ndim == 1:
            out = gpu.count_binary(t, p, w, thr, offset, ign, use_ign)
        else:
            out = gpu.count_classes(t, p, w, offset, cap, ign, use_ign)
        return out[:3], out[3]
    if confusion:
        # one private matrix per thread: past a few thousand classes count on one thread
        cost = 1 if cap <= DENSE_SPAN_MAX_CONFUSION else 0
        cm, wcm, diagnostics = run(cpu.confusion, (t, p, w), offset, cap, ign, use_ign, cost=cost)
        return (cm, wcm), diagnostics
    if cap == 2 and p.ndim == 1:
        if w is None and ignore is None and offset == 0 and _plain_01(t, p, thr):
            sums, bad = run(cpu.sum_binary, (t, p), _threshold_for(thr, p.dtype), diagnostics=False)
            if not bad:  # else count_binary below finds and reports the bad values
                return (cpu.binary_counts(sums), np.zeros((3, 0)), 0.0), cpu.new_diagnostics()
        out = run(cpu.count_binary, (t, p, w), thr, offset, ign, use_ign)
    else:
        out = run(cpu.count_classes, (t, p, w), offset, cap, ign, use_ign)
    return out[:3], out[3]


def _plain_01(t: np.ndarray, p: np.ndarray, thr: Any) -> bool:
    """Can ``cpu.sum_binary`` count these? Integer truth that fits int64 (bool arrives as
    uint8), and such integer labels or float scores."""
    def small_int(x: np.ndarray) -> bool:
        return x.dtype.kind == "i" or x.dtype.kind == "u" and x.dtype.itemsize < 8

    return small_int(t) and (small_int(p) if thr is None else p.dtype.kind == "f")


def _threshold_for(thr: Any, dtype: np.dtype) -> Any:
    """``thr`` in the scores' own precision, rounded up: for float32 scores v,
    ``v >= t32`` is then exactly ``float64(v) >= thr``, and compares without widening."""
    if thr is None or dtype == np.float64:
        return thr
    with np.errstate(over="ignore"):  # beyond float32's range: +-inf compares the same
        t32 = dtype.type(thr)
    return np.nextafter(t32, dtype.type(np.inf)) if float(t32) < float(thr) else t32


def _encode(t: np.ndarray, p: np.ndarray,
            w: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels as codes 0..K-1 into the sorted label set (strings, sparse integers)."""
    both = np.concatenate([t, p])
    if both.dtype.kind == "f":
        # a float label is an integer that int64 holds, as in scikit-learn's type_of_target
        with np.errstate(invalid="ignore"):
            bad = ~((both == np.floor(both)) & (both >= -2.0**63) & (both < 2.0**63))
        if bad.any():
            side = "y_true" if bad[: t.shape[0]].any() else "y_pred"
            problem = (f"{side} contains {int(bad.sum())} value(s) that are not class labels "
                       "(NaN, inf, non-integral floats or floats beyond int64)")
            raise bad_values(problem, "labels", t, p, w)
    classes, codes = np.unique(both, return_inverse=True)
    codes = codes.astype(np.int32 if classes.size < 2**31 else np.int64)
    return classes, codes[: t.shape[0]], codes[t.shape[0]:]


class RangeMemo:
    """The dense range that counted the last chunk of a stream (``StatScores.update``), with
    room, for the next chunk of the same dtypes: its counting pass then skips the guess from
    the first rows. Unweighted integer labels only, whose counts and errors do not depend on
    the range (a label outside it makes the pass widen the range and count again, as after
    a guess)."""

    __slots__ = ("last",)

    def __init__(self) -> None:
        # (key, lo, hi), set in one assignment: a stream updated from two threads reads a
        # whole entry; key is (t.dtype, p.dtype, ignore), the inputs the range was made for
        self.last: tuple | None = None

    def recall(self, key: tuple) -> tuple[int, int] | None:
        last = self.last
        return None if last is None or last[0] != key else last[1:]

    def remember(self, key: tuple, lo: int, hi: int) -> None:
        # a wide range costs every later chunk its buffers: those are guessed afresh
        self.last = (key, lo, hi) if hi - lo < MEMO_SPAN_MAX else None


def count_labels(inp: Inputs, ignore: Any = None, hint: Any = None,
                 confusion: bool = False, groups: GroupCodes | None = None,
                 memo: RangeMemo | None = None) -> tuple[np.ndarray, Any]:
    """One pass over 1-D truth: returns (label value of each counted index, kernel result).

    The kernel result is ((counts, wcounts, wsum)) or, with confusion=True, (cm, wcm); index
    k of the result stands for label ``values[k]`` (with ``groups``, index ``g * K + k``
    for group code g, and wsum per group). ``memo``: the range of a stream's last chunk.
    """
    ignore = check_ignore_index(inp.kind, ignore)
    if inp.classes is not None:  # codes of string labels (``DictionaryLabels``)
        if ignore is None:
            return _count_codes(inp.classes, inp.t, inp.p, inp.w, confusion, inp.device,
                                groups)
        inp = inp._replace(t=inp.classes[inp.t], p=inp.classes[inp.p], classes=None)
    t, p, w, kind = inp.t, inp.p, inp.w, inp.kind
    key, known = (t.dtype, p.dtype, ignore), None
    # weighted: the kernels' float sums may group rows by the range's width, so a range
    # other than the guess could change a weighted count in its last bit
    if not (kind == "labels" and t.dtype.kind in "iu" and not inp.bools and w is None
            and groups is None and not confusion and inp.device == "cpu"):
        memo = None
    lo: int | None
    hi: int | None
    if kind == "argmax":
        lo, hi = 0, p.shape[1] - 1
    elif kind == "scores":
        lo, hi = 0, 1
    elif t.dtype.kind in "USO":  # strings; Python ints past int64 (``exact_int_dtype``)
        lo = hi = None
    elif inp.bools:  # False and True: a byte other than 0 / 1 is out of range (see below)
        lo, hi = 0, 1
    else:
        if memo is not None:
            known = memo.recall(key)  # (lo, hi) or None
        lo, hi = known or _guess_range(t, p, ignore, hint, tight=groups is not None)
    span_max = DENSE_SPAN_MAX_CONFUSION if confusion else DENSE_SPAN_MAX
    if groups is not None:  # a dense range per group: encode labels sooner
        span_max = min(span_max, GROUP_CELLS_MAX // groups.values.size)
    for _attempt in range(3):  # the guess, then the exact range (a third is never needed)
        if lo is None or hi is None or (kind == "labels" and hi - lo + 1 > span_max):
            break
        # rare: labels straddle ignore_index (or the GPU's matrix, which cannot skip rows)
        if ignore is not None and (lo <= ignore <= hi or confusion and inp.device == "cuda"):
            t, p, w, groups = _drop_ignored(_host(t), _host(p), _host(w), groups, ignore)
            ignore = None
        res, diagnostics = _kernel_call(kind, t, p, w, inp.thr, _wrap64(lo), hi - lo + 1, ignore,
                                 confusion, inp.device, groups)
        check_diagnostics(diagnostics, kind, inputs=(t, p, w, ignore))
        if not diagnostics[cpu.OUT]:
            if memo is not None and known != (lo, hi):
                memo.remember(key, *_with_room(lo, hi, t, p))
            return _range_values(lo, hi), res
        if inp.bools:  # bytes other than 0 / 1 viewed as bool: True, as NumPy reads them
            inp = _validation.canonical_bools(inp._replace(t=_host(t), p=_host(p)))
            t, p = inp.t, inp.p
            continue
        if kind == "argmax":
            raise ValueError(
                f"y_true contains labels outside [0, {p.shape[1]}), the columns of y_pred "
                f"(found {diagnostics[cpu.OUT_MIN]} .. {diagnostics[cpu.OUT_MAX]})"
            )
        if kind == "scores":
            raise ValueError("with threshold=, y_true must hold only 0 and 1 labels")
        out = _out_range(diagnostics, t, p)
        if out is None:
            break
        present = _present_range(res[0] if not confusion else _cm_as_counts(res[0]), lo,
                                 hi - lo + 1)
        lo = min(out[0], present[0] if present else out[0])
        hi = max(out[1], present[1] if present else out[1])
    if memo is not None:  # labels too wide to count densely: the next chunk guesses afresh
        memo.last = None
    return _count_encoded(inp, ignore, confusion, groups)


def _cm_as_counts(cm: np.ndarray) -> np.ndarray:
    return np.stack([np.diag(cm), cm.sum(axis=1), cm.sum(axis=0)])


def _drop_ignored(t: np.ndarray, p: np.ndarray, w: Any, groups: GroupCodes | None,
                  ignore: Any) -> tuple[np.ndarray, np.ndarray, Any, GroupCodes | None]:
    keep = t != ignore
    w = None if w is None else w[keep]
    return t[keep], p[keep], w, None if groups is None else groups._replace(
        codes=groups.codes[keep])


def _count_encoded(inp: Inputs, ignore: Any, confusion: bool,
                   groups: GroupCodes | None = None) -> tuple[np.ndarray, Any]:
    t, p, w = _host(inp.t), _host(inp.p), _host(inp.w)
    if ignore is not None:
        t, p, w, groups = _drop_ignored(t, p, w, groups, ignore)
    classes, tc, pc = _encode(t, p, w)
    return _count_codes(classes, tc, pc, w, confusion, inp.device, groups)


def _count_codes(classes: np.ndarray, tc: np.ndarray, pc: np.ndarray, w: Any, confusion: bool,
                 device: str, groups: GroupCodes | None) -> tuple[np.ndarray, Any]:
    """``count_labels`` of labels encoded as codes 0..K-1 into ``classes`` (``_encode``)."""
    res, diagnostics = _kernel_call("labels", tc, pc, w, None, 0, max(classes.size, 1), None,
                                    confusion, device, groups)
    if _diagnostics_problem(diagnostics, "labels", None) is not None:
        # the values, for scikit-learn's words: read again on this error path only
        check_diagnostics(diagnostics, "labels", inputs=(classes[tc], classes[pc], w, None))
    return classes, res


def count(inp: Inputs, ignore: Any = None, hint: Any = None,
          memo: RangeMemo | None = None) -> Counts:
    """Per-label counts of all present labels (``memo``: see ``RangeMemo``)."""
    counts = count_groups(inp, ignore, hint, memo=memo)[0]
    assert counts is not None  # without groups the one part is always there
    return counts


def count_groups(inp: Inputs, ignore: Any = None, hint: Any = None,
                 groups: GroupCodes | None = None,
                 memo: RangeMemo | None = None) -> list[Counts | None]:
    """``count`` of each group (one pass for them all), in the order of ``groups.values``;
    None for a group without a counted row. Without groups: a list of one ``Counts``."""
    check_ignore_index(inp.kind, ignore)
    if inp.kind == "multilabel":
        return _count_multilabel(inp, groups)
    values, (counts, wcounts, wsum) = count_labels(inp, ignore, hint, groups=groups, memo=memo)
    if groups is None:
        return [_present_counts(inp, values, counts, wcounts, wsum,
                                some_weight(inp.w, wcounts, wsum))]
    k, ngroups = values.size, groups.values.size
    some = some_weight_by_group(inp.w, groups, None if inp.w is None else np.column_stack(
        [wcounts.reshape(3, ngroups, k).transpose(1, 0, 2).reshape(ngroups, 3 * k), wsum]))
    return [_present_counts(inp, values, counts[:, g * k:(g + 1) * k],
                            wcounts[:, g * k:(g + 1) * k], wsum[g] if inp.w is not None else 0,
                            bool(some[g]))
            if counts[cpu.TRUE, g * k:(g + 1) * k].any() else None
            for g in range(ngroups)]


def _present_counts(inp: Inputs, values: np.ndarray, counts: np.ndarray, wcounts: np.ndarray,
                    wsum: Any, some: bool | None) -> Counts:
    present = np.flatnonzero(counts[cpu.TRUE] + counts[cpu.PRED])
    labels = values[present]
    if labels.dtype != inp.label_dtype:
        labels = labels.astype(inp.label_dtype)
    total: int | float
    seen = None
    if inp.w is None:
        c, total = counts[:, present], int(counts[cpu.TRUE].sum())
    else:
        c, total = wcounts[:, present], float(wsum)
        seen = counts[cpu.TRUE, present] > 0
    return Counts(labels, c[cpu.TP], c[cpu.TRUE], c[cpu.PRED], total, False, true_seen=seen,
                  some_weight=some)


def _count_multilabel(inp: Inputs, groups: GroupCodes | None = None) -> list[Counts | None]:
    t, p, w = inp.t, inp.p, inp.w
    n, n_labels = t.shape
    ngroups = 1 if groups is None else groups.values.size
    if ngroups * n_labels > GROUP_CELLS_MAX:
        raise TooManyCells(ngroups, n_labels)
    acc = np.zeros((3, ngroups * n_labels), np.int64 if w is None else np.float64)
    seen = np.zeros(ngroups * n_labels, bool)  # columns with a 1 in y_true or y_pred
    wtotal = 0.0
    # sparse matrices are densified a block of rows at a time: memory stays bounded
    step = _SPARSE_CHUNK_ROWS if (hasattr(t, "tocsr") or hasattr(p, "tocsr")) else max(n, 1)
    for lo in range(0, n, step):
        tb, pb = (_dense_block(x, lo, lo + step) for x in (t, p))
        wb = None if w is None else w[lo:lo + step]
        gb = None if groups is None else groups.codes[lo:lo + step]
        counts, wcounts, wsum, diagnostics = _count_multilabel_block(inp, tb, pb, wb, gb, groups)
        bools = [x.dtype.kind == "b" for x in (t, p)]
        if (diagnostics[cpu.BADVAL_TRUE] and bools[0]) or (diagnostics[cpu.BADVAL_PRED] and bools[1]):
            # bytes other than 0 / 1 viewed as bool: True, as NumPy reads them
            tb, pb = ((_host(x) != 0).view(np.uint8) if b else x for x, b in zip((tb, pb), bools))
            counts, wcounts, wsum, diagnostics = _count_multilabel_block(inp, tb, pb, wb, gb, groups)
        check_diagnostics(diagnostics, "multilabel", inputs=(tb, pb, wb, None),
                          scores=inp.thr is not None)
        seen |= (counts[1] + counts[2]) > 0
        acc += counts if w is None else wcounts
        wtotal += wsum
    # every row counts (there is no ignore_index here): the rows, or weights, of each group
    if groups is None:
        rows = np.array([n])
        totals = rows if w is None else np.array([wtotal])
    else:
        codes = groups.row_groups()
        rows = np.bincount(codes, minlength=ngroups)
        totals = rows if w is None else np.bincount(codes, _host(w), minlength=ngroups)
    some = (np.array([some_weight(w, acc, wtotal)]) if groups is None else
            some_weight_by_group(w, groups, None if w is None else np.column_stack(
                [acc.reshape(3, ngroups, n_labels).transpose(1, 0, 2).reshape(ngroups, -1),
                 totals])))
    out: list[Counts | None] = []
    for g in range(ngroups):
        if groups is not None and not rows[g]:
            out.append(None)
            continue
        cols = slice(g * n_labels, (g + 1) * n_labels)
        empty = ~seen[cols] if w is not None and inp.int_weights else None
        a = acc[:, cols]
        total = int(totals[g]) if w is None else float(totals[g])
        out.append(Counts(np.arange(n_labels), a[cpu.TP], a[cpu.TRUE], a[cpu.PRED], total, True,
                          empty, some_weight=bool(some[g])))
    return out


def _count_multilabel_block(inp: Inputs, tb: Any, pb: Any, wb: Any, gb: Any,
                            groups: GroupCodes | None) -> tuple:
    """(counts, wcounts, wsum, diagnostics) of one dense block of multilabel rows."""
    n_labels = tb.shape[1]
    if groups is not None:
        return run(cpu.count_multilabel, (tb, pb, wb, gb), inp.thr, groups.offset,
                   groups.values.size, cost=n_labels)
    if inp.device == "cuda":
        from ._kernels import cuda as gpu

        return gpu.count_multilabel(tb, pb, wb, inp.thr)
    return _count_multilabel_cpu(tb, pb, wb, inp.thr)


#: the word kernel's lane block: lcm(L, 64) bytes, used up to this size
_WORD_BLOCK_MAX_BYTES = 1 << 16


def _count_multilabel_cpu(t: np.ndarray, p: np.ndarray, w: Any, thr: Any) -> tuple:
    """One dense block of multilabel rows: 0/1 bytes take the eight-bytes-at-a-time kernel
    (whole lane blocks of rows), the rest and anything else the per-value kernel."""
    n, n_labels = t.shape
    block = n_labels * 64 // math.gcd(n_labels, 64)  # bytes: a whole number of rows and words
    body = n // (block // n_labels) * (block // n_labels)  # rows in whole lane blocks
    if (w is None and thr is None and t.dtype.itemsize == p.dtype.itemsize == 1 and body
            and block <= _WORD_BLOCK_MAX_BYTES
            and t.flags.c_contiguous and p.flags.c_contiguous
            and t.ctypes.data % 8 == 0 and p.ctypes.data % 8 == 0):
        tw = t[:body].reshape(-1).view(np.uint64)
        pw = p[:body].reshape(-1).view(np.uint64)
        counts, bad = run(cpu.count_indicator_words, (tw, pw), n_labels, block // 8,
                          align=block // 8, diagnostics=False)
        if not bad:  # else a value is not 0/1: the per-value kernel finds and reports it
            rest = run(cpu.count_multilabel, (t[body:], p[body:], None, None), None, 0, 1,
                       cost=n_labels)
            return (counts + rest[0], *rest[1:])
    return run(cpu.count_multilabel, (t, p, w, None), thr, 0, 1, cost=n_labels)


def _dense_block(x: Any, lo: int, hi: int) -> np.ndarray:
    block = x[lo:hi]
    if hasattr(block, "toarray"):
        block = block.toarray()
    return block.view(np.uint8) if block.dtype.kind == "b" else block
