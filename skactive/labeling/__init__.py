"""The labeling workflow: a pool that remembers what was labeled, and when to stop.

:class:`LabelingPool` holds the samples of a labeling campaign and the labels
known so far, and asks any sampler for the next batch.

The stopping criteria look at the model and a *stop set* (a fixed sample of
the unlabeled data) once per round and say stop or go
(:meth:`StoppingCriterion.update`). They work with :class:`LabelingPool` by
hand, with :func:`~skactive.experiment.run_experiment` (``stopping={...}``
records the round at which each would have stopped) and with ``skactive
select``. Their statistics and decisions are also pure functions of arrays
(:func:`agreement`, :func:`concordance`, :func:`stabilized`,
:func:`normalized_entropy`, :func:`n_changed`, :func:`confidence_dropped`);
the classes keep the history. Subclass :class:`StoppingCriterion` to write your own (see
:ref:`extending`).
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._change import ClassificationChange
from ._compose import AllOf, AnyOf
from ._confidence import ConfidenceDrop
from ._criterion import StoppingCriterion
from ._label_budget import LabelBudget
from ._pool import LabelingPool
from ._rules import (
    agreement,
    concordance,
    confidence_dropped,
    n_changed,
    normalized_entropy,
    stabilized,
)
from ._stabilizing import StabilizingPredictions
from ._uncertainty_threshold import UncertaintyThreshold

__all__ = [
    "AllOf",
    "AnyOf",
    "ClassificationChange",
    "ConfidenceDrop",
    "LabelBudget",
    "LabelingPool",
    "StabilizingPredictions",
    "StoppingCriterion",
    "UncertaintyThreshold",
    "agreement",
    "concordance",
    "confidence_dropped",
    "n_changed",
    "normalized_entropy",
    "stabilized",
]
