"""A tqdm progress bar over the bytes read, with rows and rows/s beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: seconds between two redraws of the progress bar
PROGRESS_MININTERVAL = 0.2
"""Seconds between two redraws of the progress bar."""

#: a progress callback: called with (rows, bytes) done since its last call
Progress = Callable[[int, int], None]
"""A progress callback: called as ``progress(rows, nbytes)`` after every chunk."""


class ProgressBar:
    """A tqdm bar on stderr over the bytes read, with the rows and rows/s beside it.

    Used as a context manager that gives a progress callback for :func:`score_files` and
    :func:`count_files`; silent (a no-op) when ``disable`` is true or tqdm is not installed.

    Parameters
    ----------
    total_bytes : int
        The bytes to read, the bar's total.
    disable : bool, default False
        Draw nothing.
    desc : str, default "scoring"
        The bar's label.
    mininterval : float, optional
        Seconds between two redraws (default 0.2).

    Attributes
    ----------
    bar : tqdm.tqdm or None
        The bar while it is drawn.
    rows : int
        Rows counted so far.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> from fastf1.io import ProgressBar, resolve_sources, score_files
    >>> path = os.path.join(tempfile.mkdtemp(), "dump.npz")
    >>> np.savez(path, y=np.array([0, 1, 1]), yhat=np.array([0, 1, 0]))
    >>> total = sum(s.nbytes for s in resolve_sources(path))
    >>> with ProgressBar(total, disable=True) as progress:
    ...     counts = score_files(path, true="y", pred="yhat", progress=progress)
    >>> counts.tp
    array([1, 1])
    """

    def __init__(self, total_bytes: int, disable: bool = False, desc: str = "scoring",
                 mininterval: float | None = None) -> None:
        self.total, self.disable, self.desc = total_bytes, disable, desc
        self.mininterval = PROGRESS_MININTERVAL if mininterval is None else mininterval
        self.bar: Any = None
        self.rows = 0

    def __enter__(self) -> Progress:
        if not self.disable:
            try:
                from tqdm import tqdm
            except ImportError:  # pragma: no cover - depends on the environment
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=self.total, unit="B", unit_scale=True, unit_divisor=1024,
                                desc=self.desc, leave=False, dynamic_ncols=True,
                                mininterval=self.mininterval)
        return self.update

    def update(self, rows: int, nbytes: int) -> None:
        """Advance the bar by one chunk.

        Parameters
        ----------
        rows : int
            Rows in the chunk.
        nbytes : int
            Bytes on disk the chunk stands for.
        """
        if self.bar is None:
            return
        self.rows += rows
        elapsed = self.bar.format_dict.get("elapsed") or 0.0
        rate = f", {self.rows / elapsed / 1e6:.1f} M rows/s" if elapsed > 0 else ""
        self.bar.set_postfix_str(f"{self.rows:,} rows{rate}", refresh=False)
        self.bar.update(nbytes)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.close()
