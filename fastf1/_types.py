"""The argument types the public functions share: one home, so every signature agrees.

Type aliases only (no runtime checks: ``_validation`` checks the values).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ArrayLike", "Average", "Device", "Score", "ZeroDivision"]

#: ``average=`` of the scores, as in scikit-learn (None: one score per label)
Average = Literal["binary", "micro", "macro", "weighted", "samples"] | None

#: ``zero_division=``: "warn" (0 with a warning), 0, 1 or ``np.nan``
ZeroDivision = Literal["warn"] | float

#: where the counting pass runs
Device = Literal["auto", "cpu", "cuda"]

#: a score: a float for an average, one per label (an array) for ``average=None``
Score = float | np.ndarray
