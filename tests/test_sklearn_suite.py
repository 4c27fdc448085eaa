"""scikit-learn's own metric tests, with fastf1's functions in place of scikit-learn's.

The tests of ``sklearn/metrics/tests/test_classification.py``, ``test_ranking.py`` and
``test_common.py`` from the installed wheel, every name of ``fastf1.__all__`` that
scikit-learn also has bound to fastf1's function (see ``_sklearn_suite``). Those that cannot
call fastf1 are deselected; those that ran without calling it are skipped ("does not call
fastf1"). ``KNOWN_FAILURES`` are strict xfails: each is a difference still to be fixed.
"""

from __future__ import annotations

import pytest
from _sklearn_suite import load

_NAN_INF = "NaN / inf labels: scikit-learn's 'Input y_true contains NaN' ('infinity') text"
_WEIGHTS = "bad sample_weight: scikit-learn's texts (NaN, infinity, complex, 2-D)"

#: test name (all its cases) or test name with its [parameters] -> why it fails today
KNOWN_FAILURES: dict[str, str] = {
    "test_classification__confusion_matrix_dtype":
        "integer sample_weight summed in int64 (the counting-exactness work)",
    "test_classification__multilabel_confusion_matrix_errors": _WEIGHTS,
    "test_common__classification_with_invalid_sample_weight": _WEIGHTS,
    "test_common__classification_binary_continuous_input":
        "scikit-learn's 'mix of binary and continuous targets' text",
    "test_common__classification_inf_nan_input": _NAN_INF,
    "test_common__raise_value_error_multilabel_sequences":
        "[[]] and [()] give 'unknown is not supported', sequences of sequences the legacy text",
}


@pytest.fixture
def global_random_seed() -> int:
    """scikit-learn's conftest fixture, with its default seed."""
    return 42


SUITES = load(globals(), KNOWN_FAILURES)
