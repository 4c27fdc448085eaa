"""The ``fastf1`` command: score prediction dumps, merge saved counts, and a built-in demo.

One module per subcommand (``score``, ``report``, ``demo``; ``plots`` draws ``--plot``);
:func:`build_parser` is the whole parser, which the documentation renders as the reference.

    fastf1 score preds.parquet --true label --pred pred
    fastf1 score 'dumps/*.parquet' --true y --pred-columns p0,p1,p2 --json
    fastf1 score s3://bucket/preds/ --true y --pred p --where "model = 'v2'" --save v2.json
    fastf1 report v1.json v2.json --average macro
    fastf1 demo --rows 1e7

``main(argv)`` returns the exit status (0 on success, 1 for bad input or bad usage) and
never shows a traceback: every failure is one line ``fastf1: error: ...`` on stderr,
printed before anything is written to stdout, so no partial result looks final.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from . import demo, report, score
from ._common import CLIError, Parser, _message
from .demo import write_demo_dump


def build_parser() -> argparse.ArgumentParser:
    """The ``fastf1`` command's parser, every subcommand included.

    The documentation's command-line reference is rendered from it, so the two cannot drift.

    Examples
    --------
    >>> sorted(build_parser()._subparsers._group_actions[0].choices)
    ['demo', 'report', 'score']
    """
    parser = Parser(
        prog="fastf1",
        description="Precision, recall and F1 of prediction dumps on disk or in object "
        "stores, exactly as "
        "scikit-learn computes them, in one streaming pass.",
        epilog="Run 'fastf1 COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"fastf1 {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    sub.required = True

    score.add_parser(sub)
    report.add_parser(sub)
    demo.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fastf1`` command; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and usage errors (1, see Parser)
        return exc.code if isinstance(exc.code, int) else 1
    out = sys.stdout
    try:
        return args.func(args, out)
    except KeyboardInterrupt:
        print("fastf1: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `fastf1 score ... | head`
        sys.stderr.close()
        return 1
    except (CLIError, ValueError, TypeError, OSError, ImportError, KeyError, MemoryError,
            NotImplementedError) as exc:
        if os.environ.get("FASTF1_DEBUG"):
            raise
        print(f"fastf1: error: {_message(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: still one line, and the way to see more
        if os.environ.get("FASTF1_DEBUG"):
            raise
        print(f"fastf1: error: internal error ({type(exc).__name__}: {_message(exc)}); "
              "run with FASTF1_DEBUG=1 for the traceback", file=sys.stderr)
        return 1


__all__ = ["CLIError", "build_parser", "main", "write_demo_dump"]
