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

#: test name (all its cases) or test name with its [parameters] -> why it fails today
KNOWN_FAILURES: dict[str, str] = {}


@pytest.fixture
def global_random_seed() -> int:
    """scikit-learn's conftest fixture, with its default seed."""
    return 42


SUITES = load(globals(), KNOWN_FAILURES)
