"""Compile every CUDA kernel, for every signature the dispatch launches, for real GPUs.

The simulator (tests/cuda_checks.py) runs the kernels as Python; it does not type them as the
CUDA target does. Here numba-cuda compiles each kernel to PTX for compute capability 8.0 (and,
under -m slow, 9.0) through NVVM (the pip wheels nvidia-nvvm and nvidia-cuda-nvrtc), which needs no GPU and
no driver. A kernel that calls a device function asks the driver for the current device's
compute capability, so the test answers that question itself.

The signatures: what ``fastf1._dispatch`` and ``fastf1._validation`` hand the launchers in
``fastf1._kernels.cuda``. Host inputs arrive C-contiguous (streamed chunks) in the dtypes the
host path makes (labels of any integer or float dtype, bools as uint8, float16 widened);
GPU inputs arrive in place, of any layout ('A'); weights are float64 from the host, and
float32 or float64 from the GPU.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import time

import pytest

if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1":
    pytest.skip("the CUDA simulator cannot compile to PTX", allow_module_level=True)
cuda = pytest.importorskip("numba.cuda")
from numba import types  # noqa: E402

gpu = pytest.importorskip("fastf1._kernels.cuda")

CCS = [(8, 0), (9, 0)]
ROOT = pathlib.Path(__file__).resolve().parent.parent
LABELS = [types.int8, types.int16, types.int32, types.int64, types.uint8, types.uint16,
          types.uint32, types.uint64, types.float32, types.float64]
SCORES = [types.float32, types.float64]
#: truth of the score forms (argmax, threshold, multilabel): bytes (bools), int64, float64
TRUTH = [types.uint8, types.int64, types.float64]
b, i64, f64 = types.boolean, types.int64, types.float64


def A(dtype, ndim=1, layout="C"):
    return types.Array(dtype, ndim, layout)


def _signatures():
    """(kernel name, signature) pairs: every launch of the dispatch, by input form. Host
    label inputs are counted in every label dtype; score forms take any integer truth, so
    there a narrow and a wide integer, and float truth, stand for them all (the kernels'
    code differs by signedness and width class, which these cover)."""
    sigs = []
    counts = (A(i64, 2), A(f64, 2), A(f64), A(i64))  # counts, wcounts, wsum, diagnostics
    sums = (A(i64), A(f64), A(i64))  # sums, wsums, diagnostics
    matrices = (A(i64, 2), A(f64, 2), A(i64))  # cm, wcm, diagnostics

    def labels(t, p, w):
        sigs.append(("_classes_labels", (t, p, w, b, i64, i64, b, i64, b, *counts)))
        sigs.append(("_confusion_labels", (t, p, w, b, i64, i64, *matrices)))
        sigs.append(("_binary", (t, p, w, b, f64, b, i64, i64, b, *sums)))

    for lt in LABELS:  # host labels: one dtype for y_true and y_pred (the common type)
        labels(A(lt), A(lt), A(f64))
    for lt in (types.int64, types.float32):  # GPU arrays of any layout, GPU weights
        for w in (A(f64, 1, "A"), A(types.float32, 1, "A")):
            labels(A(lt, 1, "A"), A(lt, 1, "A"), w)
    for lt in TRUTH:
        for st in SCORES:
            sigs.append(("_classes_argmax", (A(lt), A(st, 2), A(f64), b, i64, i64, b, i64, b,
                                             *counts)))
            sigs.append(("_confusion_argmax", (A(lt), A(st, 2), A(f64), b, i64, i64,
                                               *matrices)))
            sigs.append(("_binary", (A(lt), A(st), A(f64), b, f64, b, i64, i64, b, *sums)))
    for lt in TRUTH:  # multilabel: indicators of one dtype, or against scores
        for pt in (lt, *SCORES):
            sigs.append(("_multilabel", (A(lt, 2), A(pt, 2), A(f64), b, A(f64), b, b,
                                         *counts)))
    sigs.append(("_multilabel", (A(i64, 2, "A"), A(types.float32, 2, "A"),
                                 A(types.float32, 1, "A"), b, A(f64), b, b, *counts)))
    topk = (A(i64), A(i64), A(f64), A(f64), A(types.uint8, 2), A(i64))
    for st in SCORES:  # top-k: int64 labels and groups from the host, scores and weights
        for layout, weights in (("C", (A(f64),)), ("A", (A(f64, 1, "A"),
                                                         A(types.float32, 1, "A")))):
            for w in weights:
                sigs.append(("_top_k", (A(i64), A(st, 2, layout), w, b, A(i64), b, i64, i64,
                                        b, *topk)))
    for layout in ("C", "A"):  # float16 GPU inputs, widened to float32 before counting
        half = types.float16
        sigs.append(("_widen_rows", (A(half, 1, layout), A(types.float32))))
        sigs.append(("_widen_matrix", (A(half, 2, layout), A(types.float32, 2))))
    return sigs


def test_every_kernel_is_in_the_list():
    """A new kernel must be added to the signatures above."""
    kernels = {name for name, obj in vars(gpu).items()
               if type(obj).__name__ == "CUDADispatcher" and not obj.targetoptions.get("device")}
    assert kernels == {name for name, _ in _signatures()}


def compile_all(cc):
    """Compile every signature for compute capability ``cc``; the failures, as text."""
    class Device:
        compute_capability = cc

    # a kernel calling a @cuda.jit(device=True) function asks the (absent) driver for this
    cuda.dispatcher.get_current_device = lambda: Device()
    failures = []
    for name, sig in _signatures():
        try:
            ptx, _ = cuda.compile_ptx(getattr(gpu, name).py_func, sig, cc=cc)
        except Exception as exc:
            failures.append(f"{name}{sig}: {type(exc).__name__}: {str(exc)[:300]}")
            continue
        if f".target sm_{cc[0]}{cc[1]}" not in ptx:
            failures.append(f"{name}{sig}: no sm_{cc[0]}{cc[1]} target in the PTX")
    return failures


@pytest.mark.parametrize("cc", [CCS[0], pytest.param(CCS[1], marks=pytest.mark.slow)],
                         ids=lambda cc: f"sm_{cc[0]}{cc[1]}")
def test_kernels_compile_to_ptx(cc):
    """A compute capability in its own process (NVVM runs on one core), which exits 1
    listing the signatures that failed. The default run compiles for the first; the
    kernels' code does not depend on it, so the second (-m slow) checks the target only."""
    try:
        cuda.compile_ptx(gpu._widen_rows.py_func, (A(types.float16), A(types.float32)),
                         cc=CCS[0])
    except Exception as exc:  # NVVM missing: install the test extra (nvidia-nvvm)
        pytest.skip(f"numba-cuda cannot compile PTX here: {exc}")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, f"{cc[0]}.{cc[1]}"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.returncode == 0, proc.stdout[-8000:]
    print(f"{len(_signatures())} signatures for sm_{cc[0]}{cc[1]} in "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    major, minor = sys.argv[1].split(".")
    errors = compile_all((int(major), int(minor)))
    print("\n".join(errors) or "ok")
    sys.exit(1 if errors else 0)
