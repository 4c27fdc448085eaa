"""``ScoreHistogram``: ROC AUC, average precision, log loss, Brier and calibration in one
bounded-memory, mergeable pass over scores, with a bound on how far each answer can be.

Rows go into bins cut from the float's own bits (see ``_kernels.histogram``): the same
relative resolution in every binade of a score's magnitude ``a``, or of ``1 - a`` for ``a``
in (1/2, 1), so probabilities near 0 and near 1, logits and other floats are all served by
one binning, and a higher bin only ever holds higher scores.

What is exact, and what is bounded:

* Row counts, weights, log-loss and Brier sums, the calibration table: sums of per-row
  terms, exact up to float64 rounding (the log-loss terms of a block of rows are summed as
  the logarithm of their product without weights, see ``_kernels.histogram``; log loss
  and Brier equal scikit-learn's to about 1e-9 relative, or 1e-6 for float32 scores,
  which scikit-learn rounds in float32).
* ROC AUC and average precision depend on the order of the rows *within* a bin, which the
  histogram does not keep. Each bin's share is bounded by its best and worst orderings;
  the answer is the midpoint and ``roc_auc_error_bound()`` / ``average_precision_error_bound()``
  the half-width: the exact value always lies within ``answer +- bound``. A bin that holds
  one distinct value (smallest score == largest score) is an exact tie and adds nothing to
  the bound.

Derivations (P, N: positive and negative weight in all; per bin b, p_b and n_b; T_b, F_b
the positive and negative weight of all higher bins, which is exact):

* AUC = [sum over (positive, negative) pairs of 1 if the positive scores higher, 1/2 on a
  tie] / (P N). Pairs in different bins are ordered by their bins; the p_b n_b pairs of a
  bin add anything in [0, p_b n_b] (exactly p_b n_b / 2 for a tie bin). So
  AUC = (sum_b p_b N_below_b + sum_b p_b n_b / 2) / (P N) +- sum_{b not a tie} p_b n_b / (2 P N).
* AP (scikit-learn's step sum) = sum over positives of w_i * precision at the step that
  holds i, / P. In bin b, a positive whose step ends with positive weight a and negative
  weight c of the bin above it (a <= p_b, 0 <= c <= n_b; ties put several rows in one
  step) has precision g = (T_b + a) / (T_b + a + F_b + c). g grows with a and falls with c:
  so g <= (T_b + p_b) / (T_b + p_b + F_b) for every positive of the bin (upper share
  p_b (T_b + p_b) / (T_b + p_b + F_b), reached when they tie above the bin's negatives),
  and g >= (T_b + a_i) / (T_b + a_i + F_b + n_b) with a_i at least the weight of the
  positives up to and including i, an increasing function of a_i, whose weighted sum is at
  least its integral: lower share p_b - C ln(1 + p_b / (T_b + C)), C = F_b + n_b. A tie bin
  has the single share p_b (T_b + p_b) / (T_b + p_b + F_b + n_b).

The bound grows when many positives and negatives share bins with distinct values: scores
piled on a few distinct but close values (rounded or quantised scores that differ past the
bin's 2**-m relative width, float16 outputs, magnitudes below 2**-24, within 2**-24 of 1
but not 1, or of 2**18 and above, which get one bin per binade). Identical values (exact
ties) cost nothing.
"""

from __future__ import annotations

import json
import math
import threading
import warnings
from typing import Any

import numpy as np

from . import _chunked, _json, _reduce, _validation
from ._kernels import histogram as kern
from ._sklearn_checks import check_dense
from ._threads import NUM_THREADS, PARALLEL_MIN_ROWS, map_ranges, row_ranges
from .counts import ByGroup
from .curves import _infer_truth, _truth
from .exceptions import UndefinedMetricWarning

__all__ = ["ScoreHistogram"]

#: the default ``bins``: 2**12 bins a binade (the smallest power of two that keeps the
#: AUC and AP bounds of realistic probabilities under 1e-5 and 1e-4, see the guide)
DEFAULT_BINS = 1 << 18
_MIN_BINS, _MAX_BINS = 1 << 6, 1 << 24
#: the most calibration bins (each takes 3 float64 values, allocated up front)
_MAX_CAL_BINS = 1 << 24
#: the fixed part of the float64 rounding allowance in a bound (see ``rounding_allowance``)
ROUNDING = 2.0**-40
_U = 2.0**-52  # float64's relative rounding step
_LN2 = float(np.log(2.0))

#: the binning of new histograms (``_kernels.histogram.bin_index``), which is also the
#: version of their saved documents; documents of version 1 hold the first binning
#: (``bin_index_v1``), read back into histograms that score and add but count no more rows
#: (one without rows has no bins to keep: it counts, and adds, in either binning)
BINNING = 2

_EMPTY = ("Found empty input array (e.g., `y_true` or `y_pred`) while a minimum "
          "of 1 sample is required.")


def _mantissa_bits(bins: Any) -> int:
    """The mantissa bits of a binade's fine bins: ``bins // 64`` bins a binade."""
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)):
        raise TypeError(f"bins must be an int (a power of two), got {type(bins).__name__}")
    bins = int(bins)
    if bins < _MIN_BINS or bins > _MAX_BINS or bins & (bins - 1):
        raise ValueError(f"bins must be a power of two from {_MIN_BINS} to {_MAX_BINS}, "
                         f"got {bins}")
    return bins.bit_length() - 1 - 6


def _new_table(m: int, binning: int = BINNING) -> np.ndarray:
    """An empty table: zeros (calloc'd: pages are touched, and cost, only where rows land)."""
    return np.zeros((kern.n_bins(m, binning), kern.NREC), np.uint64)


class _ScratchPool:
    """Zeroed scratch tables, kept between updates: a large update counts each range of
    rows into a table of its own, and a fresh table would cost its pages' first touch
    (a page fault each) on every call. Callers zero the records they used before giving
    a table back. At most ``NUM_THREADS`` tables of a shape and type are kept, and those
    of the ``_KINDS`` shapes and types used last (memory: ``bins`` times 16 bytes a hot
    table, 32 a weighted or float64 one), and none larger than ``_KEEP_MAX_BYTES``: a
    histogram of many bins pays the first touch again rather than hold its tables' memory
    for the life of the process."""

    _KINDS = 2
    _KEEP_MAX_BYTES = 1 << 26  # the default's tables (a few MB) are kept

    def __init__(self) -> None:
        self._free: dict[tuple, list[np.ndarray]] = {}
        self._lock = threading.Lock()

    def take(self, shape: tuple[int, int], dtype: Any) -> np.ndarray:
        """A zeroed table: a kept one, or a new one."""
        key = (shape, np.dtype(dtype).str)
        with self._lock:
            free = self._free.pop(key, [])
            table = free.pop() if free else None
            self._free[key] = free  # now the most recently used kind
        return np.zeros(shape, dtype) if table is None else table

    def give(self, table: np.ndarray) -> None:
        """Keep a zeroed table for a later ``take``."""
        if table.nbytes > self._KEEP_MAX_BYTES:
            return
        key = (table.shape, table.dtype.str)
        with self._lock:
            free = self._free.pop(key, [])
            if len(free) < NUM_THREADS:
                free.append(table)
            self._free[key] = free
            while len(self._free) > self._KINDS:
                del self._free[next(iter(self._free))]  # the least recently used kind

    def clear(self) -> None:
        """Let every kept table go."""
        with self._lock:
            self._free.clear()


_scratch = _ScratchPool()
#: rows counted into a hot table (uint32 counts) before it is added into the histogram's
_HOT_ROWS = kern.HOT_ROWS


