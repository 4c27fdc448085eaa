"""``--plot``: per-class bars and the confusion-matrix heatmap, drawn with matplotlib."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import io
from ._common import CLIError

#: the confusion-matrix heatmap of --plot is drawn up to this many labels
PLOT_CONFUSION_MAX_LABELS = 30
#: per-class bars of --plot: at most this many labels (those with the most support)
PLOT_BARS_MAX_LABELS = 60


def _need_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise CLIError("--plot needs matplotlib: pip install 'fastf1-metrics[plot]'") from None


def _plot(result: io.ScoreResult, labels: Any, path: str) -> None:
    """Per-class precision / recall / F1 bars, and the row-normalised confusion matrix."""
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

    stats = result.stats
    shown = np.asarray(labels if labels is not None else stats.labels)
    p, r, f, s = stats.precision_recall_fscore_support(average=None, labels=shown,
                                                       zero_division=0.0)
    title = "per-class scores"
    if shown.size > PLOT_BARS_MAX_LABELS:
        top = np.sort(np.argsort(-np.asarray(s, float), kind="stable")[:PLOT_BARS_MAX_LABELS])
        shown, p, r, f = shown[top], p[top], r[top], f[top]
        title += f" ({PLOT_BARS_MAX_LABELS} labels with the most support)"
    heat = result.confusion is not None
    fig = Figure(figsize=(13 if heat else 8, 4.8), layout="constrained")
    axes = fig.subplots(1, 2 if heat else 1, squeeze=False)[0]
    ax = axes[0]
    x = np.arange(shown.size)
    for i, (name, values) in enumerate((("precision", p), ("recall", r), ("F1", f))):
        ax.bar(x + (i - 1) * 0.27, np.nan_to_num(values), width=0.27, label=name)
    ax.set_xticks(x)
    ax.set_xticklabels([str(v) for v in shown.tolist()], rotation=90 if shown.size > 12 else 0,
                       fontsize=8)
    ax.set(ylim=(0, 1.15), xlabel="label", title=title)
    ax.legend(fontsize=8, loc="upper center", ncols=3, frameon=False)
    if heat:
        cm_labels: np.ndarray = result.confusion_labels  # type: ignore[assignment]
        cm: np.ndarray = result.confusion  # type: ignore[assignment]
        with np.errstate(invalid="ignore", divide="ignore"):
            normed = np.nan_to_num(cm / cm.sum(axis=1, keepdims=True))
        ax = axes[1]
        im = ax.imshow(normed, cmap="Blues", vmin=0, vmax=1)
        ticks = np.arange(cm_labels.size)
        names = [str(v) for v in cm_labels.tolist()]
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
        ax.set_xticklabels(names, fontsize=7, rotation=90 if cm_labels.size > 12 else 0)
        ax.set_yticklabels(names, fontsize=7)
        ax.set(xlabel="predicted", ylabel="true", title="confusion matrix (rows sum to 1)")
        if cm_labels.size <= 12:
            for i in range(cm_labels.size):
                for j in range(cm_labels.size):
                    ax.text(j, i, f"{normed[i, j]:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if normed[i, j] > 0.5 else "black")
        fig.colorbar(im, ax=ax, shrink=0.8)
    fig.suptitle(f"{result.n_rows:,} rows")
    fig.savefig(path, dpi=110)
