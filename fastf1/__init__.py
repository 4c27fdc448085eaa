"""fastf1: precision, recall and F1 at memory speed, exactly as scikit-learn computes them.

One parallel pass counts per-class true positives, predictions and truths; every score is
derived from those counts. Importing fastf1 compiles nothing and touches no GPU, Keras or
Dask code.
"""

from .counts import ByGroup, StatScores, stat_scores
from .curves import ThresholdSweep, precision_recall_curve, threshold_sweep
from .exceptions import UndefinedMetricWarning
from .histogram import ScoreHistogram
from .metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    fbeta_score,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from .probability import brier_score_loss, calibration_curve, log_loss
from .ranking import average_precision_score, det_curve, roc_auc_score, roc_curve
from .resampling import BootstrapResult, bootstrap
from .scorecard import (
    TopKCounts,
    balanced_accuracy_score,
    class_likelihood_ratios,
    cohen_kappa_score,
    hamming_loss,
    jaccard_score,
    matthews_corrcoef,
    top_k_accuracy_score,
    zero_one_loss,
)

__version__ = "0.1.0"

__all__ = [
    "BootstrapResult",
    "ByGroup",
    "ScoreHistogram",
    "StatScores",
    "ThresholdSweep",
    "TopKCounts",
    "UndefinedMetricWarning",
    "accuracy_score",
    "average_precision_score",
    "balanced_accuracy_score",
    "bootstrap",
    "brier_score_loss",
    "calibration_curve",
    "class_likelihood_ratios",
    "classification_report",
    "cohen_kappa_score",
    "confusion_matrix",
    "det_curve",
    "f1_score",
    "fbeta_score",
    "hamming_loss",
    "jaccard_score",
    "log_loss",
    "matthews_corrcoef",
    "multilabel_confusion_matrix",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "stat_scores",
    "threshold_sweep",
    "top_k_accuracy_score",
    "zero_one_loss",
]
