"""Warnings raised by fastf1 (errors are plain ValueError / TypeError, as in scikit-learn)."""


class UndefinedMetricWarning(UserWarning):
    """A score is ill-defined (zero division) and was set to the ``zero_division`` value.

    Same text and same occasions as ``sklearn.exceptions.UndefinedMetricWarning``; a
    separate class because fastf1 does not import scikit-learn. Both derive from
    ``UserWarning``, so ``warnings.filterwarnings("ignore", category=UserWarning)``
    silences either.
    """