def _counts_of(tab: np.ndarray, weighted: bool) -> np.ndarray:
    """What the kernels add rows into: the table itself, or the table seen as float64 (its
    NEG and POS columns then hold weight sums)."""
    return tab.view(np.float64) if weighted else tab


def _ukey_values(u: np.ndarray) -> np.ndarray:
    """float64 values of unsigned order keys (``_kernels.histogram.ukey``)."""
    key = (u ^ kern._TOP).view(np.int64)
    return (key ^ ((key >> 63) & np.int64(0x7FFFFFFFFFFFFFFF))).view(np.float64)


def _union(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """The bins lo..hi reached by either of two spans (an empty span has lo >= hi)."""
    if a[0] >= a[1]:
        return b
    if b[0] >= b[1]:
        return a
    return min(a[0], b[0]), max(a[1], b[1])


def warn_no_samples(no_negatives: bool, no_positives: bool, stacklevel: int) -> None:
    """scikit-learn's ``roc_curve`` warnings for a class of zero (weighted) count."""
    if no_negatives:
        warnings.warn("No negative samples in y_true, false positive value should be "
                      "meaningless", UndefinedMetricWarning, stacklevel=stacklevel + 1)
    if no_positives:
        warnings.warn("No positive samples in y_true, true positive value should be "
                      "meaningless", UndefinedMetricWarning, stacklevel=stacklevel + 1)


def rounding_allowance(n_rows: int, weighted: bool) -> float:
    """The float64 rounding allowed for in an AUC or AP bound, added to the binning range.

    Both the exact value (scikit-learn's cumulative sums, rates, trapezoid or step sum) and
    the histogram's own sums are rounded. Recursive summation of ``k`` non-negative terms
    errs by at most ``(k - 1) u`` times their sum (``u = 2**-52``): so weighted cumulative
    counts, and the rates and precisions formed from them, are each within about ``2 n u``
    of exact (n rows), and the area or step sum of ``n`` such terms within about
    ``8 n u``; doubled for the histogram's side: ``16 n u``. Unweighted counts are exact
    integers, leaving only the divisions and the final sum: ``4 n u``. ``2**-40`` on top
    covers the few fixed operations of small inputs.
    """
    return ROUNDING + (16 if weighted else 4) * n_rows * _U


def _cal_step(n_cal: int) -> float:
    """The step of scikit-learn's uniform calibration bins, ``np.linspace(0, 1, n + 1)``:
    its edges are ``k * step``."""
    return 1.0 / n_cal


class ScoreHistogram:
    """Scores of a binary classifier from one bounded-memory pass, chunk by chunk.

    ROC AUC and average precision (each with a bound that always holds), log loss, Brier,
    the reliability curve and F1 at any threshold.

    Parameters
    ----------
    bins : int, default 2**18
        A power of two from 64 to 2**24: ``bins // 64`` equal parts (relative width
        ``64 / bins``: 2**-12 by default) of every binade ``[2**e, 2**(e+1))`` of a score's
        magnitude ``a`` with ``-24 <= e < -1`` or ``0 <= e < 18``, and of ``1 - a`` for
        ``a`` in (1/2, 1) (so that probabilities near 1 are resolved as finely as those
        near 0), on both sides of zero; one bin per binade outside that window, one for
        zero and one for 1/2. The table holds about ``2 * bins`` records of 32 bytes, with
        or without weights, whatever the rows: 17 MB by default.
    calibration_bins : int, default 10
        Uniform bins over [0, 1] of the reliability curve (scikit-learn's
        ``calibration_curve(strategy="uniform")`` bins) and the expected calibration error.

    Attributes
    ----------
    bins : int
        The ``bins`` given: ``bins // 64`` fine bins a binade.
    calibration_bins : int
        The number of uniform calibration bins.

    Notes
    -----
    ``y_true`` holds 0/1 (or bool, or -1/1) labels, ``y_score`` any finite floats
    (probabilities, logits, margins). Histograms with the same ``bins`` and
    ``calibration_bins`` add: ``a + b`` is the histogram of both inputs. Log loss, Brier
    and calibration need scores in [0, 1].

    Examples
    --------
    >>> import fastf1
    >>> h = fastf1.ScoreHistogram()
    >>> h = h.update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).update([1, 0], [0.9, 0.2])
    >>> h.roc_auc_score(), h.roc_auc_error_bound() < 1e-9
    (0.8888888888888888, True)
    >>> round(h.log_loss(), 6)
    0.369609
    """

    def __init__(self, bins: int = DEFAULT_BINS, *, calibration_bins: int = 10) -> None:
        self._m = _mantissa_bits(bins)
        self.bins = int(bins)
        if (isinstance(calibration_bins, bool)
                or not isinstance(calibration_bins, (int, np.integer))
                or not 1 <= calibration_bins <= _MAX_CAL_BINS):
            raise ValueError(f"calibration_bins must be an int from 1 to {_MAX_CAL_BINS}, "
                             f"got {calibration_bins!r}")
        self.calibration_bins = int(calibration_bins)
        self._binning = BINNING
        self._tab: np.ndarray | None = None  # allocated on the first counted rows
        self._weighted = False  # the table holds weight sums, once weights are seen
        self._span = (0, 0)  # the bins lo..hi that rows have reached (lo >= hi: none)
        self._rows = np.zeros(2, np.int64)  # rows, positive rows
        self._sums = np.zeros(kern.NSUMS)
        self._cal = np.zeros((self.calibration_bins, 3))
        self._eps: float | None = None  # log loss clipping (the scores' dtype epsilon)
        self._mixed_eps = False
        # a row of non-zero weight was counted (unweighted rows weigh 1): scores of rows
        # whose every weight is zero are refused, as scikit-learn refuses them. None: not
        # recorded (saved before it was), never refused
        self._some_weight: bool | None = False

    # ---- building ---------------------------------------------------------------------

    @property
    def _center(self) -> int:
        return kern.magnitude_bins(self._m, self._binning) - 1

    @property
    def weighted(self) -> bool:
        """Rows were counted with sample weights (the bins keep weight sums)."""
        return self._weighted

    def update(self, y_true: Any, y_score: Any, sample_weight: Any = None) -> ScoreHistogram:
        """Count one more chunk of rows into this histogram (in place); returns ``self``.

        An empty chunk counts nothing. Rows are cut into ranges counted by several threads
        into private tables, added at the end. Dask arrays or columns are counted chunk by
        chunk on their workers (see ``fastf1.dask.score_histogram``).
        """
        check_dense("ScoreHistogram.update", sample_weight=sample_weight)
        if any(_validation.is_dask(a) for a in (y_true, y_score, sample_weight)):
            other = lazy_score_histogram(
                y_true, y_score, sample_weight=sample_weight, bins=self.bins,
                calibration_bins=self.calibration_bins).compute()
            self.__dict__.update((self + other).__dict__)
            return self
        return self._update(y_true, y_score, sample_weight, full=True)

    def _update(self, y_true: Any, y_score: Any, sample_weight: Any,
                full: bool) -> ScoreHistogram:
        """``update`` of in-memory arrays. Without ``full``, the bins and row counts alone
        where the hot path can skip the rest (``_kernels.histogram.fill32``), for a
        histogram that only ever scores its bins (ROC AUC, average precision, the ROC
        curve): its log-loss, Brier and calibration sums are then NaN, never a number
        that would look right."""
        t, s, w = self._format(y_true, y_score, sample_weight)
        if t.shape[0] == 0:
            return self
        if self._binning != BINNING and self._tab is None:
            self._binning = BINNING  # no rows yet: no bins of the first binning to keep
        if self._binning != BINNING:
            raise ValueError("this histogram was read from a version-1 document, whose bins "
                             "this fastf1 no longer counts into: it scores and adds to "
                             "histograms read alike, but counts no more rows")
        t, inferable = _truth(t, None)
        started = w is not None and not self._weighted
        if started:
            self._start_weights()
        eps = score_eps(y_score, s)
        try:
            try:
                self._count(t, s, w, eps, full)
            except _BadTruth:
                if not inferable:
                    raise
                self._count(_infer_truth(t), s, w, eps, full)
        except BaseException:
            if started:  # a refused chunk leaves the histogram as it was: counts again
                self._stop_weights()
            raise
        if self._eps is None:
            self._eps = eps
        elif self._eps != eps:
            self._mixed_eps = True
        if self._some_weight is False:
            # exact: weights are non-negative (the kernels refuse others), so their sum is
            # positive as soon as one of them is
            self._some_weight = bool(self._sums[kern.S_WEIGHT] > 0)
        if not full:
            self._sums[[kern.S_LOG, kern.S_LOG2, kern.S_BRIER]] = np.nan
            self._cal[:] = np.nan
        return self

    def _format(self, y_true: Any, y_score: Any,
                sample_weight: Any) -> tuple[np.ndarray, np.ndarray, Any]:
        t = _validation.squeeze_column(_validation.as_array(y_true, "y_true"))
        s = _validation.squeeze_column(_validation.as_array(y_score, "y_score"))
        if _validation._is_sparse(t) or _validation._is_sparse(s):
            raise TypeError("ScoreHistogram needs dense y_true and y_score")
        if t.ndim != 1 or s.ndim != 1:
            raise ValueError(f"y_true and y_score must be 1-D (binary); got shapes {t.shape} "
                             f"and {s.shape}; for (n, K) scores use fastf1.roc_auc_score")
        _validation.check_length("y_score", s.shape[0], t.shape[0])
        if s.dtype.kind not in "biuf":
            raise TypeError(f"y_score must hold numbers, got dtype {s.dtype}")
        if s.dtype not in (np.float32, np.float64):
            s = s.astype(np.float64)
        w = _validation.as_weights(sample_weight, t.shape[0], allow_all_zero=True,
                                  second="y_score")
        # contiguous: fewer compiled signatures (a matrix's column is a strided view)
        return np.ascontiguousarray(t), np.ascontiguousarray(s), w

    def _start_weights(self) -> None:
        """From now on, weight sums per bin: the rows so far weigh 1 each (their counts,
        exact in float64 below 2**53 rows a bin, become weights in place)."""
        if self._tab is not None:
            lo, hi = self._span
            counts = self._tab[lo:hi, :2]
            counts[...] = counts.astype(np.float64).view(np.uint64)
        self._weighted = True

    def _stop_weights(self) -> None:
        """Undo ``_start_weights`` when no weighted row was counted: the weight sums are
        whole counts below 2**53, exact again as uint64."""
        if self._tab is not None:
            lo, hi = self._span
            counts = self._tab[lo:hi, :2]
            counts[...] = counts.view(np.float64).astype(np.uint64)
        self._weighted = False

    def _count(self, t: np.ndarray, s: np.ndarray, w: Any, eps: float, full: bool) -> None:
        """Count rows into the tables; on a bad row raise, leaving the histogram as it was.

        A small chunk (fewer than ``PARALLEL_MIN_ROWS`` rows) is checked first and counted
        straight into this histogram's table (no pass over a whole table, which may be far
        larger than a batch). A large one is cut into ranges counted at the same time, each
        into a private scratch table taken from a pool (``_scratch``), then added into this
        histogram's table over the bins the rows reached, which are zeroed again for the
        scratch table's next use. Unweighted float32 scores count into 16-byte hot records
        (``_kernels.histogram.fill32``); an input of more than ``_HOT_ROWS`` rows is checked
        first and counted ``_HOT_ROWS`` rows at a time, so that no uint32 count overflows.
        ``full``: as in ``_update``.
        """
        # read-only views: one compiled signature for writable and read-only inputs
        t, s, w = (_validation.read_only(a) for a in (t, s, w))
        n = t.shape[0]
        if n < PARALLEL_MIN_ROWS:
            _raise_diag(kern.check_rows(t, s, w))
            if self._tab is None:
                self._tab = _new_table(self._m, self._binning)
            parts = [(self._tab, np.zeros(kern.NSUMS),
                      kern.new_calibration(self.calibration_bins), kern.new_info())]
            self._fill_ranges(t, s, w, eps, [(0, n)], parts, hot=False, full=True)
            self._add_parts(parts)
            return
        hot = w is None and not self._weighted and s.dtype == np.float32
        if n > _HOT_ROWS:
            _raise_diag(kern.check_rows(t, s, w))  # no later piece may refuse the call
        for lo in range(0, n, _HOT_ROWS):
            hi = min(n, lo + _HOT_ROWS)
            self._count_piece(t[lo:hi], s[lo:hi], None if w is None else w[lo:hi], eps, hot,
                              full)

    def _count_piece(self, t: np.ndarray, s: np.ndarray, w: Any, eps: float,
                     hot: bool, full: bool) -> None:
        """Count at most ``_HOT_ROWS`` rows on all threads through scratch tables."""
        ranges = row_ranges(t.shape[0])
        shape = (kern.n_bins(self._m, self._binning), kern.NREC)
        dtype = np.uint32 if hot else np.uint64
        tables = [_scratch.take(shape, dtype) for _ in ranges]
        parts = [(tab, np.zeros(kern.NSUMS), kern.new_calibration(self.calibration_bins),
                  kern.new_info()) for tab in tables]
        added = False
        try:
            self._fill_ranges(t, s, w, eps, ranges, parts, hot, full)
            _raise_diag(np.sum([info[:kern.NDIAG] for *_, info in parts], axis=0))
            self._add_tables(parts, hot)  # zeroes them
            added = True
            self._add_parts(parts)
        finally:
            if not added:
                for tab, _, _, info in parts:
                    tab[info[kern.K_LO]:info[kern.K_HI] + 1] = 0  # every record reached
            for tab in tables:
                _scratch.give(tab)

    def _add_tables(self, parts: list, hot: bool) -> None:
        """Add the scratch tables of counted parts into this histogram's table, zeroing
        them: each thread adds one slice of the bins reached, from every table."""
        if self._tab is None:
            self._tab = _new_table(self._m, self._binning)
        tab, weighted = self._tab, self._weighted
        spans = [(int(info[kern.K_LO]), int(info[kern.K_HI]) + 1) for *_, info in parts]
        lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
        if hi <= lo:
            return

        def add(a: int, b: int) -> None:
            for (other, *_), (s0, s1) in zip(parts, spans):
                x0, x1 = max(a, s0), min(b, s1)
                if x1 <= x0:
                    continue
                if hot:
                    kern.flush(other, tab, x0, x1)
                else:
                    kern.merge_into(tab, _counts_of(tab, weighted), other,
                                    _counts_of(other, weighted), x0, x1)
                    other[x0:x1] = 0

        map_ranges(add, [(lo + a, lo + b) for a, b in row_ranges(hi - lo)])

    def _fill_ranges(self, t: np.ndarray, s: np.ndarray, w: Any, eps: float,
                     ranges: list[tuple[int, int]], parts: list, hot: bool,
                     full: bool) -> None:
        step = _cal_step(self.calibration_bins)
        m, center, weighted = self._m, self._center, self._weighted
        edges = kern.cal_edges32(self.calibration_bins) if hot else ()

        def count(i: int, _: int) -> None:
            lo, hi = ranges[i]
            tab, sums, calr, info = parts[i]
            if hot:
                kern.fill32(t[lo:hi], s[lo:hi], tab, sums, calr, info, step, m, center, eps,
                            edges, full)
            else:
                kern.fill(t[lo:hi], s[lo:hi], None if w is None else w[lo:hi], tab,
                          _counts_of(tab, weighted), sums, calr, info, step, m, center, eps)

        map_ranges(count, [(i, 0) for i in range(len(ranges))])

    def _add_parts(self, parts: list) -> None:
        """Add counted parts (no bad rows; their tables this histogram's own, or already
        added) into this histogram: spans, sums, rows."""
        for _, sums, calr, info in parts:
            span = (int(info[kern.K_LO]), int(info[kern.K_HI]) + 1)
            self._span = _union(self._span, span)
            self._rows += info[[kern.ROWS, kern.ROWS_POS]]
            self._sums += sums
            self._cal += kern.fold_calibration(calr)
        # the log-loss sum kept whole: histograms then add, and read back from JSON, alike
        self._sums[:] = self._canonical_sums()

    def __add__(self, other: Any) -> ScoreHistogram:
        if not isinstance(other, ScoreHistogram):
            return NotImplemented
        # a histogram without rows holds no bins: it adds to one of either binning
        mine = other._binning if self._tab is None else self._binning
        theirs = mine if other._tab is None else other._binning
        if (self.bins, self.calibration_bins, mine) != \
                (other.bins, other.calibration_bins, theirs):
            raise ValueError(
                f"cannot add histograms of different binning: bins={self.bins}, "
                f"calibration_bins={self.calibration_bins} and bins={other.bins}, "
                f"calibration_bins={other.calibration_bins}"
                + ("" if mine == theirs else
                   " (one read from a version-1 document, with the first binning)"))
        out = self._copy()
        out._binning = mine
        a_some, b_some = self._some_weight, other._some_weight
        out._some_weight = (True if a_some or b_some
                            else None if a_some is None or b_some is None else False)
        if other._tab is None:
            return out
        if out._tab is None:
            out._tab = _new_table(out._m, out._binning)
        if other._weighted and not out._weighted:
            out._start_weights()
        if out._weighted and not other._weighted:
            other = other._copy()
            other._start_weights()
        kern.merge_into(out._tab, _counts_of(out._tab, out._weighted), other._tab,
                        _counts_of(other._tab, out._weighted), *other._span)
        out._span = _union(out._span, other._span)
        out._rows += other._rows
        out._sums += other._sums
        out._cal += other._cal
        if other._eps is not None:
            out._mixed_eps |= other._mixed_eps or (out._eps is not None and out._eps != other._eps)
            out._eps = other._eps if out._eps is None else out._eps
        return out

    def _copy(self) -> ScoreHistogram:
        # every array copied: the state holds ``_sums`` and ``_cal`` by reference, and the
        # copy is added into in place
        out = ScoreHistogram.__new__(ScoreHistogram)
        out.__setstate__({k: v.copy() if isinstance(v, np.ndarray) else v
                          for k, v in self.__getstate__().items()})
        return out

    def __getstate__(self) -> dict:
        """Only the bins that hold rows: a pickle is as small as the scores' spread."""
        state = {k: v for k, v in self.__dict__.items() if k != "_tab"}
        if self._tab is not None:
            used = self._used()
            state["_used"] = used
            state["_records"] = self._tab[used]
        return state

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        used = state.pop("_used", None)
        records = state.pop("_records", None)
        state.setdefault("_binning", 1)  # pickled before the binning had a version
        state.setdefault("_some_weight", None)  # pickled before it was recorded
        self.__dict__.update(state)
        self._tab = None
        if used is not None:
            self._tab = _new_table(self._m, self._binning)
            self._tab[used] = records

    def __repr__(self) -> str:
        if self._tab is None:
            return f"ScoreHistogram(bins={self.bins}, empty)"
        return (f"ScoreHistogram(bins={self.bins}, rows={self.n_rows}, "
                f"bins used={self._used().size})")

    def _canonical_sums(self) -> np.ndarray:
        """The sums with the log-loss sum whole in ``S_LOG`` (its split between a count of
        ln 2 and the rest depends on how the rows were cut into blocks)."""
        sums = self._sums.copy()
        sums[kern.S_LOG] += _LN2 * sums[kern.S_LOG2]
        sums[kern.S_LOG2] = 0.0
        return sums

    def __eq__(self, other: Any) -> bool:
        """Equal bins, records and sums (sums compared as floats, the log-loss sum whole)."""
        if not isinstance(other, ScoreHistogram):
            return NotImplemented
        a, b = self.__getstate__(), other.__getstate__()
        a["_sums"], b["_sums"] = self._canonical_sums(), other._canonical_sums()
        for state in (a, b):  # whether zero weights are refused is no part of the counts
            state.pop("_some_weight", None)
        if a.keys() != b.keys():
            return False
        return all(np.array_equal(a[k], b[k]) if isinstance(a[k], np.ndarray) or a[k] is None
                   else a[k] == b[k] for k in a)

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def by_group(cls, y_true: Any, y_score: Any, groups: Any, *, sample_weight: Any = None,
                 bins: int = DEFAULT_BINS, calibration_bins: int = 10) -> ByGroup:
        """One histogram per group (model version, country, day), from one call.

        The rows are put in group order by one counting pass over the groups (no sort,
        whatever the number of groups), then each group's rows are counted by the
        histogram kernel on all threads, one table at a time (a table stays in the caches
        while its rows are counted). Returns a :class:`fastf1.ByGroup`
        ``{group: ScoreHistogram}`` in sorted group order; ``.map`` gives a score per
        group, and two ByGroup of histograms add group by group. Memory: the row order
        (two int64 a row), a copy of one group's rows at a time, and a table a group
        (32 bytes a record, about ``2 * bins`` records), touched only where rows land.

        Parameters
        ----------
        y_true, y_score, sample_weight
            As :meth:`update`.
        groups : array-like of shape (n_samples,)
            Each row's group: integers, strings, floats or dates (no missing values).
        bins, calibration_bins : int
            As :class:`ScoreHistogram`.

        Returns
        -------
        ByGroup
            ``{group: ScoreHistogram}`` for each group with at least one row. A group whose
            weights are all zero is counted; its scores refuse, as any histogram's do.

        Examples
        --------
        >>> import fastf1
        >>> hs = fastf1.ScoreHistogram.by_group([0, 1, 0, 1], [0.2, 0.9, 0.6, 0.4],
        ...                                     ["a", "a", "b", "b"], bins=1024)
        >>> hs.map(lambda h: h.roc_auc_score())
        ByGroup({'a': 1.0, 'b': 0.0})
        """
        _mantissa_bits(bins)  # bad arguments fail before the rows are read
        cls(bins, calibration_bins=calibration_bins)

        def group(t: Any, s: Any, w: Any) -> ScoreHistogram:
            return cls(bins, calibration_bins=calibration_bins).update(t, s, w)

        return each_group(group, groups, y_true, y_score, sample_weight, empty=ByGroup)

    # ---- the bins ---------------------------------------------------------------------

    @property
    def n_rows(self) -> int:
        """Rows counted."""
        return int(self._rows[0])

    def _used(self) -> np.ndarray:
        """The bins that hold rows, ascending."""
        assert self._tab is not None  # callers check for rows first
        return kern.used_bins(self._tab, self._tab, *self._span)[0]

    def _need_rows(self) -> None:
        if self._tab is None:
            raise ValueError("ScoreHistogram is empty: call update() with some rows first")

    def _need_weight(self) -> None:
        """Scores of rows whose every weight is zero: scikit-learn's error, raised where
        scikit-learn checks the weights (the bins themselves stay readable)."""
        self._need_rows()
        if self._some_weight is False:
            raise ValueError(_validation.ALL_ZERO_WEIGHTS)

    def _binned(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(negatives, positives, tie, lowest, highest score) of the bins holding rows,
        ascending: float64 counts, or weights."""
        self._need_rows()
        assert self._tab is not None  # _need_rows raised otherwise
        _, counts, keys = kern.used_bins(self._tab, _counts_of(self._tab, self._weighted),
                                         *self._span)
        return counts[0], counts[1], keys[0] == keys[1], _ukey_values(keys[0]), \
            _ukey_values(keys[1])

    # ---- ROC AUC ----------------------------------------------------------------------

    def _rounding(self) -> float:
        return rounding_allowance(self.n_rows, self.weighted)

    def _auc_parts(self) -> tuple[float, float] | None:
        self._need_rows()
        assert self._tab is not None  # _need_rows raised otherwise
        total_p, total_n, across, within, untied = kern.auc_sums(
            self._tab, _counts_of(self._tab, self._weighted), *self._span, self._weighted)
        if total_p == 0 or total_n == 0:
            return None
        pairs = total_p * total_n
        return float((across + 0.5 * within) / pairs), float(0.5 * untied / pairs)

    def roc_auc_score(self) -> float:
        """Area under the ROC curve: the midpoint of the range the exact value lies in.

        ``abs(exact - roc_auc_score()) <= roc_auc_error_bound()`` always. NaN with an
        ``UndefinedMetricWarning`` when only one class is present (by rows, whatever
        their weight), as scikit-learn; else a ``ValueError`` if every weight is zero.
        """
        self._need_weight_of_classes()
        parts = self._auc_parts()
        if parts is None:
            has_neg, has_pos = self._classes()
            if has_neg and has_pos:
                # both classes by rows (as scikit-learn tells them), one of weight zero:
                # roc_curve's warning, as scikit-learn's roc_auc_score gives it
                neg, pos = self._binned()[:2]
                warn_no_samples(neg.sum() <= 0, pos.sum() <= 0, stacklevel=2)
            else:
                warnings.warn("Only one class is present in y_true. ROC AUC score is not "
                              "defined in that case.", UndefinedMetricWarning, stacklevel=2)
            return float("nan")
        return parts[0]

    def roc_auc_error_bound(self) -> float:
        """Half-width of the range the exact ROC AUC lies in (0 when every bin with both
        classes holds a single value), plus a float64 rounding allowance of
        ``2**-40 + 16 n 2**-52`` for n weighted rows (``4 n 2**-52`` unweighted)."""
        self._need_weight_of_classes()
        parts = self._auc_parts()
        return float("nan") if parts is None else parts[1] + self._rounding()

    def roc_curve(self, *, drop_intermediate: bool = True
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(fpr, tpr, thresholds) as ``sklearn.metrics.roc_curve`` returns them, at the
        thresholds the histogram knows exactly: each used bin's smallest score. Every point
        is a point of the exact ROC curve."""
        self._need_weight()
        neg, pos, _, lo, _ = self._binned()
        held = (neg + pos) > 0  # bins of zero-weight rows only are no threshold (as sklearn)
        neg, pos, lo = neg[held], pos[held], lo[held]
        tps, fps = np.cumsum(pos[::-1]), np.cumsum(neg[::-1])
        thresholds = lo[::-1]
        if drop_intermediate and tps.shape[0] > 2:
            keep = np.flatnonzero(np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)),
                                        True])
            tps, fps, thresholds = tps[keep], fps[keep], thresholds[keep]
        tps, fps = np.r_[0, tps], np.r_[0, fps]
        thresholds = np.r_[np.inf, thresholds]
        with np.errstate(invalid="ignore", divide="ignore"):
            warn_no_samples(fps[-1] <= 0, tps[-1] <= 0, stacklevel=2)
            return fps / fps[-1], tps / tps[-1], thresholds

    # ---- average precision ------------------------------------------------------------

    def _ap_parts(self) -> tuple[float, float] | None:
        self._need_rows()
        assert self._tab is not None  # _need_rows raised otherwise
        total_p, upper, lower = kern.ap_sums(self._tab, _counts_of(self._tab, self._weighted),
                                             *self._span, self._weighted)
        if total_p == 0:
            return None
        return float(0.5 * (upper + lower)), float(0.5 * (upper - lower))

    def average_precision_score(self) -> float:
        """Average precision (scikit-learn's step sum): the midpoint of the range the exact
        value lies in; ``abs(exact - ap) <= average_precision_error_bound()`` always.
        0.0 with a warning when there are no positives, as scikit-learn."""
        self._need_weight()
        parts = self._ap_parts()
        if parts is None:
            warnings.warn("No positive class found in y_true, recall is set to one for all "
                          "thresholds.", UserWarning, stacklevel=2)
            return 0.0
        return parts[0]

    def average_precision_error_bound(self) -> float:
        """Half-width of the range the exact average precision lies in, plus a float
        rounding allowance (as in :meth:`roc_auc_error_bound`; see the module notes for
        the derivation of the range)."""
        self._need_weight()
        parts = self._ap_parts()
        return 0.0 if parts is None else parts[1] + self._rounding()

    # ---- sums: log loss, Brier --------------------------------------------------------

    def _check_probabilities(self) -> None:
        self._need_rows()
        _, _, _, lo, hi = self._binned()
        if self._sums[kern.S_ABOVE1] or hi[-1] > 1:
            raise ValueError(f"y_prob contains values greater than 1: {hi[-1]}")
        if self._sums[kern.S_BELOW0] or lo[0] < 0:
            raise ValueError(f"y_prob contains values lower than 0: {lo[0]}")

    def _need_weight_of_classes(self) -> None:
        """ROC AUC's order: one class present (by rows) is a warning and NaN, before the
        weights are checked."""
        self._need_rows()
        if all(self._classes()):
            self._need_weight()

    def _classes(self) -> tuple[bool, bool]:
        """(negatives present, positives present), by rows."""
        return bool(self._rows[0] > self._rows[1]), bool(self._rows[1] > 0)

    def log_loss(self, *, normalize: bool = True, labels: Any = None) -> float:
        """Log loss (cross-entropy) of the probabilities of the positive class, as
        ``sklearn.metrics.log_loss`` computes it: scores clipped to
        ``[eps, 1 - eps]`` with ``eps`` the machine epsilon of their dtype."""
        self._check_probabilities()
        self._need_weight()
        has_neg, has_pos = self._classes()
        if not (has_neg and has_pos):
            if labels is None:
                present = 1 if has_pos else 0
                raise ValueError(
                    f"y_true contains only one label ({present}). Please provide the list of "
                    "all expected class labels explicitly through the labels argument.")
            if len(np.unique(np.asarray(labels))) != 2:
                raise ValueError("The number of classes in labels is different from that in "
                                 f"y_prob. Classes found in labels: {np.unique(labels)}")
        if self._mixed_eps:
            raise ValueError("log loss clips scores at their dtype's epsilon: this histogram "
                             "counted chunks of float32 and float64 scores; count them alike")
        loss = -(self._sums[kern.S_LOG] + _LN2 * self._sums[kern.S_LOG2])
        return float(loss / self._sums[kern.S_WEIGHT] if normalize else loss)

    def brier_score_loss(self) -> float:
        """Mean squared difference of the 0/1 truth and the probability of the positive
        class (weighted mean with sample weights), as ``sklearn.metrics.brier_score_loss``."""
        self._need_weight()  # before the scores' range, as scikit-learn checks them
        self._check_probabilities()
        return float(self._sums[kern.S_BRIER] / self._sums[kern.S_WEIGHT])

    # ---- calibration ------------------------------------------------------------------

    def calibration_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(prob_true, prob_pred) over ``calibration_bins`` uniform bins, as
        ``sklearn.calibration.calibration_curve(y_true, y_prob, n_bins=calibration_bins)``:
        bins without rows are left out. Weighted rows count by their weight."""
        self._need_rows()
        if self._sums[kern.S_BELOW0] or self._sums[kern.S_ABOVE1]:
            raise ValueError("y_prob has values outside [0, 1].")
        self._need_weight()
        total = self._cal[:, kern.C_WEIGHT]
        nonzero = total != 0
        return (self._cal[nonzero, kern.C_POS] / total[nonzero],
                self._cal[nonzero, kern.C_SCORE] / total[nonzero])

    def expected_calibration_error(self) -> float:
        """Sum over the calibration bins of (bin weight / all weight) *
        ``|fraction of positives - mean score|``."""
        prob_true, prob_pred = self.calibration_curve()
        weight = self._cal[self._cal[:, kern.C_WEIGHT] != 0, kern.C_WEIGHT]
        return float(np.sum(weight * np.abs(prob_true - prob_pred)) / weight.sum())

    # ---- thresholds -------------------------------------------------------------------

    def confusion_at(self, threshold: float) -> tuple[int, ...] | tuple[float, ...]:
        """(tp, fp, fn, tn) with a row predicted positive when ``score >= threshold``.

        Exact unless the threshold falls inside a bin holding scores on both sides of it
        (smallest < threshold <= largest): then that bin's rows count as below the
        threshold, with a warning naming the nearest exact thresholds.
        """
        self._need_weight()
        neg, pos, _, lo, hi = self._binned()
        thr = float(threshold)
        above = lo >= thr
        straddle = (lo < thr) & (hi >= thr)
        if straddle.any():
            k = int(np.flatnonzero(straddle)[0])
            nxt = lo[k + 1] if k + 1 < lo.size else np.inf
            warnings.warn(
                f"threshold {thr!r} falls inside a bin holding {pos[k] + neg[k]:g} rows with "
                f"scores from {lo[k]!r} to {hi[k]!r}; they count as below it. The nearest "
                f"exact thresholds are {lo[k]!r} and {nxt!r}", UserWarning, stacklevel=3)
        as_int = not self._weighted
        tp, fp = pos[above].sum(), neg[above].sum()
        fn, tn = pos.sum() - tp, neg.sum() - fp
        out = (tp, fp, fn, tn)
        return tuple(int(x) for x in out) if as_int else tuple(float(x) for x in out)

    def _prf_at(self, threshold: float, beta: float, zero_division: Any) -> tuple:
        tp, fp, fn, _ = self.confusion_at(threshold)
        p, r, f, _ = _reduce.precision_recall_fscore(
            np.array([tp]), np.array([tp + fp]), np.array([tp + fn]), beta=beta,
            average=None, zero_division=zero_division)
        return float(p[0]), float(r[0]), float(f[0])

    def precision_score(self, threshold: float, *, zero_division: Any = "warn") -> float:
        """Precision with ``score >= threshold`` predicted positive (see ``confusion_at``)."""
        return self._prf_at(threshold, 1.0, zero_division)[0]

    def recall_score(self, threshold: float, *, zero_division: Any = "warn") -> float:
        """Recall with ``score >= threshold`` predicted positive (see ``confusion_at``)."""
        return self._prf_at(threshold, 1.0, zero_division)[1]

    def f1_score(self, threshold: float, *, zero_division: Any = "warn") -> float:
        """F1 with ``score >= threshold`` predicted positive (see ``confusion_at``)."""
        return self._prf_at(threshold, 1.0, zero_division)[2]

    def best_f1_threshold(self, beta: float = 1.0) -> tuple[float, float]:
        """(threshold, F-beta) of the best F-beta over the exact thresholds (each used
        bin's smallest score); the first (highest) threshold among equals."""
        _validation.check_beta(beta)
        self._need_weight()
        neg, pos, _, lo, _ = self._binned()
        tp, pred = np.cumsum(pos[::-1]), np.cumsum((pos + neg)[::-1])
        true = pos.sum()
        b2 = beta * beta
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(tp > 0, (1 + b2) * tp / (b2 * true + pred), 0.0)
        k = int(np.argmax(f))
        return float(lo[::-1][k]), float(f[k])

    # ---- the histogram as data --------------------------------------------------------

    def _to_data(self) -> dict[str, Any]:
        """The ``fastf1.counts`` document: for each bin that holds rows, in ascending order,
        its lowest and highest score and its negative and positive rows (their weight sums,
        once weights are seen); the rows counted, the sums and the calibration table by
        name. Nothing of how the bins are stored in memory."""
        counts, keys = np.empty((2, 0)), np.empty((2, 0), np.uint64)
        if self._tab is not None:
            _, counts, keys = kern.used_bins(self._tab, _counts_of(self._tab, self._weighted),
                                             *self._span)
        if not self._weighted:
            counts = counts.astype(np.int64)  # exact: a bin's count is below 2**53
        bins_used = {"lowest": _ukey_values(keys[0]), "highest": _ukey_values(keys[1]),
                     "negative": counts[0], "positive": counts[1]}
        sums = self._canonical_sums()
        # written when recorded: a document without it (an older one) never refuses
        some = {} if self._some_weight is None else {"some_weight": self._some_weight}
        return {**some, "format": _json.FORMAT, "version": self._binning, "kind": "ScoreHistogram",
                "bins": self.bins, "calibration_bins": self.calibration_bins,
                "weighted": self.weighted, "score_eps": self._eps,
                "mixed_eps": self._mixed_eps, "rows": self.n_rows,
                "positive_rows": int(self._rows[1]),
                "bins_used": {k: _json.encode_array(v) for k, v in bins_used.items()},
                "sums": {k: _json.encode_scalar(float(sums[i])) for k, i in _SUM_SLOTS.items()},
                "calibration": {k: _json.encode_array(self._cal[:, i].copy())
                                for k, i in _CALIBRATION_COLUMNS.items()}}

    @classmethod
    def _from_data(cls, data: Any) -> ScoreHistogram:
        _json.check_header(data, "ScoreHistogram")
        binning = min(data["version"], BINNING)  # later versions kept this binning
        try:
            out = cls(data.get("bins"), calibration_bins=data.get("calibration_bins"))
        except (TypeError, ValueError) as exc:
            raise _json.NotCounts(f"bins: {exc}") from None
        out._binning = binning
        weighted, mixed, eps = data.get("weighted"), data.get("mixed_eps"), data.get("score_eps")
        if not isinstance(weighted, bool) or not isinstance(mixed, bool):
            raise _json.NotCounts("weighted and mixed_eps must be true or false")
        if eps is not None and (not isinstance(eps, float) or not 0 < eps < 1):
            raise _json.NotCounts("score_eps: expected null or the scores' float epsilon")
        out._eps, out._mixed_eps = eps, mixed
        bins_used = data.get("bins_used")
        names = ("lowest", "highest", "negative", "positive")
        if not isinstance(bins_used, dict) or set(bins_used) != set(names):
            raise _json.NotCounts(f"bins_used: expected the keys {', '.join(names)}")
        kind = "f" if weighted else "i"
        cols = {k: _json.decode_array(bins_used[k], f"bins_used: {k}",
                                      "f" if k in names[:2] else kind) for k in names}
        n = cols["lowest"].shape[0]
        if any(c.ndim != 1 or c.shape[0] != n or c.dtype.itemsize != 8 for c in cols.values()):
            raise _json.NotCounts("bins_used: expected 1-D arrays of one length (float64 "
                                  "scores, int64 rows or float64 weights)")
        lo, hi = cols["lowest"] + 0.0, cols["highest"] + 0.0  # -0.0 is keyed as 0.0
        classes = np.stack([cols["negative"], cols["positive"]])
        rows, positive_rows = data.get("rows"), data.get("positive_rows")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                   for v in (rows, positive_rows)) or positive_rows > rows \
                or rows >= 2**63:
            raise _json.NotCounts("rows and positive_rows must be counts, positive_rows at "
                                  "most rows")
        if not (np.isfinite(lo).all() and np.isfinite(hi).all() and (lo <= hi).all()
                and np.isfinite(classes).all() and (classes >= 0).all()):
            raise _json.NotCounts("bins_used: expected finite lowest <= highest scores and "
                                  "non-negative rows or weights")
        if weighted:
            # a bin of weight in a class holds a row of it; a bin of no weight, a row
            held = classes > 0
            if held[0].sum() > rows - positive_rows or held[1].sum() > positive_rows \
                    or np.maximum(held.sum(axis=0), 1).sum() > rows:
                raise _json.NotCounts("bins_used: more bins with rows of a class than rows "
                                      "and positive_rows allow")
        elif (classes.sum(axis=0) == 0).any() or classes.sum() != rows \
                or classes[1].sum() != positive_rows:
            raise _json.NotCounts("bins_used: every bin listed holds rows, and they add up "
                                  "to rows and positive_rows")
        at, lo_keys = kern.bins_and_keys(lo, out._m, out._center, binning)
        hi_at, hi_keys = kern.bins_and_keys(hi, out._m, out._center, binning)
        if (at != hi_at).any() or (n > 1 and not (at[1:] > at[:-1]).all()):
            raise _json.NotCounts(f"bins_used: not the bins of a {out.bins}-bin histogram "
                                  "(each bin once, ascending, its scores inside it)")
        sums, cal = data.get("sums"), data.get("calibration")
        if not isinstance(sums, dict) or set(sums) != set(_SUM_SLOTS) \
                or not isinstance(cal, dict) or set(cal) != set(_CALIBRATION_COLUMNS):
            raise _json.NotCounts("sums and calibration: expected the keys "
                                  f"{', '.join(_SUM_SLOTS)} and "
                                  f"{', '.join(_CALIBRATION_COLUMNS)}")
        for k, i in _SUM_SLOTS.items():
            v = sums[k]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise _json.NotCounts(f"sums: {k} must be a finite number")
            out._sums[i] = v  # the log-loss sum whole, nothing in S_LOG2
        for k, i in _CALIBRATION_COLUMNS.items():
            column = _json.decode_array(cal[k], f"calibration: {k}", "if")
            if column.shape != (out.calibration_bins,) or not np.isfinite(column).all():
                raise _json.NotCounts(f"calibration: {k} must hold {out.calibration_bins} "
                                      "finite numbers")
            out._cal[:, i] = column
        _check_sums(out._sums, out._cal, rows, positive_rows, weighted)
        if n:
            out._tab = _new_table(out._m, out._binning)
            out._tab[at, :2] = (np.ascontiguousarray(classes.T, np.float64).view(np.uint64)
                                if weighted else classes.T.astype(np.uint64))
            out._tab[at, kern.LO] = ~(lo_keys.view(np.uint64) ^ kern._TOP)
            out._tab[at, kern.HI] = hi_keys.view(np.uint64) ^ kern._TOP
            out._span = (int(at[0]), int(at[-1]) + 1)
        out._weighted = weighted
        out._rows[:] = rows, positive_rows
        out._some_weight = _decode_some_weight(data.get("some_weight"), out._sums)
        return out

    def to_json(self) -> str:
        """The histogram as a JSON document (the versioned ``fastf1.counts`` format).

        Each bin that holds rows is written as its lowest and highest score (exact: float64
        values read back to the same double) and its rows of each class (their weight
        sums, once weights are seen), with the rows counted, the log-loss and Brier sums
        and the calibration table by name: nothing of how the bins are laid out in memory.
        No pickle: the document is data, safe to read from anyone with :meth:`from_json`,
        and histograms read back score and add as the originals do.

        Examples
        --------
        >>> import fastf1
        >>> h = fastf1.ScoreHistogram(1024).update([0, 1, 1], [0.2, 0.7, 0.9])
        >>> back = fastf1.ScoreHistogram.from_json(h.to_json())
        >>> back == h, back.roc_auc_score()
        (True, 1.0)
        """
        return json.dumps(self._to_data())

    @classmethod
    def from_json(cls, text: str | bytes) -> ScoreHistogram:
        """A histogram from :meth:`to_json`'s document.

        Raises
        ------
        ValueError
            The text is not JSON, not a fastf1 score histogram, of a newer format version,
            or inconsistent (a bin's scores outside it, negative counts).
        """
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise _json.NotCounts(f"not fastf1 counts (not JSON: {exc})") from None
        return cls._from_data(data)


