import os

# Without a GPU the CUDA kernels run on numba's simulator (set before numba is imported);
# with one, the real kernels run and the `gpu`-marked tests too.
HAS_GPU = os.path.exists("/dev/nvidiactl") and os.environ.get("NUMBA_ENABLE_CUDASIM") != "1"
if not HAS_GPU:
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# CI runs the default profile; FASTF1_HYPOTHESIS=thorough runs more examples locally
settings.register_profile(
    "default", max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=400)
settings.load_profile(os.environ.get("FASTF1_HYPOTHESIS", "default"))


@pytest.fixture(params=["serial", "parallel"])
def kernel_mode(request, monkeypatch):
    """Run the test through the serial kernels, then through the parallel ones.

    Lowering PARALLEL_MIN_ROWS sends even tiny inputs through the parallel twins, so
    block boundaries (blocks of 0, 1, 2 rows) are exercised by small examples.
    """
    import fastf1._config as config

    if request.param == "parallel":
        monkeypatch.setattr(config, "PARALLEL_MIN_ROWS", 0)
    else:
        monkeypatch.setattr(config, "PARALLEL_MIN_ROWS", 1 << 62)
    return request.param


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
