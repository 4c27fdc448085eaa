"""The text (or dict) of ``sklearn.metrics.classification_report``, from scores already made.

Only layout lives here: the column widths, digits and the "accuracy" line are
scikit-learn's, character for character. The scores come from ``StatScores``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_HEADERS = ["precision", "recall", "f1-score", "support"]


def format_report(names: Sequence[str], scores: tuple[Any, Any, Any, Any],
                  summary: Sequence[tuple[str, Any, Any, Any, Any]], *, digits: int,
                  output_dict: bool) -> str | dict[str, Any]:
    """The report of the per-label ``scores`` (precision, recall, f1-score and support
    arrays, one row per name) and the ``summary`` lines (heading, precision, recall,
    f1-score, support: the averages; a heading "accuracy" is written as scikit-learn writes
    it, one number in the f1-score column).

    Every name sets the first column's width, even one past the scores (scikit-learn's
    layout when ``target_names`` is longer than ``labels``).
    """
    rows = list(zip(names, *scores))
    if output_dict:
        report_dict: dict[str, Any] = {
            row[0]: dict(zip(_HEADERS, [float(i) for i in row[1:]])) for row in rows
        }
        for heading, *avg in summary:
            report_dict[heading] = dict(zip(_HEADERS, [float(i) for i in avg]))
        if "accuracy" in report_dict:
            report_dict["accuracy"] = report_dict["accuracy"]["precision"]
        return report_dict
    width = max(max((len(name) for name in names), default=0), len("weighted avg"), digits)
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    report = ("{:>{width}s} " + " {:>9}" * len(_HEADERS)).format("", *_HEADERS, width=width)
    report += "\n\n"
    for row in rows:
        report += row_fmt.format(*row, width=width, digits=digits)
    report += "\n"
    for heading, *avg in summary:
        if heading == "accuracy":
            fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            report += fmt.format(heading, "", "", *avg[2:], width=width, digits=digits)
        else:
            report += row_fmt.format(heading, *avg, width=width, digits=digits)
    return report