#: the saved names of the histogram's sums and calibration columns
_SUM_SLOTS = {"weight": kern.S_WEIGHT, "log_loss": kern.S_LOG, "brier": kern.S_BRIER,
              "positive_weight": kern.S_POS, "below_0": kern.S_BELOW0,
              "above_1": kern.S_ABOVE1}
_CALIBRATION_COLUMNS = {"weight": kern.C_WEIGHT, "positive_weight": kern.C_POS,
                        "score_sum": kern.C_SCORE}


def _check_sums(sums: np.ndarray, cal: np.ndarray, rows: int, positive_rows: int,
                weighted: bool) -> None:
    """Refuse sums no rows could give. Weights are finite and non-negative (the kernels
    refuse others), so every sum of weights is too, and a sum of a subset of the rows'
    weights (positives, rows outside [0, 1]) is at most the sum of all, as the kernels
    add both in the same order; a hair of slack covers any other order."""
    slack = 1 + 2.0**-40
    weight = sums[kern.S_WEIGHT]
    if weight < 0:
        raise _json.NotCounts(f"sums: weight must not be negative, got {weight!r}")
    if not weighted and rows < 2**53 and (weight != rows
                                          or sums[kern.S_POS] != positive_rows):
        raise _json.NotCounts("sums: weight and positive_weight of unweighted rows must "
                              "equal rows and positive_rows")
    for name, i in (("positive_weight", kern.S_POS), ("below_0", kern.S_BELOW0),
                    ("above_1", kern.S_ABOVE1)):
        if not 0 <= sums[i] <= weight * slack:
            raise _json.NotCounts(f"sums: {name} must be from 0 to weight, got {sums[i]!r}")
    if sums[kern.S_BRIER] < 0:
        raise _json.NotCounts("sums: brier must not be negative")
    # the log-loss sum is of the weighted logs of probabilities in (0, 1): not positive,
    # but for the rounding of its split into a count of ln 2 and the rest
    if sums[kern.S_LOG] > 2.0**-20 * max(weight, 1.0):
        raise _json.NotCounts("sums: log_loss (a sum of logs of probabilities) must not be "
                              "positive")
    cw, cp, cs = cal[:, kern.C_WEIGHT], cal[:, kern.C_POS], cal[:, kern.C_SCORE]
    if (cw < 0).any() or (cp < 0).any() or (cs < 0).any():
        raise _json.NotCounts("calibration: weights and score sums must not be negative")
    if (cp > cw * slack).any() or (cs > cw * slack).any():
        raise _json.NotCounts("calibration: a bin's positive_weight or score_sum exceeds "
                              "its weight")
    # the bins' weights are the same rows' added in another order: allow for its rounding
    if cw.sum() > weight * (1 + rounding_allowance(rows, True)) + 2.0**-40:
        raise _json.NotCounts("calibration: the bins weigh more than all rows")


