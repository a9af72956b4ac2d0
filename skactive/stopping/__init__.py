"""Stopping criteria: when more labels stop paying.

Each criterion looks at the model and a *stop set* (a fixed sample of the
unlabeled data) once per round and says stop or go (:meth:`update`). They
work with :class:`~skactive.LabelingPool` by hand, with
:func:`~skactive.experiment.run_experiment` (``stopping={...}`` records the
round at which each would have stopped) and with ``skactive select``. The
statistics and decisions are pure functions of arrays in
``skactive.stopping._rules``; the classes keep the history.
"""

# SPDX-License-Identifier: BSD-3-Clause

from ._base import StoppingCriterion
from ._budget import LabelBudget
from ._change import ClassificationChange
from ._compose import AnyOf
from ._confidence import ConfidenceDrop
from ._stabilizing import StabilizingPredictions
from ._uncertainty import UncertaintyThreshold

__all__ = [
    "AnyOf",
    "ClassificationChange",
    "ConfidenceDrop",
    "LabelBudget",
    "StabilizingPredictions",
    "StoppingCriterion",
    "UncertaintyThreshold",
]
