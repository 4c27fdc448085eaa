"""ScoreHistogram of this tree against another fastf1 tree's, in one process, taking turns.

The other tree's package is imported under another name (its modules import one another
relatively), so both run on the same data, under the same load, round after round:

    git archive main fastf1 | tar -x -C /tmp/ref && mv /tmp/ref/fastf1 /tmp/ref/fastf1_ref
    python3 benchmarks/histogram_side_by_side.py --ref /tmp/ref 1e6,1e7,1e8 --rounds 5 --sklearn

Prints, per size, each contender's best wall time and the CPU time (all threads) of that
round: ``update`` plus ``roc_auc_score()`` at each tree's default bins (``ref``, ``this``),
``roc_auc_score(y, s, bins=...)`` at the same bins (``ref_fn``, ``this_fn``), the read
probe, and scikit-learn's exact ``roc_auc_score`` (two rounds, up to 10^7 rows) when asked.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any

import bench_histogram as bh
import workloads as wl

import fastf1


def _contenders(n: int, ref: Any, sklearn: bool) -> dict[str, Callable[[], Any]]:
    y, s = bh.make_data(n)
    calls: dict[str, Callable[[], Any]] = {
        "ref": lambda: ref.ScoreHistogram().update(y, s).roc_auc_score(),
        "this": lambda: fastf1.ScoreHistogram().update(y, s).roc_auc_score(),
        "ref_fn": lambda: ref.roc_auc_score(y, s, bins=ref.histogram.DEFAULT_BINS),
        "this_fn": lambda: fastf1.roc_auc_score(y, s, bins=fastf1.histogram.DEFAULT_BINS),
    }
    probe = bh.make_call("probe", n)
    assert probe is not None
    calls["probe"] = probe
    if sklearn and n <= 10**7:
        import sklearn.metrics as skm

        calls["sklearn"] = lambda: skm.roc_auc_score(y, s)
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="?", default="1e6,1e7")
    parser.add_argument("--ref", required=True, help="folder holding the package fastf1_ref")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sklearn", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, args.ref)
    ref = importlib.import_module("fastf1_ref")
    for n in (int(float(x)) for x in args.sizes.split(",")):
        calls = _contenders(n, ref, args.sklearn)
        for f in calls.values():
            f()  # compile, first touch
        best = {k: (float("inf"), 0.0) for k in calls}
        for r in range(args.rounds):
            for k, f in calls.items():
                if k == "sklearn" and r >= 2:
                    continue
                time.sleep(wl.SETTLE_S)  # the threads of the call before stop spinning
                c0, t0 = time.process_time(), time.perf_counter()
                f()
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                best[k] = min(best[k], (wall, cpu))
        cells = ", ".join(f"{k} {w * 1e3:.1f} ms (CPU {c * 1e3:.0f} ms)"
                          for k, (w, c) in best.items())
        ratios = "; ".join(
            f"{a} / {b} {best[a][0] / best[b][0]:.2f}x wall, {best[a][1] / best[b][1]:.2f}x CPU"
            for a, b in (("ref", "this"), ("ref_fn", "this_fn")))
        ratios += f"; probe / this {100 * best['probe'][0] / best['this'][0]:.1f}%"
        if "sklearn" in best:
            ratios += "".join(f"; sklearn / {b} {best['sklearn'][0] / best[b][0]:.0f}x wall"
                              for b in ("this", "this_fn"))
        print(f"n={n:.0e}: {cells} | {ratios}", flush=True)


if __name__ == "__main__":
    main()