def _decode_some_weight(value: Any, sums: np.ndarray) -> bool | None:
    """``some_weight`` of a saved histogram: true, false or absent (None: not recorded,
    never refused). Weights are non-negative, so it says whether the weight sum is
    positive."""
    if value is not None and not isinstance(value, bool):
        raise _json.NotCounts("some_weight: must be true or false")
    if value is not None and value != bool(sums[kern.S_WEIGHT] > 0):
        raise _json.NotCounts(f"some_weight: {str(value).lower()}, but the rows weigh "
                              f"{sums[kern.S_WEIGHT]!r}")
    return value


def _raise_diag(diag: np.ndarray) -> None:
    if diag[kern.BAD_TRUE]:
        raise _BadTruth(f"y_true contains {diag[kern.BAD_TRUE]} value(s) other than 0 and 1")
    if diag[kern.BAD_SCORE]:
        raise ValueError(f"y_score contains {diag[kern.BAD_SCORE]} NaN or inf value(s)")
    if diag[kern.BAD_WEIGHT]:
        raise ValueError(f"sample_weight contains {diag[kern.BAD_WEIGHT]} NaN, inf or "
                         "negative value(s)")


def score_eps(y_score: Any, widened: np.ndarray) -> float:
    """The machine epsilon of the scores' own dtype, which log loss clips at (as
    scikit-learn does): float16 scores are widened for the kernels (exactly), but clip at
    float16's epsilon."""
    if getattr(y_score, "dtype", None) == np.float16:
        return float(np.finfo(np.float16).eps)
    return float(np.finfo(widened.dtype).eps)


