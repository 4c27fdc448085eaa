"""numba.cuda counting kernels and their launchers (imported only when the GPU path is used).

The same contract as ``cpu.py``: each launcher returns the counts of its CPU twin
((counts, wcounts, wsum, diagnostics), or (cm, wcm, diagnostics)), so everything above the kernels is
shared. Kernels use grid-stride loops; each block counts into shared memory and flushes
once to int64 global memory with atomics (float64 for weights). Classes that do not fit in
shared memory (more than ``SHARED_CLASSES``) are counted with global atomics directly, still
in O(K) memory.

Arrays already on the GPU (anything numba.cuda can view: ``__cuda_array_interface__``,
e.g. CuPy, PyTorch, numba device arrays) are counted in place. Host arrays stream through
pinned staging buffers in chunks on two CUDA streams, so copying chunk i+1 overlaps counting
chunk i; counts are additive, so the chunks' counts simply accumulate.

Everything here also runs under the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``), which is how
CI tests it; ``BLOCK_SIZE`` / ``MAX_BLOCKS`` can be lowered to force many blocks.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import cuda, int64, uint32

from .cpu import (
    BAD_WEIGHT,
    BADVAL_PRED,
    BADVAL_TRUE,
    IGNORED,
    OUT,
    OUT_MAX,
    OUT_MIN,
    new_diagnostics,
)

#: threads per block and a cap on the grid (tests shrink both to force multi-block runs)
BLOCK_SIZE = 256
MAX_BLOCKS = 4096
#: most classes counted in shared memory (3 uint32 counters each: 48 KB at 4096)
SHARED_CLASSES = 4096
#: rows per chunk when host arrays are streamed to the device
STREAM_CHUNK_ROWS = 1 << 24
#: one block counts at most this many rows, so its uint32 shared counters cannot overflow
_ROWS_PER_BLOCK_MAX = 1 << 31
_FLOAT_LABEL_LIMIT = 4.0e18


def available() -> bool:
    return bool(cuda.is_available())


# ---- device helpers ------------------------------------------------------------------------


@cuda.jit(device=True)
def _label_index(v, offset):
    """(v - offset, ok) for integer or float labels; ok is False for NaN / inf / fractions."""
    if v >= -_FLOAT_LABEL_LIMIT and v <= _FLOAT_LABEL_LIMIT and v == math.floor(v):
        return int64(v) - offset, True
    return int64(0), False


@cuda.jit(device=True)
def _label_pred(p, i, offset):
    return _label_index(p[i], offset)


@cuda.jit(device=True)
def _argmax_pred(p, i, offset):
    """First maximum of row i, as np.argmax; ok is False if the row holds NaN or inf."""
    best = p[i, 0]
    k = 0
    ok = not (math.isnan(best) or math.isinf(best))
    for j in range(1, p.shape[1]):
        x = p[i, j]
        if math.isnan(x) or math.isinf(x):
            ok = False
        if x > best:
            best = x
            k = j
    return int64(k), ok


@cuda.jit(device=True)
def _record_bad(t_i, a, ok_a, b, ok_b, offset, cap, ignore, use_ignore, diagnostics):
    if use_ignore and t_i == ignore:
        cuda.atomic.add(diagnostics, IGNORED, 1)
        return
    if not ok_a:
        cuda.atomic.add(diagnostics, BADVAL_TRUE, 1)
    if not ok_b:
        cuda.atomic.add(diagnostics, BADVAL_PRED, 1)
    if ok_a and (a < 0 or a >= cap):
        cuda.atomic.add(diagnostics, OUT, 1)
        cuda.atomic.min(diagnostics, OUT_MIN, a + offset)
        cuda.atomic.max(diagnostics, OUT_MAX, a + offset)
    if ok_b and (b < 0 or b >= cap):
        cuda.atomic.add(diagnostics, OUT, 1)
        cuda.atomic.min(diagnostics, OUT_MIN, b + offset)
        cuda.atomic.max(diagnostics, OUT_MAX, b + offset)


# ---- kernels -------------------------------------------------------------------------------


@cuda.jit(device=True)
def _flush_shared(sh, counts, k, tid):
    """Add a block's shared (3 * k) counters into the global (3, k) counts, once."""
    cuda.syncthreads()
    for j in range(tid, 3 * k, cuda.blockDim.x):
        if sh[j]:
            cuda.atomic.add(counts, (j // k, j % k), int64(sh[j]))


def _make_classes_kernel(predicted):
    """Per-class counts; ``predicted`` reads a label (1-D p) or an argmax (2-D p)."""

    @cuda.jit
    def kernel(t, p, w, weighted, offset, cap, shared, ignore, use_ignore, counts, wcounts, wsum,
               diagnostics):
        sh = cuda.shared.array(0, uint32)  # tp | true | pred, cap each (when shared)
        tid = cuda.threadIdx.x
        if shared:
            for k in range(tid, 3 * cap, cuda.blockDim.x):
                sh[k] = 0
            cuda.syncthreads()
        ws = 0.0
        for i in range(cuda.grid(1), t.shape[0], cuda.gridsize(1)):
            a, ok_a = _label_index(t[i], offset)
            b, ok_b = predicted(p, i, offset)
            if ok_a and ok_b and a >= 0 and a < cap and b >= 0 and b < cap:
                if shared:
                    cuda.atomic.add(sh, cap + a, 1)
                    cuda.atomic.add(sh, 2 * cap + b, 1)
                    if a == b:
                        cuda.atomic.add(sh, a, 1)
                else:
                    cuda.atomic.add(counts, (1, a), 1)
                    cuda.atomic.add(counts, (2, b), 1)
                    if a == b:
                        cuda.atomic.add(counts, (0, a), 1)
                if weighted:
                    wi = w[i]
                    if math.isnan(wi) or math.isinf(wi):
                        cuda.atomic.add(diagnostics, BAD_WEIGHT, 1)
                    ws += wi
                    cuda.atomic.add(wcounts, (1, a), wi)
                    cuda.atomic.add(wcounts, (2, b), wi)
                    if a == b:
                        cuda.atomic.add(wcounts, (0, a), wi)
            else:
                _record_bad(t[i], a, ok_a, b, ok_b, offset, cap, ignore, use_ignore, diagnostics)
        if weighted:
            cuda.atomic.add(wsum, 0, ws)
        if shared:
            _flush_shared(sh, counts, cap, tid)

    return kernel


_classes_labels = _make_classes_kernel(_label_pred)
_classes_argmax = _make_classes_kernel(_argmax_pred)


@cuda.jit
def _binary(t, p, w, weighted, thr, use_thr, offset, ignore, use_ignore, sums, wsums, diagnostics):
    """Two classes: per-thread sums of t, p, t*p (weighted: of the four cells of the 2 x 2
    confusion matrix, as on the CPU), one atomic per thread."""
    st = int64(0)
    sp = int64(0)
    stp = int64(0)
    n_ok = int64(0)
    w00 = 0.0
    w01 = 0.0
    w10 = 0.0
    w11 = 0.0
    for i in range(cuda.grid(1), t.shape[0], cuda.gridsize(1)):
        a, ok_a = _label_index(t[i], offset)
        if use_thr:
            x = p[i]
            b = int64(1) if x >= thr else int64(0)
            ok_b = not (math.isnan(x) or math.isinf(x))
        else:
            b, ok_b = _label_index(p[i], offset)
        if ok_a and ok_b and a >= 0 and a < 2 and b >= 0 and b < 2:
            n_ok += 1
            st += a
            sp += b
            stp += a * b
            if weighted:
                wi = w[i]
                if math.isnan(wi) or math.isinf(wi):
                    cuda.atomic.add(diagnostics, BAD_WEIGHT, 1)
                if a == 1:
                    if b == 1:
                        w11 += wi
                    else:
                        w10 += wi
                elif b == 1:
                    w01 += wi
                else:
                    w00 += wi
        else:
            _record_bad(t[i], a, ok_a, b, ok_b, offset, 2, ignore, use_ignore, diagnostics)
    cuda.atomic.add(sums, 0, n_ok)
    cuda.atomic.add(sums, 1, st)
    cuda.atomic.add(sums, 2, sp)
    cuda.atomic.add(sums, 3, stp)
    if weighted:
        cuda.atomic.add(wsums, 0, w00)
        cuda.atomic.add(wsums, 1, w01)
        cuda.atomic.add(wsums, 2, w10)
        cuda.atomic.add(wsums, 3, w11)


@cuda.jit
def _multilabel(T, P, w, weighted, thr, use_thr, shared, counts, wcounts, wsum, diagnostics):
    """Per-column counts over the (row, label) elements, grid-stride."""
    sh = cuda.shared.array(0, uint32)
    n_labels = T.shape[1]
    tid = cuda.threadIdx.x
    if shared:
        for k in range(tid, 3 * n_labels, cuda.blockDim.x):
            sh[k] = 0
        cuda.syncthreads()
    ws = 0.0
    for e in range(cuda.grid(1), T.shape[0] * n_labels, cuda.gridsize(1)):
        i = e // n_labels
        j = e - i * n_labels
        a, ok_a = _label_index(T[i, j], 0)
        if use_thr:
            x = P[i, j]
            b = int64(1) if x >= thr[j] else int64(0)
            ok_b = not (math.isnan(x) or math.isinf(x))
        else:
            b, ok_b = _label_index(P[i, j], 0)
        if not (ok_a and a >= 0 and a < 2):
            cuda.atomic.add(diagnostics, BADVAL_TRUE, 1)
            continue
        if not (ok_b and b >= 0 and b < 2):
            cuda.atomic.add(diagnostics, BADVAL_PRED, 1)
            continue
        if shared:
            if a:
                cuda.atomic.add(sh, n_labels + j, 1)
            if b:
                cuda.atomic.add(sh, 2 * n_labels + j, 1)
            if a and b:
                cuda.atomic.add(sh, j, 1)
        else:
            if a:
                cuda.atomic.add(counts, (1, j), 1)
            if b:
                cuda.atomic.add(counts, (2, j), 1)
            if a and b:
                cuda.atomic.add(counts, (0, j), 1)
        if weighted:
            wi = w[i]
            if j == 0:
                ws += wi
                if math.isnan(wi) or math.isinf(wi):
                    cuda.atomic.add(diagnostics, BAD_WEIGHT, 1)
            if a:
                cuda.atomic.add(wcounts, (1, j), wi)
            if b:
                cuda.atomic.add(wcounts, (2, j), wi)
            if a and b:
                cuda.atomic.add(wcounts, (0, j), wi)
    if weighted:
        cuda.atomic.add(wsum, 0, ws)
    if shared:
        _flush_shared(sh, counts, n_labels, tid)


def _make_confusion_kernel(predicted):
    @cuda.jit
    def kernel(t, p, w, weighted, offset, cap, cm, wcm, diagnostics):
        for i in range(cuda.grid(1), t.shape[0], cuda.gridsize(1)):
            a, ok_a = _label_index(t[i], offset)
            b, ok_b = predicted(p, i, offset)
            if ok_a and ok_b and a >= 0 and a < cap and b >= 0 and b < cap:
                cuda.atomic.add(cm, (a, b), 1)
                if weighted:
                    cuda.atomic.add(wcm, (a, b), w[i])
            else:
                _record_bad(t[i], a, ok_a, b, ok_b, offset, cap, 0, False, diagnostics)

    return kernel


_confusion_labels = _make_confusion_kernel(_label_pred)
_confusion_argmax = _make_confusion_kernel(_argmax_pred)


@cuda.jit
def _widen_rows(src, dst):
    """dst[i] = src[i]: float16 labels or scores widened to float32 (exact), grid-stride."""
    for i in range(cuda.grid(1), src.shape[0], cuda.gridsize(1)):
        dst[i] = src[i]


@cuda.jit
def _widen_matrix(src, dst):
    """dst[i, j] = src[i, j], float16 to float32, over the flattened (row, column) index."""
    cols = src.shape[1]
    for e in range(cuda.grid(1), src.shape[0] * cols, cuda.gridsize(1)):
        i = e // cols
        j = e - i * cols
        dst[i, j] = src[i, j]


# ---- launchers -----------------------------------------------------------------------------


def widen_half(x: Any) -> Any:
    """A float32 copy, on the GPU, of a float16 GPU array (1-D or 2-D): the kernels, like
    the host path, do no arithmetic in half precision."""
    out = cuda.device_array(x.shape, np.float32)
    kernel = _widen_matrix if x.ndim == 2 else _widen_rows
    kernel[_grid(x.size), BLOCK_SIZE](x, out)
    cuda.synchronize()
    return out


def _on_device(x: Any) -> bool:
    """A GPU array? The launchers are given validated inputs (``fastf1._validation``): a
    host input is a NumPy array by then, so anything else is a GPU array."""
    return not isinstance(x, np.ndarray)


def _device_view(x: Any) -> Any:
    """A numba view of a GPU array (no copy)."""
    if type(x).__name__ == "FakeCUDAArray" or isinstance(
            x, cuda.devicearray.DeviceNDArray):  # type: ignore[attr-defined]
        return x
    return cuda.as_cuda_array(x)


def _grid(n_items: int) -> int:
    blocks = min(max(1, math.ceil(n_items / BLOCK_SIZE)), MAX_BLOCKS)
    return max(blocks, math.ceil(n_items / _ROWS_PER_BLOCK_MAX))


def _chunks(arrays: list[Any], n: int):
    """Yield device views of row chunks: whole device arrays at once, host arrays streamed."""
    if all(a is None or _on_device(a) for a in arrays):
        yield None, [None if a is None else _device_view(a) for a in arrays]
        return
    streams = [cuda.stream(), cuda.stream()]
    # a chunk of an (n, K) host matrix holds STREAM_CHUNK_ROWS values, not rows: its pinned
    # staging buffers stay the size of a chunk of labels whatever K is
    width = max([int(np.prod(a.shape[1:])) for a in arrays if a is not None] or [1])
    step = max(1, min(n, STREAM_CHUNK_ROWS // max(width, 1)))
    staging: list[list[Any]] = [[None] * len(arrays) for _ in streams]
    for c, lo in enumerate(range(0, n, step)):
        s = c % 2
        streams[s].synchronize()  # its previous chunk is done: its buffers may be reused
        views = []
        for k, a in enumerate(arrays):
            if a is None or _on_device(a):
                views.append(None if a is None else _device_view(a)[lo:lo + step])
                continue
            part = np.asarray(a[lo:lo + step])
            buf = staging[s][k]
            if buf is None or buf.shape[0] < part.shape[0] or buf.dtype != part.dtype:
                buf = staging[s][k] = cuda.pinned_array((step, *part.shape[1:]), part.dtype)
            buf[: part.shape[0]] = part
            views.append(cuda.to_device(buf[: part.shape[0]], stream=streams[s]))
        yield streams[s], views
    for st in streams:
        st.synchronize()


def count_classes(t, p, w, offset, cap, ignore, use_ignore):
    weighted = w is not None
    shared = cap <= SHARED_CLASSES
    kernel = _classes_argmax if p.ndim == 2 else _classes_labels
    counts = cuda.to_device(np.zeros((3, cap), np.int64))
    wcounts = cuda.to_device(np.zeros((3, cap if weighted else 1), np.float64))
    wsum = cuda.to_device(np.zeros(1, np.float64))
    diagnostics = cuda.to_device(new_diagnostics())
    for stream, (tc, pc, wc) in _chunks([t, p, w], t.shape[0]):
        wc = wc if weighted else cuda.to_device(np.zeros(1, np.float64))
        config = (_grid(tc.shape[0]), BLOCK_SIZE, stream or 0, 12 * cap if shared else 0)
        kernel[config](tc, pc, wc, weighted, offset, cap, shared, ignore, use_ignore,
                       counts, wcounts, wsum, diagnostics)
    cuda.synchronize()
    w_out = wcounts.copy_to_host() if weighted else np.zeros((3, 0), np.float64)
    return counts.copy_to_host(), w_out, float(wsum.copy_to_host()[0]), diagnostics.copy_to_host()


def count_binary(t, p, w, thr, offset, ignore, use_ignore):
    weighted = w is not None
    sums = cuda.to_device(np.zeros(4, np.int64))
    wsums = cuda.to_device(np.zeros(4, np.float64))
    diagnostics = cuda.to_device(new_diagnostics())
    for stream, (tc, pc, wc) in _chunks([t, p, w], t.shape[0]):
        wc = wc if weighted else cuda.to_device(np.zeros(1, np.float64))
        config = (_grid(tc.shape[0]), BLOCK_SIZE, stream or 0)
        _binary[config](tc, pc, wc, weighted, 0.0 if thr is None else thr, thr is not None,
                        offset, ignore, use_ignore, sums, wsums, diagnostics)
    cuda.synchronize()
    nrows, st, sp, stp = (int(x) for x in sums.copy_to_host())
    counts = np.array([[nrows - st - sp + stp, stp], [nrows - st, st], [nrows - sp, sp]],
                      dtype=np.int64)
    w00, w01, w10, w11 = wsums.copy_to_host()
    wcounts = (np.array([[w00, w11], [w00 + w01, w10 + w11], [w00 + w10, w01 + w11]])
               if weighted else np.zeros((3, 0), np.float64))
    return counts, wcounts, float(w00 + w01 + w10 + w11), diagnostics.copy_to_host()


def count_multilabel(T, P, w, thr):
    weighted = w is not None
    n_labels = T.shape[1]
    shared = n_labels <= SHARED_CLASSES
    counts = cuda.to_device(np.zeros((3, n_labels), np.int64))
    wcounts = cuda.to_device(np.zeros((3, n_labels if weighted else 1), np.float64))
    wsum = cuda.to_device(np.zeros(1, np.float64))
    diagnostics = cuda.to_device(new_diagnostics())
    thr_d = cuda.to_device(np.zeros(1) if thr is None else np.asarray(thr, np.float64))
    for stream, (tc, pc, wc) in _chunks([T, P, w], T.shape[0]):
        wc = wc if weighted else cuda.to_device(np.zeros(1, np.float64))
        config = (_grid(tc.shape[0] * n_labels), BLOCK_SIZE, stream or 0,
                  12 * n_labels if shared else 0)
        _multilabel[config](tc, pc, wc, weighted, thr_d, thr is not None, shared, counts,
                            wcounts, wsum, diagnostics)
    cuda.synchronize()
    w_out = wcounts.copy_to_host() if weighted else np.zeros((3, 0), np.float64)
    return counts.copy_to_host(), w_out, float(wsum.copy_to_host()[0]), diagnostics.copy_to_host()


def confusion(t, p, w, offset, cap):
    weighted = w is not None
    kernel = _confusion_argmax if p.ndim == 2 else _confusion_labels
    cm = cuda.to_device(np.zeros((cap, cap), np.int64))
    wcm = cuda.to_device(np.zeros((cap, cap) if weighted else (1, 1), np.float64))
    diagnostics = cuda.to_device(new_diagnostics())
    for stream, (tc, pc, wc) in _chunks([t, p, w], t.shape[0]):
        wc = wc if weighted else cuda.to_device(np.zeros(1, np.float64))
        kernel[_grid(tc.shape[0]), BLOCK_SIZE, stream or 0](tc, pc, wc, weighted, offset, cap,
                                                            cm, wcm, diagnostics)
    cuda.synchronize()
    w_out = wcm.copy_to_host() if weighted else np.zeros((0, 0), np.float64)
    return cm.copy_to_host(), w_out, diagnostics.copy_to_host()


# ---- top-k accuracy --------------------------------------------------------------------------


@cuda.jit
def _top_k(t, s, w, weighted, g, grouped, k, offset, present, hits, rows, whits, wsum, seen,
           diagnostics):
    """Top-k hits of each row (the rank rule of ``topk.py``: ties rank the larger column
    first), per group; a thread's hits of one group add up in registers, one atomic each."""
    n_cols = s.shape[1]
    n_hits = int64(0)
    n_rows = int64(0)
    w_hits = 0.0
    w_sum = 0.0
    for i in range(cuda.grid(1), t.shape[0], cuda.gridsize(1)):
        label = t[i]
        c = label - offset
        if c < 0 or c >= n_cols:
            cuda.atomic.add(diagnostics, OUT, 1)
            cuda.atomic.min(diagnostics, OUT_MIN, label)
            cuda.atomic.max(diagnostics, OUT_MAX, label)
            continue
        own = s[i, c]
        above = int64(0)
        bad = False
        for j in range(n_cols):
            v = s[i, j]
            if math.isnan(v) or math.isinf(v):
                bad = True
            if v > own or (v == own and j > c):
                above += 1
        if bad:
            cuda.atomic.add(diagnostics, BADVAL_PRED, 1)
            continue
        hit = above < k
        wi = 0.0
        if weighted:
            wi = w[i]
            if math.isnan(wi) or math.isinf(wi):
                cuda.atomic.add(diagnostics, BAD_WEIGHT, 1)
                continue
        q = g[i] if grouped else 0
        if present:
            seen[q, c] = 1
        if grouped:
            cuda.atomic.add(rows, q, 1)
            if hit:
                cuda.atomic.add(hits, q, 1)
            if weighted:
                cuda.atomic.add(wsum, q, wi)
                if hit:
                    cuda.atomic.add(whits, q, wi)
        else:
            n_rows += 1
            if hit:
                n_hits += 1
            w_sum += wi
            if hit:
                w_hits += wi
    if not grouped:
        cuda.atomic.add(rows, 0, n_rows)
        cuda.atomic.add(hits, 0, n_hits)
        if weighted:
            cuda.atomic.add(wsum, 0, w_sum)
            cuda.atomic.add(whits, 0, w_hits)


def top_k_hits(t, s, w, g, ngroups, k, offset, present):
    """The CPU twin's (hits, weighted hits, total weight, rows, seen, diagnostics) of
    ``topk.top_k_hits``, for int64 labels ``t`` (host), scores ``s`` (host or GPU), weights
    (host or GPU) and int64 group indices ``g`` (host, ``0 .. ngroups - 1``) or None."""
    weighted, grouped = w is not None, g is not None
    n_cols = s.shape[1]
    hits = cuda.to_device(np.zeros(ngroups, np.int64))
    rows = cuda.to_device(np.zeros(ngroups, np.int64))
    whits = cuda.to_device(np.zeros(ngroups if weighted else 1, np.float64))
    wsum = cuda.to_device(np.zeros(ngroups if weighted else 1, np.float64))
    seen = cuda.to_device(np.zeros((ngroups, n_cols if present else 1), np.uint8))
    diagnostics = cuda.to_device(new_diagnostics())
    for stream, (tc, sc, wc, gc) in _chunks([t, s, w, g], t.shape[0]):
        wc = wc if weighted else cuda.to_device(np.zeros(1, np.float64))
        gc = gc if grouped else cuda.to_device(np.zeros(1, np.int64))
        _top_k[_grid(tc.shape[0]), BLOCK_SIZE, stream or 0](
            tc, sc, wc, weighted, gc, grouped, k, offset, present, hits, rows, whits, wsum,
            seen, diagnostics)
    cuda.synchronize()
    empty = np.zeros(0, np.float64)
    seen_host = seen.copy_to_host().astype(np.bool_)
    return (hits.copy_to_host(), whits.copy_to_host() if weighted else empty,
            wsum.copy_to_host() if weighted else empty, rows.copy_to_host(),
            seen_host if present else seen_host[:, :0], diagnostics.copy_to_host())
