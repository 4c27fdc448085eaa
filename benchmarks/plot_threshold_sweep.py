"""Precision, recall and F1 against the threshold, from one threshold_sweep, for the README.

    python3 benchmarks/plot_threshold_sweep.py      # writes benchmarks/results/threshold_sweep.png

A synthetic problem: 10^6 rows, 20% positives, scores from two overlapping Beta distributions.
"""

from __future__ import annotations

import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from fastf1.curves import threshold_sweep  # noqa: E402

OUT = pathlib.Path(__file__).parent / "results" / "threshold_sweep.png"


def main() -> None:
    rng = np.random.default_rng(0)
    n = 10**6
    y_true = (rng.random(n) < 0.2).astype(np.int8)
    y_score = np.where(y_true == 1, rng.beta(5, 2, n), rng.beta(2, 5, n)).astype(np.float32)

    sweep = threshold_sweep(y_true, y_score, thresholds=1001)
    thr = sweep.thresholds
    f1 = sweep.f1(zero_division=0.0)
    best = sweep.best_threshold()
    k = int(np.searchsorted(thr, best))

    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    ax.plot(thr, sweep.precision(zero_division=1.0), label="precision", color="tab:blue")
    ax.plot(thr, sweep.recall(zero_division=0.0), label="recall", color="tab:orange")
    ax.plot(thr, f1, label="F1", color="tab:green", linewidth=2)
    ax.axvline(best, color="0.4", linestyle="--", linewidth=1)
    ax.plot([best], [f1[k]], "o", color="tab:green")
    ax.annotate(f"best F1 = {f1[k]:.3f}\nat threshold {best:.3f}", (best, f1[k]),
                xytext=(0.62, 0.08), textcoords="axes fraction",
                arrowprops=dict(arrowstyle="->", color="0.4"))
    ax.set_xlabel("threshold (predicted positive when score >= threshold)")
    ax.set_ylabel("score")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title(f"fastf1 threshold_sweep: {n:,} rows, {thr.size} thresholds, one pass")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.93))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT)
    print(f"wrote {OUT} (best threshold {best:.3f}, F1 {f1[k]:.4f})")


if __name__ == "__main__":
    main()