def each_group(func: Any, groups: Any, y_true: Any, y_score: Any, sample_weight: Any,
               empty: Any = None) -> ByGroup:
    """``func(y_true, y_score, sample_weight)`` of each group's rows, as a
    :class:`fastf1.ByGroup` in sorted group order (``groups=`` of the ranking and
    probability functions, and ``ScoreHistogram.by_group``).

    One counting pass over the group codes puts the rows in group order, keeping their
    order within a group (no sort); each group's rows are then taken out in turn. Empty
    input gives ``func``'s error on it, or ``empty()`` when given.
    """
    if _validation.is_dask(y_true, y_score, sample_weight, groups):
        raise ValueError("groups= with the ranking and probability functions takes in-memory "
                         "arrays, not Dask collections")
    t = _validation.as_array(y_true, "y_true")
    s = _validation.as_array(y_score, "y_score")
    # float16 scores were widened (exactly): each group's gets its own dtype back, so the
    # function clips and checks them as it does the ungrouped input
    half = getattr(y_score, "dtype", None) == np.float16
    _validation.check_length("y_score", s.shape[0], t.shape[0])
    if t.shape[0] == 0:
        return empty() if empty is not None else func(t, s, sample_weight)
    w = None if sample_weight is None else _validation.as_array(sample_weight, "sample_weight")
    if w is not None and w.ndim:
        _validation.check_length("sample_weight", w.shape[0], t.shape[0])
    codes = _validation.encode_groups(groups, t.shape[0], by_value=False)
    index = codes.row_groups()
    sizes = np.bincount(index, minlength=codes.values.size)
    ends = np.cumsum(sizes)
    starts = ends - sizes
    order = kern.group_order(index, starts)
    out = ByGroup()
    for value, lo, hi in zip(codes.values.tolist(), starts.tolist(), ends.tolist()):
        if hi > lo:
            rows = order[lo:hi]
            scores = s[rows].astype(np.float16) if half else s[rows]
            with _validation.scoring_group(value):
                out[value] = func(t[rows], scores, w[rows] if w is not None and w.ndim else w)
    return out


