"""The rest of the scorecard side by side: each function against ``f1_score`` on the same
data, scikit-learn, one NumPy compare and the read probe, all in one process, alternating.

    python3 benchmarks/scorecard_side_by_side.py --rows 1e7 [--torchmetrics]

Ratios to ``f1_score`` are best-of-N times taken in turn (f1, then each function, again and
again), so a noisy machine moves both alike; scikit-learn runs fewer rounds, and so does
torchmetrics (``--torchmetrics``: its functional metrics on CPU tensors, with and without
argument validation; y_true converted to int64 before the timing). Top-k accuracy
scores a float32 score matrix (at most ``workloads.TOP_K_VALUES`` values: 10^5 rows at
K = 1000) against ``f1_score`` on the argmax of the same matrix, and with 10 groups.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
import sklearn.metrics as skm
import workloads as wl

import fastf1

NAMES = ["balanced_accuracy_score", "matthews_corrcoef", "cohen_kappa_score", "jaccard_score",
         "hamming_loss", "zero_one_loss"]


def best(calls: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best seconds of each call, the calls taken in turn ``rounds`` times, each after
    ``workloads.SETTLE_S`` untimed (the threads of the call before it stop spinning)."""
    times = wl.best_of_rounds(calls, dict.fromkeys(calls, rounds))
    return {name: wall for name, (wall, _) in times.items()}


def _call(func: Callable, t: np.ndarray, p: np.ndarray, **kw: object) -> Callable[[], object]:
    return lambda: func(t, p, **kw)


def torchmetrics_speedups(name: str, k: int, t: np.ndarray, p: np.ndarray,
                          ours: float) -> tuple[float | None, float | None]:
    """torchmetrics' best of 2 over fastf1's time ``ours``: validated, not validated (None
    where torchmetrics has no such function)."""
    calls = {v: wl._torchmetrics_scorecard(name, k, t, p, validate=v) for v in (True, False)}
    if calls[True] is None:
        return None, None
    for call in calls.values():
        call()
    times = best(calls, 2)
    return times[True] / ours, times[False] / ours


def labels_rows(n: int, k: int, rounds: int, tm: bool) -> list[tuple]:
    """The functions of the label counts at K classes, and their floors."""
    t, p = wl.scorecard_data("f1_score", k, n)
    words = np.ones((t.nbytes + p.nbytes) // 8, np.uint64)
    ours = {"f1_score": _call(fastf1.f1_score, t, p, average="macro")}
    theirs = {}
    for name in NAMES:
        kw = {"average": "macro"} if name == "jaccard_score" else {}
        ours[name] = _call(getattr(fastf1, name), t, p, **kw)
        theirs[name] = _call(getattr(skm, name), t, p, **kw)
    ours["NumPy compare"] = lambda: np.count_nonzero(t != p)
    ours["probe"] = lambda: wl._sum_words(words)
    for call in ours.values():
        call()  # compile, first touch
    a, b = best(ours, rounds), best(theirs, 2)
    print(f"K = {k}: f1_score {a['f1_score'] * 1e3:.1f} ms; NumPy compare "
          f"{a['NumPy compare'] * 1e3:.1f} ms; read probe {a['probe'] * 1e3:.1f} ms; "
          f"scikit-learn's hamming_loss {b['hamming_loss'] * 1e3:.0f} ms, zero_one_loss "
          f"{b['zero_one_loss'] * 1e3:.0f} ms", flush=True)
    return [(name, k, n, a[name], a[name] / a["f1_score"], b[name] / a[name],
             *(torchmetrics_speedups(name, k, t, p, a[name]) if tm else (None, None)))
            for name in NAMES]


def likelihood_rows(n: int, rounds: int, tm: bool) -> list[tuple]:
    """Binary labels: the likelihood ratios against binary F1."""
    t, p = wl.scorecard_data("class_likelihood_ratios", 10, n)
    ours = {"f1_score": _call(fastf1.f1_score, t, p),
            "lr": _call(fastf1.class_likelihood_ratios, t, p)}
    for call in ours.values():
        call()
    a = best(ours, rounds)
    b = best({"lr": _call(skm.class_likelihood_ratios, t, p)}, 2)
    return [("class_likelihood_ratios", 2, n, a["lr"], a["lr"] / a["f1_score"],
             b["lr"] / a["lr"], None, None)]  # torchmetrics has no likelihood ratios


def top_k_rows(n: int, k: int, rounds: int, tm: bool) -> list[tuple]:
    """Top-k accuracy against F1 on the argmax of the same matrix, and with 10 groups."""
    t, p = wl.scorecard_data("top_k_accuracy_score", k, n)
    groups = np.arange(t.shape[0]) % 10
    ours = {"f1_score[argmax]": _call(fastf1.f1_score, t, p, average="macro"),
            "top_k": _call(fastf1.top_k_accuracy_score, t, p, k=3),
            "top_k groups": _call(fastf1.top_k_accuracy_score, t, p, k=3, groups=groups,
                                  labels=np.arange(k))}
    for call in ours.values():
        call()
    a = best(ours, rounds)
    b = best({"top_k": _call(skm.top_k_accuracy_score, t, p, k=3)}, 2)
    print(f"top-k, K = {k}, {t.shape[0]:.0e} rows: f1_score on the argmax "
          f"{a['f1_score[argmax]'] * 1e3:.1f} ms, top-k {a['top_k'] * 1e3:.1f} ms, with 10 "
          f"groups {a['top_k groups'] * 1e3:.1f} ms", flush=True)
    return [("top_k_accuracy_score", k, t.shape[0], a["top_k"],
             a["top_k"] / a["f1_score[argmax]"], b["top_k"] / a["top_k"],
             *(torchmetrics_speedups("top_k_accuracy_score", k, t, p, a["top_k"]) if tm
               else (None, None)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--torchmetrics", action="store_true",
                        help="also time torchmetrics (torch and torchmetrics installed)")
    args = parser.parse_args()
    n, r, tm = int(args.rows), args.rounds, args.torchmetrics
    rows = [*labels_rows(n, 10, r, tm), *labels_rows(n, 1000, r, tm),
            *likelihood_rows(n, r, tm), *top_k_rows(n, 10, r, tm), *top_k_rows(n, 1000, r, tm)]
    extra = " vs torchmetrics (no validation) |" if tm else ""
    print(f"\n| function | K | rows | fastf1 | / f1_score | vs scikit-learn |{extra}")
    print("|---|---:|---:|---:|---:|---:|" + ("---:|" if tm else ""))
    for name, k, m, seconds, rel, speedup, tm_v, tm_nv in rows:
        cell = ""
        if tm:
            cell = " - |" if tm_v is None else f" {tm_v:,.0f}x ({tm_nv:,.0f}x) |"
        print(f"| `{name}` | {k} | 10^{round(np.log10(m))} | {seconds * 1e3:.1f} ms | "
              f"{rel:.2f}x | {speedup:,.0f}x |{cell}")


if __name__ == "__main__":
    main()
