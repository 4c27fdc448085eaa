import os

import numpy as np
import pytest
from _sklearn_suite import select as select_sklearn_suite
from hypothesis import HealthCheck, settings

# CI runs the default profile; FASTF1_HYPOTHESIS=thorough runs more examples locally
settings.register_profile(
    "default", max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=400)
settings.load_profile(os.environ.get("FASTF1_HYPOTHESIS", "default"))


@pytest.fixture(params=["serial", "parallel"])
def kernel_mode(request, monkeypatch):
    """Run the test with every input counted on one thread, then cut across three.

    Lowering PARALLEL_MIN_ROWS cuts even tiny inputs into row ranges counted on several
    threads, so range boundaries (ranges of 0, 1, 2 rows) are exercised by small examples.
    """
    import fastf1._threads as config

    if request.param == "parallel":
        monkeypatch.setattr(config, "PARALLEL_MIN_ROWS", 0)
        monkeypatch.setattr(config, "NUM_THREADS", 3)
    else:
        monkeypatch.setattr(config, "PARALLEL_MIN_ROWS", 1 << 62)
    return request.param


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def pytest_collection_modifyitems(config, items):
    """scikit-learn's own tests (test_sklearn_suite.py) that cannot call fastf1 are
    deselected, and its known failures marked, by the suite's harness."""
    select_sklearn_suite(config, items)
