"""Error helpers shared by the readers: one-line messages that name the file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def _missing(where: str, name: str, available: Iterable[str], what: str = "column") -> ValueError:
    there = ", ".join(repr(a) for a in available) or "none"
    return ValueError(f"{where}: no {what} named {name!r}; the {what}s there are: {there}")


def _check_names(where: str, needed: Sequence[str], available: Sequence[str],
                 what: str = "column") -> None:
    for name in needed:
        if name not in available:
            raise _missing(where, name, available, what)


def _arrow_errors() -> tuple[type[BaseException], ...]:
    import pyarrow as pa

    return (pa.ArrowException,)


def _one_line(exc: BaseException) -> str:
    """The message on one line; bytes of a binary file quoted in it (a parser's "got ..."
    echo) are escaped rather than sent to the terminal."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _require_pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "reading Parquet, Arrow and CSV files needs pyarrow: "
            "pip install 'fastf1-metrics[io]'") from exc
    return pyarrow
