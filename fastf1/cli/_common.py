"""What every subcommand shares: the user-facing error, argument types, messages."""

from __future__ import annotations

import argparse
import math
from typing import Any, NoReturn

import numpy as np

from ..io._errors import _one_line

#: the averages every report shows
_AVERAGES = ("micro", "macro", "weighted")


class CLIError(Exception):
    """A failure with a message meant for the user as is."""


class Parser(argparse.ArgumentParser):
    """argparse whose usage errors end as the command's other errors do: one line
    ``fastf1: error: ...`` on stderr and exit status 1 (not the usage dump and 2).
    Subcommand parsers are made of the same class (``add_subparsers`` uses the parent's)."""

    def error(self, message: str) -> NoReturn:
        hint = f"run '{self.prog} --help' for its options"
        self.exit(1, f"fastf1: error: {_one_line(Exception(message))} ({hint})\n")


# ---- argument types --------------------------------------------------------------------------


def _count(text: str) -> int:
    """A positive integer, also written as 1e7 or 10_000_000."""
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_integer() or value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return int(value)


def _names(text: str) -> list[str]:
    items = [s.strip() for s in text.split(",")]
    if not all(items):
        raise argparse.ArgumentTypeError(f"expected a comma-separated list, got {text!r}")
    return items


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _zero_division(text: str) -> Any:
    if text == "warn":
        return text
    if text in ("0", "1", "nan"):
        return float(text)
    raise argparse.ArgumentTypeError(f"expected warn, 0, 1 or nan, got {text!r}")


def _as_label(text: str, present: np.ndarray, option: str) -> Any:
    """A label typed on the command line, in the dtype of the labels found in the data.

    Integers are parsed exactly (``9007199254740993`` stays itself, never a float's
    neighbour); ``1e3`` and ``2.0`` are accepted for integer labels only where a float holds
    them exactly.
    """
    kind = present.dtype.kind
    if kind in "US":
        return text
    try:
        if kind == "b":
            if text.lower() not in ("0", "1", "true", "false"):
                raise ValueError
            return text.lower() in ("1", "true")
        if kind in "iu":
            try:
                return int(text.replace("_", ""))
            except ValueError:
                value = float(text)
                if not value.is_integer() or abs(value) > 2**53:
                    raise ValueError from None
                return int(value)
        return float(text)
    except ValueError:
        raise CLIError(
            f"{option}: {text!r} is not a label of this data (its labels are {present.dtype} "
            "numbers)") from None


def _plain(x: Any) -> Any:
    """JSON-ready: NumPy scalars to Python, NaN to None."""
    if isinstance(x, np.ndarray):
        return [_plain(v) for v in x.tolist()]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def _message(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:  # str(KeyError) quotes its message
        return _one_line(Exception(exc.args[0])) if exc.args[0] else type(exc).__name__
    return _one_line(exc)