def histogram_of_bins(bins: int, counts: np.ndarray, wsums: np.ndarray, lo: np.ndarray,
                      hi: np.ndarray) -> ScoreHistogram:
    """A weighted histogram of per-bin arrays (the Keras metrics' state): rows and weight
    sums per class (n_bins, 2), smallest and largest score as int64 order keys
    (``_kernels.histogram.order_key``)."""
    h = ScoreHistogram(bins)
    used = np.flatnonzero(counts.sum(axis=1))
    if used.size:
        tab = _new_table(h._m)
        tab[used, :2] = np.ascontiguousarray(wsums[used], np.float64).view(np.uint64)
        tab[used, kern.LO] = ~(lo[used].astype(np.int64).view(np.uint64) ^ kern._TOP)
        tab[used, kern.HI] = hi[used].astype(np.int64).view(np.uint64) ^ kern._TOP
        h._tab, h._weighted = tab, True
        h._span = (int(used[0]), int(used[-1]) + 1)
        h._rows[:] = counts.sum(), counts[:, 1].sum()
        h._some_weight = bool(wsums[used].sum() > 0)  # weights are non-negative
    return h


# ---- Dask: a histogram per partition, added in a tree ----------------------------------


def _histogram_chunk(t: Any, s: Any, w: Any, bins: int, calibration_bins: int) -> ScoreHistogram:
    """The histogram of one chunk (an empty chunk adds nothing)."""
    out = ScoreHistogram(bins, calibration_bins=calibration_bins)
    return out.update(_chunked.as_numpy(t), _chunked.as_numpy(s),
                      None if w is None else _chunked.as_numpy(w))


