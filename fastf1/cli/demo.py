"""``fastf1 demo``: write an example dump, score it, compare with scikit-learn."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from .. import io
from ._common import CLIError, _count
from .report import _text_result
from .score import _run_score

#: above this many rows the demo skips scikit-learn (minutes, and the arrays in memory)
DEMO_SKLEARN_MAX_ROWS = 20_000_000


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add ``fastf1 demo`` to the subcommands ``sub``."""
    demo = sub.add_parser(
        "demo", help="write an example prediction dump, score it, compare with scikit-learn",
        description="Write a realistic example prediction dump (imbalanced classes, a model "
        "right about 80% of the time) as Parquet to a temporary folder, score it as "
        "'fastf1 score' does, and time scikit-learn on the same rows where it is installed.")
    demo.add_argument("--rows", type=_count, default=10**7, metavar="N",
                      help="rows in the dump (default 1e7)")
    demo.add_argument("--classes", type=_count, default=20, metavar="K",
                      help="classes (default 20)")
    demo.add_argument("--keep", metavar="DIR",
                      help="write the dump into DIR and keep it (default: a temporary folder, "
                      "removed at the end)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument("--chunk-rows", type=_count, default=io.DEFAULT_CHUNK_ROWS, metavar="N",
                      help=f"rows per chunk (default {io.DEFAULT_CHUNK_ROWS:,})")
    demo.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(func=_cmd_demo)
    return demo


_DEMO_FILE_ROWS = 1 << 22
_DEMO_GROUP_ROWS = 1 << 20


def write_demo_dump(folder: str | os.PathLike, rows: int, classes: int, seed: int = 0,
                    **writer_options: Any) -> int:
    """Write an example prediction dump as Parquet files (columns ``label``, ``pred``: int32).

    A Zipf-like class prior (class 0 the most frequent); the model is right on about 80% of
    the rows, more often on frequent classes (90%) than on rare ones (55%), and its mistakes go
    to a neighbouring class (60%) or to a class drawn from the prior (40%: models over-predict
    frequent classes). Written 2**20 rows at a time (one row group each, 4 row groups per
    file), so memory stays small. ``writer_options`` go to ``pyarrow.parquet.ParquetWriter``
    (e.g. ``compression="none", use_dictionary=False``). Returns the bytes written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if classes < 2:
        raise CLIError("--classes must be at least 2")
    rng = np.random.default_rng(seed)
    prior = 1.0 / np.arange(1, classes + 1) ** 1.2
    cdf = np.cumsum(prior / prior.sum())
    cdf[-1] = 1.0
    right = 0.9 - 0.35 * np.linspace(0, 1, classes) ** 0.7  # P(correct | class)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([("label", pa.int32()), ("pred", pa.int32())])
    total = 0
    for part, lo in enumerate(range(0, rows, _DEMO_FILE_ROWS)):
        path = folder / f"part-{part:05d}.parquet"
        with pq.ParquetWriter(path, schema, **writer_options) as writer:
            for glo in range(lo, min(lo + _DEMO_FILE_ROWS, rows), _DEMO_GROUP_ROWS):
                n = min(_DEMO_GROUP_ROWS, rows - glo, lo + _DEMO_FILE_ROWS - glo)
                y = np.searchsorted(cdf, rng.random(n), side="right").astype(np.int32)
                u = rng.random(n)
                step = np.where(rng.random(n) < 0.5, -1, 1)
                near = np.clip(y + step, 0, classes - 1)
                near = np.where(near == y, y - step, near)  # the ends step inwards
                other = np.searchsorted(cdf, rng.random(n), side="right")
                other = np.where(other == y, (y + 1) % classes, other)
                miss = (u - right[y]) / (1 - right[y])  # uniform in [0, 1) on the mistakes
                pred = np.where(u < right[y], y, np.where(miss < 0.6, near, other)).astype(np.int32)
                writer.write_table(pa.table({"label": y, "pred": pred}, schema=schema))
        total += path.stat().st_size
    return total


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise CLIError("the demo writes Parquet and needs pyarrow: "
                       "pip install 'fastf1-metrics[io]'") from None
    keep = args.keep is not None
    root = Path(args.keep) if keep else Path(tempfile.mkdtemp(prefix="fastf1-demo-"))
    folder = root / "predictions" if keep else root
    if keep and folder.exists() and any(folder.iterdir()):
        raise CLIError(f"--keep: {folder} already exists and is not empty")
    try:
        _demo(args, folder, out)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def _demo(args: argparse.Namespace, folder: Path, out: TextIO) -> None:
    def say(text: str = "") -> None:
        print(text, file=out, flush=True)

    say(f"fastf1 demo: {args.rows:,} predictions of {args.classes} imbalanced classes "
        "(Zipf-like prior), a model right about 80% of the time")
    start = time.perf_counter()
    nbytes = write_demo_dump(folder, args.rows, args.classes, args.seed)
    say(f"wrote {folder} ({nbytes / 2**20:,.1f} MiB of Parquet) in "
        f"{time.perf_counter() - start:.1f} s")
    say()
    say(f"$ fastf1 score {folder} --true label --pred pred")
    sources = io.resolve_sources([folder])
    kw = dict(true="label", pred="pred", chunk_rows=args.chunk_rows, quiet=args.quiet)
    _, first = _run_score(sources, **kw)  # pays the kernels' compile (or cache load)
    result, warm = _run_score(sources, **kw)
    warm = min(warm, _run_score(sources, **kw)[1])
    report = result.stats.classification_report()
    say(_text_result(result, warm, None, None, 1, "warn", 2))
    say()
    say(f"fastf1: first call {first:.2f} s (includes compiling or loading the numba kernels), "
        f"warm {warm:.3f} s: {args.rows / warm / 1e6:,.0f} M rows/s from disk")
    try:
        import sklearn
        import sklearn.metrics
    except ImportError:
        say("(scikit-learn is not installed: pip install scikit-learn to compare)")
        return
    if args.rows > DEMO_SKLEARN_MAX_ROWS:
        say(f"(scikit-learn skipped above {DEMO_SKLEARN_MAX_ROWS:,} rows: minutes, and the "
            "whole arrays in memory)")
        return
    import pyarrow.parquet as pq

    from .. import metrics

    table = pq.read_table(folder, columns=["label", "pred"])
    y_true, y_pred = (table.column(c).to_numpy() for c in ("label", "pred"))
    del table
    metrics.classification_report(y_true, y_pred)  # compile / load outside the timing
    start = time.perf_counter()
    metrics.classification_report(y_true, y_pred)
    in_memory = time.perf_counter() - start
    start = time.perf_counter()
    theirs = sklearn.metrics.classification_report(y_true, y_pred)
    sk = time.perf_counter() - start
    say(f"scikit-learn {sklearn.__version__} classification_report on the same rows, already "
        f"in memory: {sk:.2f} s ({sk / warm:,.0f}x fastf1 reading from disk; "
        f"fastf1.classification_report on the arrays: {in_memory:.3f} s, "
        f"{sk / in_memory:,.0f}x)")
    say(f"reports identical: {'yes' if theirs == report else 'NO'}")
    if theirs != report:
        say(theirs)