def lazy_score_histogram(y_true: Any, y_score: Any, *, sample_weight: Any = None,
                         bins: int = DEFAULT_BINS, calibration_bins: int = 10) -> Any:
    """A ``dask.delayed`` ScoreHistogram of Dask inputs (see ``fastf1.dask.score_histogram``)."""
    import dask

    _mantissa_bits(bins)
    t_parts, s_parts, w_parts = _chunked.aligned_chunks(y_true, y_score, sample_weight)
    count = dask.delayed(_histogram_chunk, pure=True)
    parts = [count(t, s, w, bins, calibration_bins)
             for t, s, w in zip(t_parts, s_parts, w_parts)]
    return _chunked.tree_sum(parts, lambda a, b: a + b,
                             lambda: ScoreHistogram(bins, calibration_bins=calibration_bins))


# ---- the bins= mode of the ranking functions: one column's histogram ---------------------


def check_bins(bins: Any) -> None:
    """bins=: None (exact), or a histogram's number of bins."""
    if bins is not None:
        _mantissa_bits(bins)


def _column(t01: np.ndarray, s: np.ndarray, w: Any, bins: int) -> ScoreHistogram:
    """The histogram of one column, for its bins alone (no log-loss, Brier or calibration
    sums: ``ScoreHistogram._update``)."""
    _validation.check_some_weight(w)  # where the exact mode's curve checks it
    return ScoreHistogram(bins)._update(t01, s, w, full=False)


def binned_roc_auc(t01: np.ndarray, s: np.ndarray, w: Any, bins: int) -> float:
    """ROC AUC of one 0/1 column from a histogram (both classes present)."""
    return _column(t01, s, w, bins).roc_auc_score()


def binned_average_precision(t01: np.ndarray, s: np.ndarray, w: Any, bins: int) -> float:
    """Average precision of one 0/1 column from a histogram."""
    return _column(t01, s, w, bins).average_precision_score()


def binned_roc_curve(t01: np.ndarray, s: np.ndarray, w: Any, bins: int,
                     drop_intermediate: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve of one 0/1 column at the histogram's exact thresholds."""
    return _column(t01, s, w, bins).roc_curve(drop_intermediate=drop_intermediate)


class _BadTruth(ValueError):
    """y_true holds values other than 0 and 1 (perhaps -1 / 1, which are inferred)."""
